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
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...core import vocabulary
from ...core.records import ORIGIN_LOCAL, Area, Structure
from ...core.territories import Commune, Referential
from .hours_editor import HoursEditor

#: A coordinator's own contact is most often a local partner, never a national line.
DEFAULT_TYPE = "coordination-reseau"
NATIONAL_TYPE = "ligne-ecoute-nationale"
#: Area of intervention choices: (key, label).
AREAS = (
    ("commune", "La commune"),
    ("departement", "Le département ou la collectivité"),
    ("region", "La région"),
    ("national", "Toute la France"),
)


def check_list(kind: str, parent: QWidget) -> QListWidget:
    """The terms of a vocabulary as a list of check boxes (slug in UserRole)."""
    widget = QListWidget(parent)
    for term in vocabulary.terms(kind):
        item = QListWidgetItem(term.label, widget)
        item.setData(Qt.ItemDataRole.UserRole, term.slug)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
    return widget


def checked(widget: QListWidget) -> tuple[str, ...]:
    items = [widget.item(i) for i in range(widget.count())]
    on = Qt.CheckState.Checked
    return tuple(it.data(Qt.ItemDataRole.UserRole) for it in items if it.checkState() == on)


def set_checked(widget: QListWidget, slugs: tuple[str, ...]) -> None:
    for i in range(widget.count()):
        item = widget.item(i)
        on = item.data(Qt.ItemDataRole.UserRole) in slugs
        item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)


