"""The map panel in a real QWebEngineView (offscreen): no network, data as text, clicks, focus, MBTiles."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest

from pare_desktop.map.mbtiles import solid_png
from pare_desktop.ui.map.view import MapPanel
from tests.map.samples import HOSTILE_TEXTS, grid, hostile, national, structure
from tests.map.test_mbtiles import make_mbtiles

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def js(qtbot: Any, panel: MapPanel, script: str) -> Any:
    """Evaluate in the page and wait for the result (objects come back through JSON.stringify)."""
    out: list[Any] = []
    panel.run_js(script, out.append)
    qtbot.waitUntil(lambda: bool(out), timeout=10_000)
    return out[0]


def state(qtbot: Any, panel: MapPanel) -> dict[str, Any]:
    return json.loads(js(qtbot, panel, "PareMap.state()"))


def make_panel(qtbot: Any, *, size: tuple[int, int] = (900, 640), **kwargs: Any) -> MapPanel:
    panel = MapPanel(**kwargs)
    qtbot.addWidget(panel)
    panel.resize(*size)
    panel.show()
    qtbot.waitUntil(lambda: panel.is_ready, timeout=20_000)
    qtbot.waitUntil(lambda: state(qtbot, panel)["ready"], timeout=20_000)
    return panel


@pytest.fixture
def panel(qtbot: Any) -> Iterator[MapPanel]:
    p = make_panel(qtbot)
    yield p
    p.close()


def offending(panel: MapPanel) -> list[str]:
    """What the no-network rule forbids: remote requests seen by the interceptor, requests the CSP stopped."""
    return list(panel.guard.remote) + [m for m in panel.page.console_errors if m.startswith("CSP")]


def test_no_request_leaves_the_machine_through_load_filters_pan_zoom_clicks_and_popups(
    qtbot: Any, panel: MapPanel
) -> None:
    records = [*grid(400), national(1), structure(9000, lat=-12.78, lon=45.23, type_="justice")]
    with qtbot.waitSignal(panel.markers_shown, timeout=10_000):
        panel.set_records(records)
    with qtbot.waitSignal(panel.markers_shown, timeout=10_000):
        panel.show_results([r.id for r in records[:50]] + ["t:9000", "n:1"])
    panel.jump_to("976")
    panel.jump_to("987")
    panel.jump_to("metropole")
    js(qtbot, panel, "PareMap.fit(1.0, 47.9, 2.5, 49.2) || 1")  # pan
    js(qtbot, panel, "document.querySelector('.leaflet-control-zoom-in').click() || 1")  # zoom
    panel.focus_structure("t:9000")  # flies to Mayotte, opens the popup
    qtbot.waitUntil(lambda: state(qtbot, panel)["popup"], timeout=10_000)
    js(qtbot, panel, "PareMap.tooltip('t:9000') || 1")
    js(qtbot, panel, "document.querySelector('.pare-side-item').click() || 1")
    js(qtbot, panel, "PareMap.jump('metropole'), PareMap.openCluster()")
    panel.around(48.85, 2.35, 10)
    qtbot.wait(800)
    assert len(panel.guard.requests) >= 10  # the interceptor did see the page's own requests
    assert offending(panel) == []


def test_the_no_network_check_catches_a_planted_remote_request(qtbot: Any, panel: MapPanel) -> None:
    assert offending(panel) == []
    js(qtbot, panel, "(new Image()).src = 'http://203.0.113.7/planted.png', 1")
    js(qtbot, panel, "fetch('https://203.0.113.8/planted.json').catch(function () {}), 1")
    qtbot.waitUntil(lambda: len(offending(panel)) >= 2, timeout=10_000)
    assert any("203.0.113.7" in m for m in offending(panel))
    # With the policy opened for the online background, remote tiles reach the interceptor and are recorded.
    panel.set_backgrounds([], online_background=True)
    qtbot.waitUntil(lambda: panel.is_ready, timeout=20_000)
    qtbot.waitUntil(lambda: any("tile.openstreetmap.org" in u for u in panel.guard.remote), timeout=20_000)


def test_hostile_records_are_shown_as_text_and_no_script_runs(qtbot: Any, panel: MapPanel) -> None:
    records = hostile()
    with qtbot.waitSignal(panel.markers_shown, timeout=10_000):
        panel.set_records(records)
    side = json.loads(
        js(
            qtbot,
            panel,
            "JSON.stringify(Array.from(document.querySelectorAll('.pare-side-name'))"
            ".map(function (n) { return n.textContent.trim(); }))",
        )
    )
    assert sorted(side) == sorted(t.strip() for t in HOSTILE_TEXTS)
    for rec in records:
        if rec.is_national:
            continue
        panel.focus_structure(rec.id)
        qtbot.waitUntil(lambda: state(qtbot, panel)["popup"], timeout=10_000)
        popup = json.loads(
            js(
                qtbot,
                panel,
                "JSON.stringify({name: document.querySelector("
                "'.leaflet-popup-content .pare-popup-name').textContent, text: "
                "document.querySelector('.leaflet-popup-content').textContent})",
            )
        )
        assert popup["name"] == rec.name
        assert rec.commune in popup["text"] and rec.phones[0].display in popup["text"]
        assert js(qtbot, panel, f"PareMap.tooltip({json.dumps(rec.id)})") is True
        tip = js(qtbot, panel, "document.querySelector('.leaflet-tooltip').textContent")
        assert tip == rec.name
        js(qtbot, panel, "document.querySelector('.leaflet-popup-close-button').click() || 1")
        qtbot.waitUntil(lambda: not state(qtbot, panel)["popup"], timeout=10_000)
    injected = js(
        qtbot,
        panel,
        "document.querySelectorAll('.leaflet-container img, .leaflet-container script, "
        ".leaflet-container b, .leaflet-container svg:not(.pare-swatch)').length",
    )
    assert injected == 0
    assert js(qtbot, panel, "typeof window.__pwned") == "undefined"
    assert js(qtbot, panel, "String(document.documentElement.dataset.pwned)") == "undefined"
    assert offending(panel) == []


def test_marker_click_emits_the_structure_id(qtbot: Any, panel: MapPanel) -> None:
    records = [
        structure(1, lat=48.85, lon=2.35),
        structure(2, lat=45.76, lon=4.83, type_="justice"),
        national(1),
    ]
    with qtbot.waitSignal(panel.markers_shown, timeout=10_000):
        panel.set_records(records)
    qtbot.waitUntil(lambda: js(qtbot, panel, "PareMap.markerPoint('t:2')") != "null", timeout=10_000)
    x, y = json.loads(js(qtbot, panel, "PareMap.markerPoint('t:2')"))
    target = panel.view.focusProxy()
    with qtbot.waitSignal(panel.structure_clicked, timeout=10_000) as blocker:
        QTest.mouseClick(
            target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(int(x), int(y))
        )
    assert blocker.args == ["t:2"]
    with qtbot.waitSignal(panel.structure_clicked, timeout=10_000) as blocker:
        js(qtbot, panel, "document.querySelector('.pare-side-item').click() || 1")
    assert blocker.args == ["n:1"]


def test_focus_centres_the_map_on_the_structure_and_opens_its_popup(qtbot: Any, panel: MapPanel) -> None:
    records = [*grid(300), structure(77, lat=-17.535, lon=-149.569, commune="Papeete")]
    with qtbot.waitSignal(panel.markers_shown, timeout=10_000):
        panel.set_records(records)
    panel.focus_structure("t:77")
    qtbot.waitUntil(lambda: state(qtbot, panel)["popup"], timeout=10_000)
    s = state(qtbot, panel)
    # a useful zoom: the structure stands alone, with its surroundings (not a blank 300 m view)
    assert abs(s["lat"] - -17.535) < 0.5 and abs(s["lon"] - -149.569) < 0.5 and 9 <= s["zoom"] <= 14
    assert js(qtbot, panel, "PareMap.markerPoint('t:77')") != "null"


def test_filter_change_updates_the_marker_count_without_reloading(qtbot: Any, panel: MapPanel) -> None:
    records = [*grid(1000), national(1), national(2)]
    with qtbot.waitSignal(panel.markers_shown, timeout=10_000) as blocker:
        panel.set_records(records)
    assert blocker.args == [1000]
    requests_before = len(panel.guard.requests)
    with qtbot.waitSignal(panel.markers_shown, timeout=10_000) as blocker:
        panel.show_results([r.id for r in records[:123]] + ["n:2"])
    assert blocker.args == [123]
    assert state(qtbot, panel)["side"] == 1
    assert len(panel.guard.requests) == requests_before  # same page: nothing was reloaded


def test_unknown_results_are_fetched_through_the_callback(qtbot: Any) -> None:
    store = {r.id: r for r in grid(50)}
    asked: list[list[str]] = []

    def fetch(ids: Any) -> list[Any]:
        asked.append(list(ids))
        return [store[i] for i in ids if i in store]

    p = make_panel(qtbot, fetch_records=fetch)
    with qtbot.waitSignal(p.markers_shown, timeout=10_000) as blocker:
        p.show_results(list(store)[:20])
    assert blocker.args == [20] and len(asked[0]) == 20
    with qtbot.waitSignal(p.markers_shown, timeout=10_000) as blocker:
        p.show_results(list(store)[10:30])
    assert blocker.args == [20] and asked[1] == list(store)[20:30]
    p.close()


# Known debt, listed: MBTiles tiles (a separate read-only file, raw sqlite3) are read on the GUI thread
# by the URL scheme handler and the background check; the guard's sqlite3 hook sees it.
@pytest.mark.gui_sql_allowed("ui/map/")
def test_mbtiles_background_is_shown_the_right_way_up(qtbot: Any, tmp_path: Path) -> None:
    colours = {(0, 0): (255, 0, 0), (1, 0): (0, 160, 0), (0, 1): (0, 0, 255), (1, 1): (255, 200, 0)}
    tiles = {(1, x, y): solid_png((*c, 255)) for (x, y), c in colours.items()}
    path = make_mbtiles(tmp_path / "quadrants.mbtiles", tiles, name="<b>Quadrants</b>")
    p = make_panel(qtbot, size=(512, 512), mbtiles=[path])
    js(qtbot, p, "PareMap.fit(-179, -84, 179, 84) || 1")

    def pixel(x: int, y: int) -> QColor:
        return p.view.grab().toImage().pixelColor(x, y)

    def close(c: QColor, rgb: tuple[int, int, int]) -> bool:
        return abs(c.red() - rgb[0]) + abs(c.green() - rgb[1]) + abs(c.blue() - rgb[2]) < 40

    left, top, right, bottom = (int(v) for v in json.loads(js(qtbot, p, "PareMap.layout()"))["map"])
    cx, cy = (left + right) // 2, (top + bottom) // 2  # the map, below the strip of territory buttons
    quarter = (right - left) // 4
    probes = {
        (0, 0): (cx - quarter, cy - 60),
        (1, 0): (cx + quarter, cy - 60),
        (0, 1): (cx - quarter, cy + 60),
        (1, 1): (cx + quarter, cy + 60),
    }
    qtbot.waitUntil(lambda: all(close(pixel(*probes[k]), colours[k]) for k in colours), timeout=20_000)
    layer_name = js(qtbot, p, "document.querySelector('.leaflet-control-layers-overlays span').textContent")
    assert layer_name.strip() == "<b>Quadrants</b>"  # the file's metadata shown as text
    assert offending(p) == []
    p.close()


def test_page_policy_is_understood_by_the_engine(qtbot: Any, caplog: pytest.LogCaptureFixture) -> None:
    """The Content-Security-Policy header and meta tag parse cleanly: no console complaint on load."""
    with caplog.at_level(logging.DEBUG, logger="pare.map"):
        panel = make_panel(qtbot)
        panel.close()
    complaints = [r.getMessage() for r in caplog.records if "Content-Security-Policy" in r.getMessage()]
    assert complaints == []


def test_the_page_console_reaches_the_log_file(qtbot: Any, tmp_path: Path) -> None:
    """The page's console goes to the "pare.map" logger, under the file handler of `setup_logging`."""
    from pare_desktop.logs import setup_logging

    root = logging.getLogger("pare")
    handlers, level = list(root.handlers), root.level
    setup_logging(tmp_path / "logs")
    try:
        panel = make_panel(qtbot)
        js(qtbot, panel, "console.warn('carte : message de la page <b>'), 1")
        js(qtbot, panel, "console.error('carte : erreur de la page'), 1")
        log_file = tmp_path / "logs" / "pare.log"
        qtbot.waitUntil(lambda: "erreur de la page" in log_file.read_text(encoding="utf-8"), timeout=10_000)
        text = log_file.read_text(encoding="utf-8")
        assert "WARNING pare.map: carte : message de la page <b>" in text
        assert "ERROR pare.map: carte : erreur de la page" in text
        panel.close()
    finally:
        for h in root.handlers:
            if h not in handlers:
                root.removeHandler(h)
                h.close()
        root.setLevel(level)


def test_large_payloads_travel_as_fetched_documents_and_keep_their_order(qtbot: Any, panel: MapPanel) -> None:
    records = grid(9000)
    with qtbot.waitSignal(panel.markers_shown, timeout=20_000) as blocker:
        panel.set_records(records)  # ~700 kB of rows: fetched, not inlined in a script
    assert blocker.args == [9000]
    assert any("/data/live/" in u.toString() for u in panel.guard.requests)
    shown: list[int] = []
    panel.markers_shown.connect(shown.append)
    panel.show_results([r.id for r in records[:8500]])  # a large id list (fetched)...
    panel.show_results([r.id for r in records[:7]])  # ...then a small one (inline): the last one wins
    qtbot.waitUntil(lambda: bool(shown) and shown[-1] == 7, timeout=20_000)
    qtbot.wait(300)
    assert shown[-1] == 7 and state(qtbot, panel)["markers"] == 7
    assert offending(panel) == []
