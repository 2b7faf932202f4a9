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


def test_reports_export_asks_in_french_and_writes_the_chosen_file(
    gui: Gui, qtbot: QtBot, qapp: Any, tmp_path: Any
) -> None:
    """Outils › Exporter les signalements… : the shared French dialog (files.py), the suggested name, the
    file type choosing the extension, and the file written where the user said."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QComboBox, QLineEdit

    gui.directory.user.queue_report("reference:119", "119", "Horaires à vérifier")
    translators = install_translations(qapp)
    seen: dict[str, Any] = {}

    def open_dialog() -> QFileDialog | None:
        found = [w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog) and w.isVisible()]
        return found[0] if found else None

    def watchdog() -> None:  # a dialog left open would block exec() for ever: fail instead of hanging
        if (dialog := open_dialog()) is not None:
            seen["stuck"] = True
            dialog.reject()

    def answer() -> None:
        dialog = open_dialog()
        if dialog is None:
            QTimer.singleShot(20, answer)
            return
        QTimer.singleShot(8_000, watchdog)
        seen["labels"] = {label.text() for label in dialog.findChildren(QLabel)}
        seen["title"] = dialog.windowTitle()
        edit = dialog.findChild(QLineEdit, "fileNameEdit")
        seen["suggested"] = edit.text()
        kinds = dialog.findChild(QComboBox, "fileTypeCombo")
        qtbot.keyClick(kinds, Qt.Key.Key_Down)  # « JSON (*.json) »
        seen["after_type"] = edit.text()
        dialog.setDirectory(str(tmp_path))
        qtbot.keyClick(edit, Qt.Key.Key_Return)

    try:
        sync = gui.workspace.sync
        action = sync.export_reports_action
        assert action in gui.window.menu_tools.actions()
        QTimer.singleShot(0, answer)
        with qtbot.waitSignal(sync.outcome_ready, timeout=10_000, raising=False) as said:
            action.trigger()
    finally:
        for t in translators:
            qapp.removeTranslator(t)
    assert "stuck" not in seen, seen
    assert seen["title"] == "Exporter les signalements"
    assert {"Dossier :", "Type de fichier :", "Nom du fichier :"} <= seen["labels"]
    assert not {"Look in:", "Files of type:", "File name:"} & seen["labels"]
    assert seen["suggested"] == "signalements-pare.csv" and seen["after_type"] == "signalements-pare.json"
    assert said.args[0] == "1 signalement(s) exporté(s) dans « signalements-pare.json »"
    written = tmp_path / "signalements-pare.json"
    import json

    assert "Horaires à vérifier" in json.dumps(json.loads(written.read_text("utf-8")), ensure_ascii=False)
