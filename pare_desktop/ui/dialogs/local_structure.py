"""Create or edit a local structure (the user's own contact, marked "local", searchable like the others)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QWidget,
)

from ...core import hours, vocabulary
from ...core.records import ORIGIN_LOCAL, Area, Structure
from ...core.territories import Commune, Referential


class LocalStructureDialog(QDialog):
    """Window-modal but never blocking (open(), not exec()): `saved(Structure)` when the user confirms."""

    saved = Signal(object)

    def __init__(self, referential: Referential, structure: Structure | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ref = referential
        self._original = structure
        self._commune: Commune | None = None
        self.setWindowTitle(self.tr("Modifier la structure locale") if structure
                            else self.tr("Nouvelle structure locale"))
        self.setAccessibleName(self.windowTitle())
        self.name = QLineEdit(self)
        self.type = QComboBox(self)
        for term in vocabulary.terms("type"):
            self.type.addItem(term.label, term.slug)
        self.commune = QLineEdit(self)
        self.commune.setPlaceholderText(self.tr("Commune ou code postal"))
        self._communes: dict[str, Commune] = {}
        completer = QCompleter([], self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.commune.setCompleter(completer)
        self.commune.textEdited.connect(self._complete)
        completer.activated[str].connect(self._choose)  # type: ignore[index]
        self.address = QLineEdit(self)
        self.phones = QLineEdit(self)
        self.phones.setPlaceholderText(self.tr("Plusieurs numéros : séparez-les par « ; »"))
        self.email = QLineEdit(self)
        self.website = QLineEdit(self)
        self.hours = QLineEdit(self)
        self.hours.setPlaceholderText("Mo-Fr 09:00-12:00,13:30-17:00")
        self.description = QPlainTextEdit(self)
        self.description.setTabChangesFocus(True)
        self.description.setMaximumHeight(80)
        self.publics = QListWidget(self)
        for term in vocabulary.terms("public"):
            item = QListWidgetItem(term.label, self.publics)
            item.setData(Qt.ItemDataRole.UserRole, term.slug)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.publics.setMaximumHeight(110)
        self.error = QLabel(self)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        self.error.setAccessibleName(self.tr("Erreur de saisie"))
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Enregistrer"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Annuler"))
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        for label, widget in ((self.tr("&Nom"), self.name), (self.tr("&Type"), self.type),
                              (self.tr("&Commune"), self.commune), (self.tr("&Adresse"), self.address),
                              (self.tr("Télé&phones"), self.phones), (self.tr("Co&urriel"), self.email),
                              (self.tr("&Site web"), self.website), (self.tr("&Horaires (OSM)"), self.hours),
                              (self.tr("&Présentation"), self.description),
                              (self.tr("P&ublics"), self.publics)):
            form.addRow(label, widget)
            widget.setAccessibleName(label.replace("&", ""))
        form.addRow(self.error)
        form.addRow(buttons)
        self.resize(520, 560)
        if structure is not None:
            self._load(structure)

    def _load(self, s: Structure) -> None:
        self.name.setText(s.name)
        self.type.setCurrentIndex(max(0, self.type.findData(s.type)))
        if s.commune_code and (c := self._ref.commune(s.commune_code)) is not None:
            self._commune = c
        self.commune.setText(s.commune)
        self.address.setText(s.address)
        self.phones.setText(" ; ".join(p.display for p in s.phones))
        self.email.setText(", ".join(s.emails))
        self.website.setText(s.website)
        self.hours.setText(s.opening_hours)
        self.description.setPlainText(s.description)
        for i in range(self.publics.count()):
            item = self.publics.item(i)
            checked = item.data(Qt.ItemDataRole.UserRole) in s.publics
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def _complete(self, text: str) -> None:
        self._communes = {f"{c.name} ({c.postal_codes[0] if c.postal_codes else c.departement})": c
                          for c in self._ref.find_communes(text, 12)}
        model = self.commune.completer().model()
        model.setStringList(list(self._communes))  # type: ignore[attr-defined]
        self._commune = None

    def _choose(self, text: str) -> None:
        self._commune = self._communes.get(text)

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def build(self) -> Structure | None:
        """The structure described by the form, or None (with a message shown) when a field is wrong."""
        name = " ".join(self.name.text().split())
        if not name:
            self._fail(self.tr("Le nom est obligatoire."))
            return None
        if (problem := hours.validate_hours(self.hours.text())) is not None:
            self._fail(problem)
            return None
        c = self._commune
        dep = c.departement if c else ""
        from ...core.phones import InvalidPhone, normalize_phone  # phonenumbers: loaded when needed

        phones = []
        for raw in (p.strip() for p in self.phones.text().split(";")):
            if raw:
                try:
                    phones.append(normalize_phone(raw, dep))
                except InvalidPhone as exc:
                    self._fail(str(exc))
                    return None
        t = self._ref.territory(dep) if dep else None
        base = self._original or Structure(id="", source="local", source_id="", name=name, type="")
        items = [self.publics.item(i) for i in range(self.publics.count())]
        publics = tuple(it.data(Qt.ItemDataRole.UserRole) for it in items
                        if it.checkState() == Qt.CheckState.Checked)
        return replace(
            base, name=name, type=self.type.currentData(), address=self.address.text().strip(),
            commune=c.name if c else self.commune.text().strip(), commune_code=c.code if c else "",
            postal_code=c.postal_codes[0] if c and c.postal_codes else "", departement=dep,
            region=t.region if t and t.kind == "departement" else "",
            latitude=c.latitude if c else None, longitude=c.longitude if c else None,
            timezone=t.timezone if t else "Europe/Paris", phones=tuple(phones),
            emails=tuple(e.strip() for e in self.email.text().split(",") if e.strip()),
            website=self.website.text().strip(), opening_hours=self.hours.text().strip(),
            description=self.description.toPlainText().strip(), publics=publics,
            area=base.area if not base.area.is_empty else Area(communes=(c.code,) if c else ()),
            origin=ORIGIN_LOCAL, updated=date.today(),
        )

    def _save(self) -> None:
        s = self.build()
        if s is not None:
            self.saved.emit(s)
            self.accept()
