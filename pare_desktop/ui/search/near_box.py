"""'Near a commune' filter: completion on commune names and postal codes, and a radius in km."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import QCompleter, QHBoxLayout, QLabel, QLineEdit, QSpinBox, QVBoxLayout, QWidget

from ...core.territories import Commune, Referential


@dataclass(frozen=True, slots=True)
class Near:
    commune_code: str
    label: str
    latitude: float
    longitude: float
    radius_km: int


class NearBox(QWidget):
    """Emits `changed` when a commune is chosen, cleared, or the radius changes."""

    changed = Signal()

    def __init__(self, referential: Referential, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ref = referential
        self._choices: dict[str, Commune] = {}
        self._near: Near | None = None
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(self.tr("Commune ou code postal"))
        self.edit.setAccessibleName(self.tr("Près de la commune"))
        self.edit.setClearButtonEnabled(True)
        self._model = QStringListModel(self)
        self.completer = QCompleter(self._model, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setMaxVisibleItems(12)
        self.edit.setCompleter(self.completer)
        self.radius = QSpinBox(self)
        self.radius.setRange(1, 500)
        self.radius.setValue(20)
        self.radius.setSuffix(self.tr(" km"))
        self.radius.setAccessibleName(self.tr("Rayon de recherche en kilomètres"))
        self._refill = QTimer(self)
        self._refill.setSingleShot(True)
        self._refill.setInterval(80)
        self._refill.timeout.connect(self._fill)
        self.edit.textEdited.connect(lambda _t: self._refill.start())
        self.edit.textChanged.connect(self._on_text_changed)
        self.completer.activated[str].connect(self._choose)  # type: ignore[index]
        self.edit.returnPressed.connect(self._choose_first)
        self.radius.valueChanged.connect(self._on_radius)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        row = QHBoxLayout()
        label = QLabel(self.tr("Rayon :"), self)
        label.setBuddy(self.radius)
        row.addWidget(label)
        row.addWidget(self.radius, 1)
        layout.addLayout(row)

    def value(self) -> Near | None:
        return self._near

    def set_value(self, near: Near | None) -> None:
        self._near = near
        self.blockSignals(True)
        try:
            self.edit.setText(near.label if near else "")
            if near:
                self.radius.setValue(near.radius_km)
        finally:
            self.blockSignals(False)

    def _fill(self) -> None:
        text = self.edit.text()
        if text in self._choices:  # a label the completion put there (↓ in the list): keep the choices
            return
        self._choices = {self._label(c): c for c in self._ref.find_communes(text, 15)}
        self._model.setStringList(list(self._choices))
        if self._choices and self.edit.hasFocus():
            self.completer.complete()

    def _label(self, c: Commune) -> str:
        t = self._ref.territory(c.departement)
        cp = c.postal_codes[0] if c.postal_codes else c.departement
        return f"{c.name} ({cp}) — {t.name if t else c.departement}"

    def _choose(self, text: str) -> None:
        c = self._choices.get(text)
        if c is None:
            return
        near = Near(c.code, text, c.latitude, c.longitude, self.radius.value())
        if self.edit.text() != text:
            self.edit.setText(text)
        if near != self._near:  # Entrée in the list both activates the item and presses Entrée
            self._near = near
            self.changed.emit()

    def _choose_first(self) -> None:
        text = self.edit.text()
        if self._near is not None and text == self._near.label:
            return
        if text in self._choices:  # ↓ then Entrée in the completion list: that commune
            self._choose(text)
            return
        self._fill()
        if self._choices:
            self._choose(next(iter(self._choices)))

    def _on_text_changed(self, text: str) -> None:
        if not text and self._near is not None:
            self._near = None
            self.changed.emit()

    def _on_radius(self, value: int) -> None:
        if self._near is not None:
            self._near = Near(self._near.commune_code, self._near.label, self._near.latitude,
                              self._near.longitude, value)
            self.changed.emit()
