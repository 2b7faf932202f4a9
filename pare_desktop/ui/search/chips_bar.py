"""Active filters shown as removable chips (click or Delete removes one), on a row of constant height.

The row is always there (« Filtres : aucun » when there are none), so the results below never move when a
chip comes or goes; chips that do not fit the width go into a « +N » button's menu instead of widening the
window.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QSizePolicy, QToolButton, QWidget


class Chip(QToolButton):
    """One active filter; a click, Delete or Backspace removes it."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.click()
            return
        super().keyPressEvent(event)


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
        self.none_label = QLabel(self.tr("aucun"), self)
        self.none_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._layout.addWidget(self.none_label)
        self.more = QToolButton(self)  # « +N »: the chips that do not fit, in a menu
        self.more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.more.setMenu(QMenu(self.more))
        self.more.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.more.hide()
        self._layout.addWidget(self.more)
        self._layout.addStretch(1)
        self.chips: list[QToolButton] = []
        self._texts: list[tuple[str, str]] = []
        # the width follows the window (never the other way round); the height never changes
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        probe = self._chip("", "Mayotte (976)")
        self.setFixedHeight(max(probe.sizeHint().height(), self._label.sizeHint().height()))
        probe.deleteLater()

    def _chip(self, key: str, text: str) -> Chip:
        button = Chip(self)
        button.setText(f"{text}  ✕")
        button.setToolTip(self.tr("Retirer le filtre « %1 »").replace("%1", text))
        button.setAccessibleName(self.tr("Retirer le filtre %1").replace("%1", text))
        button.setAutoRaise(False)
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        button.clicked.connect(lambda _c=False, k=key: self.removed.emit(k))
        button.hide()
        return button

    def set_chips(self, chips: list[tuple[str, str]]) -> None:
        for chip in self.chips:
            self._layout.removeWidget(chip)
            chip.hide()
            chip.deleteLater()
        self.chips = []
        self._texts = list(chips)
        for key, text in chips:
            button = self._chip(key, text)
            self._layout.insertWidget(self._layout.indexOf(self.more), button)
            self.chips.append(button)
        self.none_label.setVisible(not chips)
        self._fit()

    @property
    def hidden_chips(self) -> list[tuple[str, str]]:
        """(key, text) of the filters that did not fit: they are in the « +N » menu."""
        return [kt for kt, chip in zip(self._texts, self.chips, strict=True) if chip.isHidden()]

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """Show the chips that fit the width, in order; the others go into the « +N » menu."""
        spacing = self._layout.spacing()
        room = self.width() - self._label.sizeHint().width() - spacing
        widths = [chip.sizeHint().width() + spacing for chip in self.chips]
        self.more.setText(f"+{len(self.chips)}")
        more = self.more.sizeHint().width() + spacing
        shown = len(self.chips) if sum(widths) <= room else 0
        if not shown:
            used = 0
            while shown < len(widths) and used + widths[shown] + more <= room:
                used += widths[shown]
                shown += 1
        for i, chip in enumerate(self.chips):
            chip.setVisible(i < shown)
        rest = self._texts[shown:]
        menu = self.more.menu()
        menu.clear()
        for key, text in rest:
            action = QAction(self.tr("Retirer « %1 »").replace("%1", text), menu)
            action.triggered.connect(lambda _c=False, k=key: self.removed.emit(k))
            menu.addAction(action)
        self.more.setText(f"+{len(rest)}")
        self.more.setToolTip(self.tr("%n autre(s) filtre(s)", "", len(rest)))
        self.more.setAccessibleName(self.tr("%n autre(s) filtre(s) actif(s)", "", len(rest)))
        self.more.setVisible(bool(rest))
