"""« Près de » with nothing local within the radius: the nearest structures and one-click wider radii."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ...core.nearby import NearHint, distance_text

_STYLE = ("NearNotice { background: #fff6d6; border: 1px solid #d9b400; border-radius: 4px; }"
          " NearNotice QLabel { color: #2b2200; }")


class NearNotice(QFrame):
    """Says that nothing local is near, lists the nearest structures, offers 50 / 100 / 200 km."""

    radius_chosen = Signal(int)
    structure_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(self.tr("Aucune structure locale dans le rayon"))
        self.setStyleSheet(_STYLE)
        self.text = QLabel(self)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        self._radii = QHBoxLayout()
        self._radii.setContentsMargins(0, 0, 0, 0)
        self._nearest = QVBoxLayout()
        self._nearest.setContentsMargins(0, 0, 0, 0)
        self._nearest.setSpacing(0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        layout.addWidget(self.text)
        layout.addLayout(self._nearest)
        layout.addLayout(self._radii)
        self.radius_buttons: list[QPushButton] = []
        self.nearest_buttons: list[QPushButton] = []
        self.hide()

    def show_hint(self, place: str, hint: NearHint) -> None:
        """Fill and show the notice (the list above it keeps the national lines); the words and the radii
        come from core.nearby, as `pare search --near` says them."""
        self._clear()
        self.text.setText(hint.sentence(place))
        for s, km in hint.nearest:
            button = QPushButton(f"{s.name} — {distance_text(km)}", self)
            button.setFlat(True)
            button.setStyleSheet("text-align: left; padding: 1px 4px;")
            button.setToolTip(self.tr("Voir la fiche"))
            button.setAccessibleName(self.tr("%1, à %2").replace("%1", s.name)
                                     .replace("%2", distance_text(km)))
            button.clicked.connect(lambda _c=False, sid=s.id: self.structure_chosen.emit(sid))
            self._nearest.addWidget(button)
            self.nearest_buttons.append(button)
        wider = hint.wider_km
        if wider:
            label = QLabel(self.tr("Élargir :"), self)
            self._radii.addWidget(label)
        for km in wider:
            button = QPushButton(self.tr("%1 km").replace("%1", str(km)), self)
            button.setAccessibleName(self.tr("Élargir le rayon à %1 km").replace("%1", str(km)))
            button.clicked.connect(lambda _c=False, r=km: self.radius_chosen.emit(r))
            self._radii.addWidget(button)
            self.radius_buttons.append(button)
        self._radii.addStretch(1)
        self.show()

    def _clear(self) -> None:
        for layout in (self._radii, self._nearest):
            while (item := layout.takeAt(0)) is not None:
                if (w := item.widget()) is not None:
                    w.hide()
                    w.deleteLater()
        self.radius_buttons, self.nearest_buttons = [], []
