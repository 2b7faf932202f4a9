"""Active filters shown as removable chips (click or Delete removes one)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget


class ChipsBar(QWidget):
    removed = Signal(str)  # the filter key

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Filtres actifs"))
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self._label = QLabel(self.tr("Filtres :"), self)
        self._layout.addWidget(self._label)
        self._layout.addStretch(1)
        self.chips: list[QToolButton] = []

    def set_chips(self, chips: list[tuple[str, str]]) -> None:
        for chip in self.chips:
            self._layout.removeWidget(chip)
            chip.hide()
            chip.deleteLater()
        self.chips = []
        for key, text in chips:
            button = QToolButton(self)
            button.setText(f"{text}  ✕")
            button.setToolTip(self.tr("Retirer le filtre « %1 »").replace("%1", text))
            button.setAccessibleName(self.tr("Retirer le filtre %1").replace("%1", text))
            button.setAutoRaise(False)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.clicked.connect(lambda _c=False, k=key: self.removed.emit(k))
            self._layout.insertWidget(self._layout.count() - 1, button)
            self.chips.append(button)
        self.setVisible(bool(chips))
