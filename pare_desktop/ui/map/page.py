"""The map's web page (console to the `map` logger, navigation locked) and its one WebChannel object."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QUrl, Signal, Slot
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile

from pare_desktop.map.page import ORIGIN, PAGE_PATH

log = logging.getLogger("pare.map")

PAGE_URL = QUrl(ORIGIN + PAGE_PATH)
_LEVELS = {
    QWebEnginePage.JavaScriptConsoleMessageLevel.InfoMessageLevel: logging.INFO,
    QWebEnginePage.JavaScriptConsoleMessageLevel.WarningMessageLevel: logging.WARNING,
    QWebEnginePage.JavaScriptConsoleMessageLevel.ErrorMessageLevel: logging.ERROR,
}


class MapBridge(QObject):
    """What the page may tell Python: ready, markers drawn, a structure clicked. Nothing else."""

    page_ready = Signal()
    structure_clicked = Signal(str)
    markers_shown = Signal(int)

    @Slot()
    def pageReady(self) -> None:
        self.page_ready.emit()

    @Slot(int)
    def markersShown(self, count: int) -> None:
        self.markers_shown.emit(int(count))

    @Slot(str)
    def structureClicked(self, structure_id: str) -> None:
        if isinstance(structure_id, str) and 0 < len(structure_id) <= 512:
            self.structure_clicked.emit(structure_id)


class MapPage(QWebEnginePage):
    """A page that logs its console to `map` and navigates nowhere but the map page itself."""

    def __init__(self, profile: QWebEngineProfile, parent: QObject | None = None) -> None:
        super().__init__(profile, parent)
        self.console_errors: list[str] = []

    def javaScriptConsoleMessage(
        self, level: QWebEnginePage.JavaScriptConsoleMessageLevel, message: str, line: int, source: str
    ) -> None:
        lvl = _LEVELS.get(level, logging.INFO)
        if lvl >= logging.ERROR:
            self.console_errors.append(message)
        log.log(lvl, "%s (%s:%d)", message, source, line)

    def acceptNavigationRequest(
        self, url: QUrl | str, nav_type: QWebEnginePage.NavigationType, is_main_frame: bool
    ) -> bool:
        target = QUrl(url)
        if (
            target.scheme() == PAGE_URL.scheme()
            and target.host() == PAGE_URL.host()
            and target.path() == PAGE_URL.path()
        ):
            return True
        log.warning("navigation refusée depuis la carte : %s", target.toString())
        return False
