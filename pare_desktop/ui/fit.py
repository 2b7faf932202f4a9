"""Small windows (1024×600): the list gets the width the filters and the detail can spare."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QSplitter

#: Below this window width, the side panes shrink to their minimum and the list takes the rest.
SMALL_WIDTH = 1280
SIDE_WIDTHS = (230, 290)  # filters, detail (the detail pane wraps; it never scrolls sideways)


class SplitterFit(QObject):
    """Resizes [filters | views | detail] with the window until the user drags a handle."""

    def __init__(self, splitter: QSplitter) -> None:
        super().__init__(splitter)
        self._splitter = splitter
        self._user_moved = False
        splitter.splitterMoved.connect(self._moved)
        splitter.installEventFilter(self)

    def _moved(self, _pos: int, _index: int) -> None:
        self._user_moved = True

    def restored(self) -> None:
        """The user's own sizes came back from the settings: keep them."""
        self._user_moved = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QResizeEvent) and not self._user_moved:
            self.fit(event.size().width())
        return False

    def fit(self, width: int) -> None:
        """Sizes for a splitter `width` pixels wide (called before the splitter lays itself out)."""
        s = self._splitter
        panes = [s.widget(i) for i in range(s.count())]
        if len(panes) != 3 or not all(p is not None and p.isVisibleTo(s) for p in panes):
            return
        total = width - 2 * s.handleWidth()
        left, right = SIDE_WIDTHS if width < SMALL_WIDTH else (250, 380)
        s.setSizes([left, max(0, total - left - right), right])
