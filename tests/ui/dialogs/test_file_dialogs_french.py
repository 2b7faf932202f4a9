"""Every file dialog the user meets speaks French: the sync key, the map backgrounds, the reports export."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from pare_desktop.app import Gui, install_translations


def _labels_of_next_file_dialog(seen: list[set[str]]) -> Callable[[], None]:
    """Read the labels of the file dialog about to open, then cancel it."""

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(20, look)
            return
        seen.append({label.text() for label in dialog.findChildren(QLabel)})
        dialog.reject()

    return look


def _click(button_text: str, widget: Any, qtbot: QtBot) -> set[str]:
    seen: list[set[str]] = []
    QTimer.singleShot(0, _labels_of_next_file_dialog(seen))
    button = next(b for b in widget.findChildren(QPushButton) if b.text() == button_text)
    button.click()
    qtbot.waitUntil(lambda: bool(seen), timeout=5_000)
    return seen[0]


def test_sync_key_and_map_background_dialogs_are_french(gui: Gui, qtbot: QtBot, qapp: Any) -> None:
    translators = install_translations(qapp)
    try:
        sync = gui.workspace.sync
        with qtbot.waitSignal(sync.settings_shown, timeout=5_000) as shown:
            sync.open_settings()
        labels = _click("Choisir…", shown.args[0], qtbot)
        assert {"Dossier :", "Type de fichier :"} <= labels and "Look in:" not in labels
        shown.args[0].close()
        dialog = gui.workspace.open_map_settings()
        labels = _click("Ajouter un fichier MBTiles…", dialog, qtbot)
        assert {"Dossier :", "Type de fichier :"} <= labels and "Files of type:" not in labels
        dialog.close()
    finally:
        for t in translators:
            qapp.removeTranslator(t)
