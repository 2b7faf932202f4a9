"""The detail pane: every field of one structure as plain text, contact actions on click, note, favourite."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, QUrl, Signal, SignalInstance
from PySide6.QtGui import QDesktopServices, QGuiApplication, QResizeEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...core import hours, vocabulary
from ...core.phones import shown
from ...core.records import Structure
from ...core.territories import Referential
from ..results.badge_delegate import BadgeRow
from . import present
from .wrap_row import ValueRow, breakable

NOTE_SAVE_DELAY_MS = 500
NARROW_WIDTH = 360  # below this, form labels go above their values


def plain_label(text: str = "", parent: QWidget | None = None, *, selectable: bool = True) -> QLabel:
    """A label that never interprets its text (data is untrusted): plain text, word wrap, selectable."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setText(text)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                      | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    return label


def safe_web_url(text: str) -> QUrl | None:
    """Only http(s) addresses open in the browser; anything else (javascript:, file:) is refused."""
    url = QUrl.fromUserInput(text.strip())
    return url if url.isValid() and url.scheme() in ("http", "https") and url.host() else None


class DetailPane(QScrollArea):
    """Shows one structure. Emits requests; the window does the work (on the task runner)."""

    favourite_toggled = Signal(str, bool)
    note_edited = Signal(str, str)
    add_to_list_requested = Signal(str)
    report_requested = Signal(str)
    edit_requested = Signal(str)
    message = Signal(str)

    def __init__(self, referential: Referential, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ref = referential
        self._structure: Structure | None = None
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAccessibleName(self.tr("Fiche de la structure"))
        self.setMinimumWidth(280)
        body = QWidget(self)
        self._layout = QVBoxLayout(body)
        self.title = plain_label("", body)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setAccessibleName(self.tr("Nom de la structure"))
        self.badges = BadgeRow(body)
        actions = QHBoxLayout()
        actions2 = QHBoxLayout()
        self.star = QToolButton(body)
        self.star.setCheckable(True)
        self.star.setText(self.tr("☆ Favori"))
        self.star.setAccessibleName(self.tr("Favori"))
        self.star.setToolTip(self.tr("Ajouter aux favoris (Ctrl+D)"))
        self.star.toggled.connect(self._on_star)
        self.add_list = QToolButton(body)
        self.add_list.setText(self.tr("Ajouter à une liste…"))
        self.add_list.setAccessibleName(self.tr("Ajouter à une liste de contacts"))
        self.add_list.clicked.connect(lambda: self._emit_id(self.add_to_list_requested))
        self.report = QToolButton(body)
        self.report.setText(self.tr("Signaler une erreur…"))
        self.report.setAccessibleName(self.tr("Signaler une erreur sur cette fiche"))
        self.report.clicked.connect(lambda: self._emit_id(self.report_requested))
        self.edit = QToolButton(body)
        self.edit.setText(self.tr("Modifier…"))
        self.edit.setAccessibleName(self.tr("Modifier la structure locale"))
        self.edit.clicked.connect(lambda: self._emit_id(self.edit_requested))
        for w in (self.star, self.add_list):
            actions.addWidget(w)
        for w in (self.report, self.edit):
            actions2.addWidget(w)
        actions.addStretch(1)
        actions2.addStretch(1)
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.note = QPlainTextEdit(body)
        self.note.setPlaceholderText(self.tr("Vos notes personnelles (enregistrées au fil de la frappe)"))
        self.note.setAccessibleName(self.tr("Note personnelle"))
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(110)
        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.setInterval(NOTE_SAVE_DELAY_MS)
        self._note_timer.timeout.connect(self.flush_note)
        self.note.textChanged.connect(self._note_timer.start)
        self.empty = plain_label(self.tr("Choisissez une structure dans la liste pour voir sa fiche."), body)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._layout.addWidget(self.empty)
        self._layout.addWidget(self.title)
        self._layout.addWidget(self.badges)
        self._layout.addLayout(actions)
        self._layout.addLayout(actions2)
        self._layout.addLayout(self.form)
        note_label = QLabel(self.tr("Note personnelle :"), body)
        note_label.setBuddy(self.note)
        self._layout.addWidget(note_label)
        self._layout.addWidget(self.note)
        self._layout.addStretch(1)
        self.setWidget(body)
        self._content = [self.title, self.badges, self.star, self.add_list, self.report, self.edit,
                         note_label, self.note]
        self.show_structure(None)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Narrow pane: each label above its value, so values get the whole width."""
        narrow = event.size().width() < NARROW_WIDTH
        policy = QFormLayout.RowWrapPolicy.WrapAllRows if narrow else QFormLayout.RowWrapPolicy.WrapLongRows
        if self.form.rowWrapPolicy() != policy:
            self.form.setRowWrapPolicy(policy)
        super().resizeEvent(event)

    @property
    def structure(self) -> Structure | None:
        return self._structure

    # --- showing --------------------------------------------------------------------------------------
    def show_structure(self, s: Structure | None, *, favourite: bool = False, note: str = "") -> None:
        self.flush_note()
        self._structure = s
        while self.form.rowCount():
            self.form.removeRow(0)
        self.empty.setVisible(s is None)
        for w in self._content:
            w.setVisible(s is not None)
        if s is None:
            return
        self.title.setText(s.name)
        self.badges.set_badges(present.badges(s))
        self.star.blockSignals(True)
        self.star.setChecked(favourite)
        self.star.setText(self.tr("★ Favori") if favourite else self.tr("☆ Favori"))
        self.star.blockSignals(False)
        self.edit.setVisible(s.is_local)
        self.note.blockSignals(True)
        self.note.setPlainText(note)
        self.note.blockSignals(False)
        self._fill(s)
        self.verticalScrollBar().setValue(0)

    def _row(self, label: str, value: str | QWidget) -> None:
        widget = plain_label(breakable(value)) if isinstance(value, str) else value
        if isinstance(widget, QLabel):
            widget.setAccessibleName(label)
        self.form.addRow(plain_label(label + " :", selectable=False), widget)

    def _fill(self, s: Structure) -> None:
        self._row(self.tr("Type"), vocabulary.label("type", s.type))
        if s.description:
            self._row(self.tr("Présentation"), s.description)
        for phone in s.phones:
            widget = self._phone_widget(shown(phone, s.departement), phone.number, phone.confidential)
            self._row(phone.label or self.tr("Téléphone"), widget)
        for email in s.emails:
            self._row(self.tr("Courriel"), self._link_widget(email, QUrl("mailto:" + email),
                                                             self.tr("Écrire")))
        if s.website and (url := safe_web_url(s.website)) is not None:
            self._row(self.tr("Site web"), self._link_widget(s.website, url, self.tr("Ouvrir le site")))
        elif s.website:
            self._row(self.tr("Site web"), s.website)
        address = "\n".join(x for x in (s.address, s.address2, f"{s.postal_code} {s.commune}".strip()) if x)
        if address:
            self._row(self.tr("Adresse"), self._copy_widget(address, self.tr("Copier l'adresse")))
        elif s.address_visibility != "public":
            self._row(self.tr("Adresse"), self.tr("Communiquée aux professionnels sur demande"))
        self._row(self.tr("Territoire"), present.place(self._ref, s))
        if not s.opening_hours.strip():  # said, not left out: « ouvert maintenant » lists these apart
            self._row(self.tr("Horaires"), self.tr("Non renseignés"))
        if s.opening_hours:
            week = hours.week_table(s.opening_hours)
            table = "\n".join(present.week_lines(week))
            now = hours.describe_now(s.opening_hours, s.timezone)
            zone = "" if s.timezone == "Europe/Paris" else self.tr(" (heure locale)")
            if now == "Ouvert 24 h/24" and len(week) == 7 and {span for _d, span in week} == {"24 h/24"}:
                now, zone, table = self.tr("Ouvert 24 h/24, 7 j/7"), "", ""  # one line says it all
            self._row(self.tr("Horaires"), f"{now}{zone}\n{table}".strip())
        if s.hours_text:
            self._row(self.tr("Accueil"), s.hours_text)
        self._row(self.tr("Intervient sur"), present.area_text(self._ref, s))
        publics = present.labels("public", s.publics)
        if s.age_min is not None or s.age_max is not None:
            publics += self.tr(" — âges : %1 à %2 ans").replace("%1", str(s.age_min or 0)).replace(
                "%2", str(s.age_max) if s.age_max is not None else "…")
        self._row(self.tr("Publics"), publics)
        self._row(self.tr("Accompagnement"), present.labels("support", s.supports))
        self._row(self.tr("Modalités"), present.labels("modality", s.modalities))
        updated = present.format_date(s.updated)
        if present.is_stale(s):
            updated += self.tr(" — plus de 12 mois : à vérifier")
        self._row(self.tr("Mise à jour"), updated)
        self._row(self.tr("Source"), present.source_text(s))
        if s.visibility != "public" or s.address_visibility != "public":
            self._row(self.tr("Diffusion"), self.tr("Informations réservées aux professionnels"))

    def _phone_widget(self, display: str, number: str, confidential: bool) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        copy = QToolButton(box)
        copy.setText(display + (self.tr(" (confidentiel)") if confidential else ""))
        copy.setAutoRaise(True)
        copy.setToolTip(self.tr("Copier le numéro"))
        copy.setAccessibleName(self.tr("Copier le numéro %1").replace("%1", display))
        copy.clicked.connect(lambda: self._copy(display, self.tr("Numéro copié : %1").replace("%1", display)))
        call = QToolButton(box)
        call.setText(self.tr("Appeler"))
        call.setAccessibleName(self.tr("Appeler le %1").replace("%1", display))
        call.clicked.connect(lambda: QDesktopServices.openUrl(QUrl("tel:" + number)))
        row.addWidget(copy)
        row.addWidget(call)
        row.addStretch(1)
        return box

    def _link_widget(self, text: str, url: QUrl, action: str) -> QWidget:
        label = plain_label(breakable(text))  # e-mails and addresses wrap instead of widening the pane
        label.setAccessibleName(text)
        button = QToolButton()
        button.setText(action)
        button.setAccessibleName(f"{action} : {text}")
        button.clicked.connect(lambda: QDesktopServices.openUrl(url))
        return ValueRow(label, [button])

    def _copy_widget(self, text: str, action: str) -> QWidget:
        label = plain_label(breakable(text))
        label.setAccessibleName(text)
        button = QToolButton()
        button.setText(self.tr("Copier"))
        button.setAccessibleName(action)
        button.clicked.connect(lambda: self._copy(text, self.tr("Adresse copiée")))
        return ValueRow(label, [button])

    def _copy(self, text: str, message: str) -> None:
        QGuiApplication.clipboard().setText(text)
        self.message.emit(message)

    # --- user edits -----------------------------------------------------------------------------------
    def set_favourite(self, on: bool) -> None:
        self.star.setChecked(on)

    def _on_star(self, on: bool) -> None:
        self.star.setText(self.tr("★ Favori") if on else self.tr("☆ Favori"))
        if self._structure is not None:
            self.favourite_toggled.emit(self._structure.id, on)

    def flush_note(self) -> None:
        """Save a pending note now (structure switch, window closing)."""
        if self._note_timer.isActive() and self._structure is not None:
            self._note_timer.stop()
            self.note_edited.emit(self._structure.id, self.note.toPlainText())
        elif self._structure is not None and self.sender() is self._note_timer:
            self.note_edited.emit(self._structure.id, self.note.toPlainText())

    def _emit_id(self, signal: SignalInstance) -> None:
        if self._structure is not None:
            signal.emit(self._structure.id)
