"""Files the user opens (a directory to import, a map background, a feed key) are chosen in a French dialog
that starts in the last folder used (Documents the first time) and remembers the folder chosen."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from pare_desktop.ui.dialogs.files import KEY_LAST_FOLDER
from pare_desktop.ui.settings import app_settings

CSV = "identifiant;Nom;Type;Commune;Code postal\na1;Maison d'essai;urgence;Mamoudzou;97600\n"


def answer(qtbot: QtBot, seen: dict[str, Any], chosen: Path | None) -> None:
    """When the file dialog is up: note what it shows, then pick `chosen` (or cancel)."""

    tries = [0]

    def act() -> None:
        shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog) and w.isVisible()]
        if not shown:
            tries[0] += 1
            if tries[0] < 100:  # 5 s, then the test fails on `seen` instead of hanging
                QTimer.singleShot(50, act)
            return
        dialog = shown[0]
        seen["folder"] = Path(dialog.directory().absolutePath())
        seen["labels"] = {label.text() for label in dialog.findChildren(QLabel)}
        seen["buttons"] = {b.text() for b in dialog.findChildren(QPushButton)}
        seen["title"] = dialog.windowTitle()
        if chosen is None:
            dialog.reject()
        else:
            name = dialog.findChild(QLineEdit, "fileNameEdit")  # the user types the file's path
            qtbot.keyClicks(name, str(chosen))
            qtbot.keyClick(name, Qt.Key.Key_Return)

    QTimer.singleShot(50, act)


def run_with(qtbot: QtBot, ask: Callable[[], object], chosen: Path | None) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    answer(qtbot, seen, chosen)
    ask()
    assert seen, "no file dialog was shown"
    return seen


def french(seen: dict[str, Any]) -> None:
    assert {"Nom du fichier :", "Type de fichier :"} <= seen["labels"]
    assert "Annuler" in seen["buttons"] and "Ouvrir" in seen["buttons"]


def test_import_opens_in_the_last_folder_and_remembers(gui: Any, qtbot: QtBot, tmp_path: Path) -> None:
    folder = tmp_path / "annuaires"
    folder.mkdir()
    settings = app_settings()
    settings.setValue(KEY_LAST_FOLDER, str(folder))
    target = tmp_path / "recus" / "trois.csv"
    target.parent.mkdir()
    target.write_text(CSV, encoding="utf-8")
    importer = gui.workspace.importer
    seen = run_with(qtbot, importer.ask, target)
    assert seen["folder"] == folder and seen["title"] == "Importer un annuaire"
    french(seen)
    qtbot.waitUntil(lambda: importer.dialog is not None and importer.dialog.isVisible(), timeout=30_000)
    assert importer.dialog.heading.text().startswith("trois.csv : 1 structure(s)")
    assert app_settings().value(KEY_LAST_FOLDER) == str(target.parent)
    importer.dialog.reject()


def test_map_background_and_feed_key_use_the_same_dialog(gui: Any, qtbot: QtBot, tmp_path: Path) -> None:
    folder = tmp_path / "fonds"
    folder.mkdir()
    tiles = folder / "mayotte.mbtiles"
    tiles.write_bytes(b"")
    app_settings().setValue(KEY_LAST_FOLDER, str(folder))
    map_dialog = gui.workspace.open_map_settings()
    seen = run_with(qtbot, map_dialog._ask_add, tiles)
    assert seen["folder"] == folder
    french(seen)
    assert str(tiles) in map_dialog.current_files_text()
    map_dialog.close()

    key = tmp_path / "cles" / "flux.pub"
    key.parent.mkdir()
    key.write_text("clé", encoding="utf-8")
    with qtbot.waitSignal(gui.workspace.sync.settings_shown, timeout=10_000) as shown:
        gui.workspace.open_sync_settings()
    sync_dialog = shown.args[0]
    seen = run_with(qtbot, sync_dialog._choose_key, key)
    assert seen["folder"] == folder  # the folder the map background came from
    french(seen)
    assert sync_dialog.key.text() == str(key)
    assert app_settings().value(KEY_LAST_FOLDER) == str(key.parent)
    sync_dialog.close()