class LocalStructureDialog(QDialog):
    """Window-modal but never blocking (open(), not exec()): `saved(Structure)` when the user confirms.

    Three tabs fit 1024×600: the contact, what it offers and to whom, its hours. A wrong field shows its
    error right under it, and its tab comes forward.
    """

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
        self.errors: dict[QWidget, QLabel] = {}
        self.tabs = QTabWidget(self)
        contact, offer, when = QWidget(), QWidget(), QWidget()
        self.tabs.addTab(contact, self.tr("&Coordonnées"))
        self.tabs.addTab(offer, self.tr("&Accompagnement et publics"))
        self.tabs.addTab(when, self.tr("&Horaires"))

        self.name = QLineEdit(contact)
        self.type = QComboBox(contact)
        for term in vocabulary.terms("type"):
            if term.slug != NATIONAL_TYPE or (structure is not None and structure.type == NATIONAL_TYPE):
                self.type.addItem(term.label, term.slug)
        self.type.setCurrentIndex(max(0, self.type.findData(DEFAULT_TYPE)))
        self.commune = QLineEdit(contact)
        self.commune.setPlaceholderText(self.tr("Commune ou code postal, puis choisir dans la liste"))
        self._communes: dict[str, Commune] = {}
        completer = QCompleter([], self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.commune.setCompleter(completer)
        self.commune.textEdited.connect(self._complete)
        completer.activated[str].connect(self._choose)  # type: ignore[index]
        self.address = QLineEdit(contact)
        self.phones = QLineEdit(contact)
        self.phones.setPlaceholderText(self.tr("Plusieurs numéros : séparez-les par « ; »"))
        self.email = QLineEdit(contact)
        self.website = QLineEdit(contact)
        self.description = QPlainTextEdit(contact)
        self.description.setTabChangesFocus(True)
        self.description.setMaximumHeight(70)
        form = QFormLayout(contact)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        fields: tuple[tuple[str, QWidget], ...] = (
                              (self.tr("&Nom"), self.name), (self.tr("&Type"), self.type),
                              (self.tr("Co&mmune"), self.commune), (self.tr("A&dresse"), self.address),
                              (self.tr("Télé&phones"), self.phones), (self.tr("Co&urriel"), self.email),
                              (self.tr("&Site web"), self.website),
                              (self.tr("P&résentation"), self.description))
        for label, widget in fields:
            self._row(form, label, widget)

        self.supports = check_list("support", offer)
        self.publics = check_list("public", offer)
        self.modalities = check_list("modality", offer)
        self.area = QComboBox(offer)
        for key, label in AREAS:
            self.area.addItem(self.tr(label), key)
        offer_form = QFormLayout(offer)
        offer_form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        fields = ((self.tr("Accompa&gnements"), self.supports), (self.tr("Pu&blics"), self.publics),
                  (self.tr("Moda&lités"), self.modalities), (self.tr("&Zone d'intervention"), self.area))
        for label, widget in fields:
            self._row(offer_form, label, widget)

        self.hours = HoursEditor(when)
        when_layout = QVBoxLayout(when)
        hours_label = QLabel(self.tr("Horaires d'&ouverture, en français : « Lu-Ve 8h-12h, 14h-17h »"))
        hours_label.setWordWrap(True)
        hours_label.setBuddy(self.hours.text)
        when_layout.addWidget(hours_label)
        when_layout.addWidget(self.hours)
        self.errors[self.hours] = self.hours.preview
        self.hours_note = QLineEdit(when)
        self.hours_note.setPlaceholderText(self.tr("par exemple « sur rendez-vous le mercredi après-midi »"))
        self.hours_note.setAccessibleName(self.tr("Précisions sur l'accueil"))
        note_label = QLabel(self.tr("Précisions sur l'accue&il (texte libre)"), when)
        note_label.setBuddy(self.hours_note)
        when_layout.addWidget(note_label)
        when_layout.addWidget(self.hours_note)
        when_layout.addStretch(1)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("Enregistrer"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Annuler"))
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        room = [700]
        if self.screen() is not None:
            room.append(self.screen().availableGeometry().height() - 40)
        if parent is not None:
            room.append(parent.window().height() - 20)
        self.resize(640, max(420, min(room)))
        if structure is not None:
            self._load(structure)

    def _row(self, form: QFormLayout, label: str, widget: QWidget) -> None:
        """A labelled field with its own error line right under it (hidden while the field is right)."""
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(1)
        column.addWidget(widget)
        error = QLabel(box)
        error.setTextFormat(Qt.TextFormat.PlainText)
        error.setWordWrap(True)
        error.setStyleSheet("color: #b00020;")
        error.setAccessibleName(self.tr("Erreur : %1").replace("%1", label.replace("&", "")))
        error.hide()
        column.addWidget(error)
        if isinstance(widget, QListWidget):  # as tall as its items (no scrolling), never taller
            rows = widget.count()
            widget.setMaximumHeight(widget.sizeHintForRow(0) * rows + 2 * widget.frameWidth() + 2)
            widget.setMinimumHeight(widget.sizeHintForRow(0) * min(rows, 5) + 2 * widget.frameWidth())
        box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        form.addRow(label, box)
        caption = form.labelForField(box)
        if isinstance(caption, QLabel):
            caption.setBuddy(widget)
        widget.setAccessibleName(label.replace("&", ""))
        self.errors[widget] = error

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
        self.hours.set_osm(s.opening_hours)
        self.hours_note.setText(s.hours_text)
        self.description.setPlainText(s.description)
        set_checked(self.supports, s.supports)
        set_checked(self.publics, s.publics)
        set_checked(self.modalities, s.modalities)
        a = s.area
        key = ("national" if a.national else "region" if a.regions else "departement" if a.departements
               else "commune")
        self.area.setCurrentIndex(max(0, self.area.findData(key)))

    def _complete(self, text: str) -> None:
        self._communes = {f"{c.name} ({c.postal_codes[0] if c.postal_codes else c.departement})": c
                          for c in self._ref.find_communes(text, 12)}
        model = self.commune.completer().model()
        model.setStringList(list(self._communes))  # type: ignore[attr-defined]
        self._commune = None

    def _choose(self, text: str) -> None:
        self._commune = self._communes.get(text)

    def error_texts(self) -> dict[str, str]:
        """The errors shown now, by field name (what a test or a screen reader reads)."""
        return {w.accessibleName(): e.text() for w, e in self.errors.items()
                if w is not self.hours and e.isVisible() and e.text()}

    def _clear_errors(self) -> None:
        for widget, label in self.errors.items():
            if widget is not self.hours:
                label.clear()
                label.hide()

    def _fail(self, widget: QWidget, message: str) -> None:
        """Show `message` under `widget`, bring its tab forward and put the cursor there."""
        label = self.errors[widget]
        label.setText(message)
        label.show()
        for i in range(self.tabs.count()):
            page = self.tabs.widget(i)
            if page is not None and page.isAncestorOf(widget):
                self.tabs.setCurrentIndex(i)
        (self.hours.text if widget is self.hours else widget).setFocus()

    def build(self) -> Structure | None:
        """The structure described by the form, or None (errors shown beside the fields)."""
        self._clear_errors()
        name = " ".join(self.name.text().split())
        if not name:
            self._fail(self.name, self.tr("Le nom est obligatoire."))
            return None
        c = self._commune
        if c is None and self.commune.text().strip():
            found = self._ref.find_communes(self.commune.text().strip(), 2)
            if len(found) == 1:
                c = found[0]
        dep = c.departement if c else ""
        from ...core.phones import InvalidPhone, normalize_phone  # phonenumbers: loaded when needed

        phones = []
        for raw in (p.strip() for p in self.phones.text().split(";")):
            if raw:
                try:
                    phones.append(normalize_phone(raw, dep))
                except InvalidPhone as exc:
                    self._fail(self.phones, str(exc))
                    return None
        if (problem := self.hours.error()) is not None:
            self._fail(self.hours, problem)
            return None
        t = self._ref.territory(dep) if dep else None
        region = t.region if t and t.kind == "departement" else ""
        area = self._area(c, dep, region)
        base = self._original or Structure(id="", source="local", source_id="", name=name, type="")
        return replace(
            base, name=name, type=self.type.currentData(), address=self.address.text().strip(),
            commune=c.name if c else self.commune.text().strip(), commune_code=c.code if c else "",
            postal_code=c.postal_codes[0] if c and c.postal_codes else "", departement=dep,
            region=region, latitude=c.latitude if c else None, longitude=c.longitude if c else None,
            timezone=t.timezone if t else "Europe/Paris", phones=tuple(phones),
            emails=tuple(e.strip() for e in self.email.text().split(",") if e.strip()),
            website=self.website.text().strip(), opening_hours=self.hours.osm(),
            hours_text=self.hours_note.text().strip(),
            description=self.description.toPlainText().strip(), supports=checked(self.supports),
            publics=checked(self.publics), modalities=checked(self.modalities), area=area,
            origin=ORIGIN_LOCAL, updated=date.today(),
        )

    def _area(self, c: Commune | None, dep: str, region: str) -> Area:
        key = self.area.currentData()
        if key == "national":
            return Area(national=True)
        if key == "region" and region:
            return Area(regions=(region,))
        if key in ("region", "departement") and dep:
            return Area(departements=(dep,))
        return Area(communes=(c.code,)) if c else Area()

    def _save(self) -> None:
        s = self.build()
        if s is not None:
            self.saved.emit(s)
            self.accept()
