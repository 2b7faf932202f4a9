"""File dialogs in French that start in the user's Documents folder and remember the last folder used."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QLineEdit, QWidget

from ..settings import app_settings

#: QSettings key holding the last folder a file was opened from or saved to.
KEY_LAST_FOLDER = "files/last_folder"


def documents_folder() -> Path:
    """The user's Documents folder (the home folder when the platform has none)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    path = Path(found) if found else Path.home()
    return path if path.is_dir() else Path.home()


def start_folder(settings: QSettings | None = None) -> Path:
    """Where the next dialog opens: the last folder used if it still exists, else Documents."""
    settings = settings or app_settings()
    last = settings.value(KEY_LAST_FOLDER, "", type=str)
    if last and Path(str(last)).is_dir():
        return Path(str(last))
    return documents_folder()


def remember(path: Path, settings: QSettings | None = None) -> None:
    (settings or app_settings()).setValue(KEY_LAST_FOLDER, str(path.parent))


def make_dialog(parent: QWidget | None, title: str, filters: str, *, save: bool,
                suggested: str = "", settings: QSettings | None = None) -> QFileDialog:
    """A file dialog whose every word is French: Qt's own dialog, translated by the qtbase catalogue
    the application loads (the platform's native dialog may ignore it)."""
    dialog = QFileDialog(parent, title, str(start_folder(settings)), filters)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    if save:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setLabelText(QFileDialog.DialogLabel.Accept, dialog.tr("Enregistrer"))
        if suggested:
            dialog.selectFile(suggested)
        dialog.filterSelected.connect(lambda chosen: _follow_filter(dialog, chosen))
    else:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setLabelText(QFileDialog.DialogLabel.Accept, dialog.tr("Ouvrir"))
    dialog.setLabelText(QFileDialog.DialogLabel.LookIn, dialog.tr("Dossier :"))
    dialog.setLabelText(QFileDialog.DialogLabel.FileName, dialog.tr("Nom du fichier :"))
    dialog.setLabelText(QFileDialog.DialogLabel.FileType, dialog.tr("Type de fichier :"))
    dialog.setLabelText(QFileDialog.DialogLabel.Reject, dialog.tr("Annuler"))
    return dialog


def _follow_filter(dialog: QFileDialog, chosen: str) -> None:
    """The file type chosen changes the name's extension (« signalements.csv » -> « signalements.json »)."""
    found = re.search(r"\*\.(\w+)", chosen)
    edit = dialog.findChild(QLineEdit, "fileNameEdit")
    if found and isinstance(edit, QLineEdit) and edit.text().strip():
        edit.setText(str(Path(edit.text().strip()).with_suffix("." + found.group(1))))


def _run(dialog: QFileDialog, settings: QSettings | None) -> Path | None:
    if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return None
    path = Path(dialog.selectedFiles()[0])
    remember(path, settings)
    return path


def ask_open_path(parent: QWidget | None, title: str, filters: str,
                  settings: QSettings | None = None) -> Path | None:
    """Ask for a file to read; None when the user cancels."""
    return _run(make_dialog(parent, title, filters, save=False, settings=settings), settings)


def ask_save_path(parent: QWidget | None, title: str, suggested: str, filters: str,
                  settings: QSettings | None = None) -> Path | None:
    """Ask where to write a file (suggested name in the last folder); None when the user cancels."""
    return _run(make_dialog(parent, title, filters, save=True, suggested=suggested, settings=settings),
                settings)
