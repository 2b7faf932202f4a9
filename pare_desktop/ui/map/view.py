"""The map panel: a QWebEngineView on the pare:// page, driven with JSON, clicks back through a channel."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import QWebEngineProfile, QWebEngineSettings
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QVBoxLayout, QWidget

from pare_desktop.core.records import SearchQuery, Structure
from pare_desktop.map import csp
from pare_desktop.map.assets import MARKERCLUSTER_SCRIPT, SCRIPTS
from pare_desktop.map.framing import Frame, frame_for
from pare_desktop.map.mbtiles import MBTiles, MBTilesError
from pare_desktop.map.page import USER_AGENT, Background, PageConfig, bbox_of, build_page
from pare_desktop.map.payload import OpenState, build_payload, default_open_state, dumps, ids_json

from .page import PAGE_URL, MapBridge, MapPage
from .scheme import QT_CHANNEL_PATH, MapSchemeHandler, RequestGuard

log = logging.getLogger("pare.map")

FetchRecords = Callable[[Sequence[str]], list[Structure]]
_OSM_HOST = "tile.openstreetmap.org"
#: Above this many characters, JSON goes to the page as a fetched document rather than inside a script.
_INLINE_LIMIT = 64_000


def _qt_scripts(clusterer: str) -> tuple[str, ...]:
    anchor = (MARKERCLUSTER_SCRIPT,) if clusterer == "markercluster" else ()
    return (*SCRIPTS[:-1], *anchor, QT_CHANNEL_PATH, SCRIPTS[-1])


class MapPanel(QWidget):
    """Shows search results on the offline map; emits structure_clicked(id) when a marker is clicked."""

    structure_clicked = Signal(str)
    ready = Signal()
    markers_shown = Signal(int)  # markers on the map, once clustered, after show_results / set_records
    background_errors = Signal(list)  # French messages about MBTiles files that could not be opened

    def __init__(
        self,
        fetch_records: FetchRecords | None = None,
        *,
        mbtiles: Sequence[Path] = (),
        online_background: bool = False,
        open_state: OpenState | None = None,
        clusterer: str = "grid",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._fetch = fetch_records
        self._open_state = open_state or default_open_state()
        self._records: dict[str, Structure] = {}
        self._shown: list[str] | None = None
        self._ready = False
        self._queue: list[str] = []
        self._tilesets: list[MBTiles] = []
        self._clusterer = clusterer  # "grid" (ours); "markercluster" only as the benchmark's anchor
        self._frame: Frame | None = None
        self._framed_query: SearchQuery | None = None

        # Children are deleted in creation order: the view (and the page it owns) must go before the
        # profile, or QtWebEngine warns "Release of profile requested but WebEnginePage still not deleted".
        self.view = QWebEngineView(self)
        self.profile = QWebEngineProfile(self)  # off the record: no disk cache, no cookies
        self.profile.setHttpUserAgent(USER_AGENT)
        self.scheme_handler = MapSchemeHandler(self)
        self.profile.installUrlSchemeHandler(b"pare", self.scheme_handler)
        self.guard = RequestGuard(self)
        self.profile.setUrlRequestInterceptor(self.guard)

        self.page = MapPage(self.profile, self.view)
        self.bridge = MapBridge(self)
        self.bridge.page_ready.connect(self._on_page_ready)
        self.bridge.structure_clicked.connect(self._on_clicked)
        self.bridge.markers_shown.connect(self.markers_shown)
        self.channel = QWebChannel(self)
        self.channel.registerObject("pareBridge", self.bridge)
        self.page.setWebChannel(self.channel)

        self.view.setPage(self.page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.set_backgrounds(mbtiles, online_background)

    # --- backgrounds and page (re)load --------------------------------------------------------------

    def set_backgrounds(self, mbtiles: Sequence[Path], online_background: bool) -> None:
        """Use these MBTiles files (and OSM online if enabled); reloads the page, keeps the records."""
        for t in self._tilesets:
            t.close()
        self._tilesets, errors = [], []
        for path in mbtiles:
            try:
                self._tilesets.append(MBTiles(Path(path)))
            except MBTilesError as exc:
                errors.append(str(exc))
        if errors:
            self.background_errors.emit(errors)
        backgrounds = tuple(
            Background(
                name=t.info.name,
                url=f"pare://tiles/{i}/{{z}}/{{x}}/{{y}}.png",
                bounds=t.info.bounds,
                min_zoom=t.info.min_zoom,
                max_native_zoom=t.info.max_zoom,
                attribution=t.info.attribution,
            )
            for i, t in enumerate(self._tilesets)
        )
        self.online_background = online_background
        html = build_page(
            PageConfig(
                backgrounds=backgrounds,
                online_osm=online_background,
                extra={"clusterer": self._clusterer},
            ),
            scripts=_qt_scripts(self._clusterer),
        )
        self.scheme_handler.set_page(
            html, csp.header_policy(local=("'self'", "pare:"), online_tiles=online_background)
        )
        self.scheme_handler.set_tilesets(self._tilesets)
        self.guard.allowed_hosts = frozenset({_OSM_HOST}) if online_background else frozenset()
        s = self.page.settings()
        # Set both explicitly: changing one after the view is shown was measured to flip the other.
        s.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, online_background)
        s.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessFileUrls, False)
        s.setAttribute(QWebEngineSettings.WebAttribute.JavascriptCanOpenWindows, False)
        s.setAttribute(QWebEngineSettings.WebAttribute.PluginsEnabled, False)
        self._ready = False
        self.page.load(PAGE_URL)

    # --- JS plumbing ---------------------------------------------------------------------------------

    def _run(self, script: str, callback: Callable[[Any], None] | None = None) -> None:
        if not self._ready:
            self._queue.append(script)
            return
        if callback is None:
            self.page.runJavaScript(script, 0)
        else:
            self.page.runJavaScript(script, 0, callback)

    @Slot()
    def _on_page_ready(self) -> None:
        """The page (re)loaded: send it every known record, the shown set, then queued moves."""
        self._ready = True
        if self._records:
            self._send_records(list(self._records.values()), merge=False)
        if self._frame is not None:
            self._send_frame(self._frame)
        self._send_show()
        queued, self._queue = self._queue, []
        for script in queued:
            self.page.runJavaScript(script, 0)
        self.ready.emit()

    @Slot(str)
    def _on_clicked(self, structure_id: str) -> None:
        if structure_id in self._records:
            self.structure_clicked.emit(structure_id)

    def _send_records(self, records: Sequence[Structure], *, merge: bool, payload: str | None = None) -> None:
        payload = payload if payload is not None else self.payload_for(records)
        flag = "true" if merge else "false"
        if len(payload) < _INLINE_LIMIT:
            self.page.runJavaScript(f"PareMap.load({payload}, {flag})", 0)
            return
        path = self.scheme_handler.put_data(payload)
        self.page.runJavaScript(f"PareMap.loadUrl({dumps(path)}, {flag})", 0)

    def _send_show(self) -> None:
        if self._shown is None:
            self.page.runJavaScript("PareMap.show(null)", 0)
            return
        ids = ids_json(self._shown)
        if len(ids) < _INLINE_LIMIT:
            self.page.runJavaScript(f"PareMap.show({ids})", 0)
            return
        self.page.runJavaScript(f"PareMap.showUrl({dumps(self.scheme_handler.put_data(ids))})", 0)

    def _send_frame(self, frame: Frame) -> None:
        call = "frameAfterShow" if frame["kind"] == "markers" else "frame"
        self.page.runJavaScript(f"PareMap.{call}({dumps(frame)})", 0)

    # --- public slots --------------------------------------------------------------------------------

    @Slot(object)
    def follow(self, query: SearchQuery) -> None:
        """Frame the question: its territory, its « près de » circle, the markers it found, or France.

        A frame is applied when it changes (the user's own pan and zoom are kept otherwise); a question
        framed by its results is re-framed whenever it changes, once its results are shown.
        """
        frame = frame_for(query)
        same = frame == self._frame and (frame["kind"] != "markers" or query == self._framed_query)
        self._frame, self._framed_query = frame, query
        if same or not self._ready:
            return  # not ready: sent with the records once the page is loaded
        self._send_frame(frame)


    @property
    def is_ready(self) -> bool:
        return self._ready

    @Slot(list)
    def set_records(self, records: Sequence[Structure]) -> None:
        """Replace every record the map knows, and show them all."""
        self._records = {s.id: s for s in records}
        self._shown = None
        if self._ready:
            self._send_records(records, merge=False)
            self._send_show()

    def known_ids(self) -> frozenset[str]:
        """The ids whose records the map holds (a snapshot the caller can use off the GUI thread)."""
        return frozenset(self._records)

    def payload_for(self, records: Sequence[Structure]) -> str:
        """The page's JSON for these records: pure Python, safe to call on a worker thread (100k records
        take about a second there instead of on the GUI thread); hand it back to add_records."""
        return build_payload(records, self._open_state).to_json()

    def add_records(self, records: Sequence[Structure], payload: str | None = None) -> None:
        """Make records known (fetched by the caller on a worker) without changing what is shown;
        `payload`: payload_for(records), when the caller built it on the worker too."""
        new = [r for r in records if r.id not in self._records]
        for rec in records:
            self._records[rec.id] = rec
        if self._ready and new:
            ready = payload if payload is not None and len(new) == len(records) else None
            self._send_records(new, merge=True, payload=ready)

    @Slot(list)
    def show_results(self, ids: Sequence[str]) -> None:
        """Show these structures (search results); records not yet known are fetched first."""
        self._shown = list(ids)
        missing = [i for i in self._shown if i not in self._records]
        fetched = self._fetch(missing) if missing and self._fetch is not None else []
        for rec in fetched:
            self._records[rec.id] = rec
        if self._ready:
            if fetched:
                self._send_records(fetched, merge=True)
            self._send_show()

    @Slot()
    def forget_records(self) -> None:
        """Forget cached records (after a sync or an import changed them); the next show refetches."""
        self._records.clear()

    @Slot(str)
    def focus_structure(self, structure_id: str) -> None:
        """Fly to a structure on the map and open its popup (no-op when it is not on the map)."""
        self._run(f"PareMap.focus({dumps(structure_id)})")

    @Slot(str)
    def jump_to(self, territory_code: str) -> None:
        """Show "metropole" or a territory (région, département, collectivité) by its INSEE code."""
        box = bbox_of(territory_code)
        if box is None:
            log.warning("territoire inconnu : %s", territory_code)
            return
        self._run("PareMap.fit({}, {}, {}, {})".format(*(float(v) for v in box)))

    @Slot(float, float, float)
    def around(self, lat: float, lon: float, radius_km: float) -> None:
        """Draw the search circle around a point (the commune chosen in the filters) and show it."""
        self._run(f"PareMap.around({float(lat)}, {float(lon)}, {max(0.1, float(radius_km))})")

    @Slot()
    def clear_around(self) -> None:
        self._run("PareMap.clearAround()")

    def run_js(self, script: str, callback: Callable[[Any], None]) -> None:
        """Evaluate a script in the page (tests, benchmarks); return objects with JSON.stringify."""
        self._run(script, callback)

    def closeEvent(self, event: Any) -> None:
        for t in self._tilesets:
            t.close()
        super().closeEvent(event)
