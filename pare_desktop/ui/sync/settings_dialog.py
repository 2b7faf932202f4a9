"""The sync settings dialog: feed address, public key, access token (pro tier), reports, offline only."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...sync.settings import SyncSettings, TokenStore, default_key_path

log = logging.getLogger("pare.ui.sync")

#: save(values, on_done, on_error): store the settings on the database worker, report in the GUI thread.
Saver = Callable[[dict[str, Any], Callable[[], None], Callable[[BaseException], None]], None]


def url_problem(text: str, *, required: bool) -> str | None:
    """Why an address is not usable (French), or None."""
    if not text:
        return "adresse obligatoire" if required else None
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"adresse invalide : « {text} » (elle doit commencer par https://)"
    return None


class SyncSettingsDialog(QDialog):
    """Non-modal; validates before saving; the token never appears in clear after it is saved.

    It is given the settings already read and a `save` that stores them on the worker: no SQL here.
    """

    saved = Signal()

    def __init__(
        self, current: SyncSettings, data_dir: Path, save: Saver, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Paramètres de synchronisation"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._save = save
        self._tokens = TokenStore(data_dir)
        self.feed = QLineEdit(current.feed_url)
        self.feed.setPlaceholderText("https://…/flux-pare/")
        self.feed.setAccessibleName(self.tr("Adresse du flux"))
        self.key = QLineEdit(str(current.key_paths[0]))
        self.key.setAccessibleName(self.tr("Clé publique du flux"))
        choose = QPushButton(self.tr("Choisir…"))
        choose.clicked.connect(self._choose_key)
        default = QPushButton(self.tr("Clé fournie"))
        default.clicked.connect(lambda: self.key.setText(str(default_key_path())))
        key_row = QHBoxLayout()
        key_row.addWidget(self.key, 1)
        key_row.addWidget(choose)
        key_row.addWidget(default)
        self.token = QLineEdit()
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText(
            self.tr("jeton enregistré (laisser vide pour le garder)") if current.token else self.tr("aucun")
        )
        self.token.setAccessibleName(self.tr("Jeton d'accès professionnel"))
        self.forget = QCheckBox(self.tr("Oublier le jeton enregistré"))
        self.forget.setEnabled(bool(current.token))
        self.reports = QLineEdit(current.report_url)
        self.reports.setPlaceholderText(
            self.tr("aucune : les signalements restent sur cet ordinateur (exportables)")
        )
        self.reports.setAccessibleName(self.tr("Adresse d'envoi des signalements"))
        self.deadline = QSpinBox()
        self.deadline.setRange(1, 120)
        self.deadline.setSuffix(self.tr(" min"))
        self.deadline.setValue(max(1, round(current.http.deadline / 60)))
        self.deadline.setAccessibleName(self.tr("Durée maximale d'une synchronisation"))
        self.deadline.setToolTip(self.tr("Au-delà, la synchronisation s'arrête ; un téléchargement "
                                         "interrompu reprend où il s'était arrêté la fois suivante."))
        self._deadline_shown = self.deadline.value()
        self.offline = QCheckBox(self.tr("Ne jamais se connecter (hors ligne uniquement)"))
        self.offline.setChecked(current.offline_only)
        self.problem = QLabel()
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020;")
        form = QFormLayout()
        form.addRow(self.tr("Adresse du flux"), self.feed)
        form.addRow(self.tr("Clé publique"), key_row)
        form.addRow(self.tr("Jeton d'accès (professionnels)"), self.token)
        form.addRow("", self.forget)
        form.addRow(self.tr("Envoi des signalements"), self.reports)
        form.addRow(self.tr("Durée maximale"), self.deadline)
        form.addRow("", self.offline)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Enregistrer"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Annuler"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.problem)
        lay.addWidget(buttons)

    def _choose_key(self) -> None:
        from ..dialogs.files import ask_open_path  # French, from Documents or the last folder used

        path = ask_open_path(self, self.tr("Clé publique du flux"),
                             self.tr("Clés publiques (*.pub);;Tous les fichiers (*)"))
        if path is not None:
            self.key.setText(str(path))

    def save(self) -> bool:
        """Validate every field, then store all or nothing on the worker; tell what is wrong and where."""
        feed, reports = self.feed.text().strip(), self.reports.text().strip()
        key = Path(self.key.text().strip())
        problems = []
        if (p := url_problem(feed, required=False)) is not None:
            problems.append(self.tr("Adresse du flux : %1").replace("%1", p))
        if (p := url_problem(reports, required=False)) is not None:
            problems.append(self.tr("Envoi des signalements : %1").replace("%1", p))
        if not key.is_file():
            problems.append(self.tr("Clé publique : fichier introuvable « %1 »").replace("%1", str(key)))
        if problems:
            self.problem.setText("\n".join(problems))
            return False
        if self.forget.isChecked():
            self._tokens.clear()
        elif self.token.text().strip():
            self._tokens.set(self.token.text().strip())
        values: dict[str, Any] = {"feed_url": feed, "key_path": key, "report_url": reports,
                                  "offline_only": self.offline.isChecked()}
        if self.deadline.value() != self._deadline_shown:  # a deadline set in seconds stays as it was
            values["deadline_s"] = self.deadline.value() * 60
        self.problem.setText("")
        self._save(values, self._stored, self._not_stored)
        return True

    def _stored(self) -> None:
        self.saved.emit()
        self.accept()

    def _not_stored(self, exc: BaseException) -> None:
        log.error("sync settings not saved", exc_info=exc)
        self.problem.setText(self.tr("Paramètres non enregistrés : l'annuaire n'a pas pu être modifié "
                                     "(détails dans le journal). Réessayez."))
