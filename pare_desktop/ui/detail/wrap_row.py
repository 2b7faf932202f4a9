"""A value with its action buttons: side by side when there is room, the buttons below when there is not."""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLabel, QWidget

_BREAK_AFTER = re.compile(r"([@/._\-?&=])")
_LONG_WORD = re.compile(r"\S{16,}")
ZWSP = "\u200b"


def breakable(text: str) -> str:
    """`text` with invisible break opportunities after @ / . - _ in long words (e-mails, addresses)."""
    return _LONG_WORD.sub(lambda m: _BREAK_AFTER.sub(r"\1" + ZWSP, m.group(0)), text)


def shown_text(label: QLabel) -> str:
    """What a label reads, without the invisible break opportunities."""
    return label.text().replace(ZWSP, "")


class ValueRow(QWidget):
    """Never wider than its column: the label wraps, and the buttons go below the value when needed."""

    def __init__(self, value: QLabel, buttons: Sequence[QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value = value
        self.buttons = list(buttons)
        self._box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._box.setContentsMargins(0, 0, 0, 0)
        self._box.addWidget(value, 1)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for b in self.buttons:
            row.addWidget(b)
        row.addStretch(1)
        self._box.addLayout(row)

    def stacked(self) -> bool:
        return self._box.direction() == QBoxLayout.Direction.TopToBottom

    def _side_by_side_width(self) -> int:
        fm = self.value.fontMetrics()
        text = shown_text(self.value)
        longest = max((fm.horizontalAdvance(line) for line in text.splitlines()), default=0)
        buttons = sum(b.sizeHint().width() for b in self.buttons)
        return longest + buttons + self._box.spacing() * (len(self.buttons) + 1) + 4

    def resizeEvent(self, event: QResizeEvent) -> None:
        wanted = (QBoxLayout.Direction.LeftToRight if event.size().width() >= self._side_by_side_width()
                  else QBoxLayout.Direction.TopToBottom)
        if wanted != self._box.direction():
            self._box.setDirection(wanted)
            self.updateGeometry()
        super().resizeEvent(event)
