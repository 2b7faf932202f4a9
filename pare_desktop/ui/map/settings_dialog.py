"""The map backgrounds dialog: offline MBTiles files the user adds, and the opt-in online OSM layer."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

KEY_MBTILES = "map/mbtiles"
KEY_ONLINE = "map/online_background"


def load_map_settings(settings: QSettings) -> tuple[list[Path], bool]:
    """The MBTiles files and the online switch saved by the user (tolerant of an odd settings file)."""
    try:
        files = [Path(p) for p in json.loads(str(settings.value(KEY_MBTILES, "[]") or "[]"))]
    except (ValueError, TypeError):
        files = []
    online = str(settings.value(KEY_ONLINE, "false")).lower() in ("true", "1")
    return files, online


def save_map_settings(settings: QSettings, files: list[Path], online: bool) -> None:
    settings.setValue(KEY_MBTILES, json.dumps([str(p) for p in files], ensure_ascii=False))
    settings.setValue(KEY_ONLINE, "true" if online else "false")


class MapSettingsDialog(QDialog):
    """Non-modal: changes apply when the user validates; `changed(files, online)` tells the map."""

    changed = Signal(list, bool)

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Fonds de carte"))
        self._settings = settings
        files, online = load_map_settings(settings)
        intro = QLabel(
            self.tr(
                "La carte fonctionne sans réseau avec les contours des départements et collectivités. "
                "Pour plus de détails hors ligne, ajoutez des fichiers MBTiles "
                "(un par territoire par exemple)."
            )
        )
        intro.setWordWrap(True)
        self.files = QListWidget()
        self.files.setAccessibleName(self.tr("Fichiers MBTiles"))
        for p in files:
            self.files.addItem(str(p))
        add = QPushButton(self.tr("Ajouter un fichier MBTiles…"))
        add.clicked.connect(self._ask_add)
        remove = QPushButton(self.tr("Retirer"))
        remove.clicked.connect(self._remove)
        self.online = QCheckBox(
            self.tr(
                "Utiliser le fond OpenStreetMap en ligne quand une connexion existe "
                "(des requêtes partent alors vers les serveurs d'OpenStreetMap)"
            )
        )
        self.online.setChecked(online)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Appliquer"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Annuler"))
        buttons.accepted.connect(self._apply)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addWidget(self.files)
        lay.addLayout(row)
        lay.addWidget(self.online)
        lay.addWidget(buttons)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def add_file(self, path: Path) -> None:
        if str(path) not in self.current_files_text():
            self.files.addItem(str(path))

    def current_files_text(self) -> list[str]:
        return [self.files.item(i).text() for i in range(self.files.count())]

    def _ask_add(self) -> None:
        from ..dialogs.files import ask_open_path  # French, from Documents or the last folder used

        path = ask_open_path(self, self.tr("Ajouter un fond de carte"),
                             self.tr("Fonds de carte MBTiles (*.mbtiles)"))
        if path is not None:
            self.add_file(path)

    def _remove(self) -> None:
        for item in self.files.selectedItems():
            self.files.takeItem(self.files.row(item))

    def _apply(self) -> None:
        files = [Path(t) for t in self.current_files_text()]
        save_map_settings(self._settings, files, self.online.isChecked())
        self.changed.emit(files, self.online.isChecked())
        self.accept()
