"""Serves the map page, its assets and MBTiles tiles on pare://, and watches every request the page makes."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QFile, QIODevice, QObject, QUrl
from PySide6.QtWebEngineCore import (
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
    QWebEngineUrlRequestJob,
    QWebEngineUrlSchemeHandler,
)

from pare_desktop.map.assets import asset_file, mime_type
from pare_desktop.map.mbtiles import EMPTY_TILE, MBTiles
from pare_desktop.map.page import PAGE_PATH

log = logging.getLogger("pare.map")

QT_CHANNEL_PATH = "assets/qt/qwebchannel.js"
_TILE = re.compile(r"^/(\d+)/(\d+)/(\d+)/(\d+)\.png$")
LOCAL_SCHEMES = frozenset({"pare", "qrc", "data", "blob", "about"})


class MapSchemeHandler(QWebEngineUrlSchemeHandler):
    """pare://map/<path> for the page and its assets; pare://tiles/<n>/<z>/<x>/<y>.png for MBTiles."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.page_html = b""
        self.csp = b""
        self.tilesets: list[MBTiles] = []
        self._data: dict[str, bytes] = {}
        self._serial = 0

    def set_page(self, html: str, csp: str) -> None:
        self.page_html = html.encode("utf-8")
        self.csp = csp.encode("utf-8")
        self._data.clear()

    def put_data(self, text: str) -> str:
        """Hold a JSON document for the page to fetch once (large payloads travel faster than as a
        script); returns its path under the page's origin."""
        self._serial += 1
        path = f"data/live/{self._serial}.json"
        self._data[path] = text.encode("utf-8")
        return path

    def set_tilesets(self, tilesets: Sequence[MBTiles]) -> None:
        self.tilesets = list(tilesets)

    def requestStarted(self, job: QWebEngineUrlRequestJob) -> None:
        url = job.requestUrl()
        host, path = url.host(), url.path()
        if host == "tiles":
            self._tile(job, path)
        elif host == "map":
            self._map(job, path.lstrip("/"))
        else:
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)

    def _reply(self, job: QWebEngineUrlRequestJob, mime: str, data: bytes, *, csp: bool = False) -> None:
        if csp:
            # The C++ side is a QMultiMap: each value is a list (a bare QByteArray is read byte by byte).
            headers: Any = {QByteArray(b"Content-Security-Policy"): [QByteArray(self.csp)]}
            job.setAdditionalResponseHeaders(headers)
        buf = QBuffer(job)
        buf.setData(QByteArray(data))
        buf.open(QIODevice.OpenModeFlag.ReadOnly)
        job.reply(mime.encode(), buf)

    def _map(self, job: QWebEngineUrlRequestJob, path: str) -> None:
        if path == PAGE_PATH:
            self._reply(job, "text/html", self.page_html, csp=True)
            return
        if path in self._data:
            self._reply(job, "application/json", self._data.pop(path))
            return
        if path == QT_CHANNEL_PATH:
            f = QFile(":/qtwebchannel/qwebchannel.js")
            if f.open(QIODevice.OpenModeFlag.ReadOnly):
                self._reply(job, "text/javascript", bytes(f.readAll().data()))
                return
        file = asset_file(path)
        if file is None:
            log.warning("ressource inconnue demandée par la carte : %s", path)
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        self._reply(job, mime_type(path), file.read_bytes())

    def _tile(self, job: QWebEngineUrlRequestJob, path: str) -> None:
        m = _TILE.match(path)
        if m is None or int(m[1]) >= len(self.tilesets):
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        tileset = self.tilesets[int(m[1])]
        data = tileset.tile(int(m[2]), int(m[3]), int(m[4]))
        if data is None:
            self._reply(job, "image/png", EMPTY_TILE)
        else:
            self._reply(job, tileset.mime_type, data)


class RequestGuard(QWebEngineUrlRequestInterceptor):
    """Records every request of the map's profile; blocks remote ones unless their host is allowed."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.allowed_hosts: frozenset[str] = frozenset()
        self.requests: list[QUrl] = []
        self.remote: list[str] = []

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:
        url = info.requestUrl()
        self.requests.append(url)
        if url.scheme() in LOCAL_SCHEMES:
            return
        self.remote.append(url.toString())
        if url.host() in self.allowed_hosts and url.scheme() == "https":
            return
        log.warning("requête distante bloquée : %s", url.toString())
        info.block(True)
