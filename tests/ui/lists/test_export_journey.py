"""A coordinator orders a list of five structures, exports it as PDF from the File menu and reads it back
(pdftotext): the structures in the order given, French hours, national lines last. File dialogs: French,
in Documents, then in the last folder used."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from pare_desktop.app import install_translations
from pare_desktop.core.records import SearchQuery
from pare_desktop.ui.dialogs.files import KEY_LAST_FOLDER, documents_folder, make_dialog, remember

from ..helpers import settle


def menu_action(menu: Any, text: str) -> Any:
    return next(a for a in menu.actions() if a.text().replace("&", "") == text)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is needed")
def test_five_reordered_structures_to_pdf(gui: Any, qtbot: QtBot, tmp_path: Path) -> None:
    w, lists, runner = gui.window, gui.workspace.lists, gui.runner
    w.tabs.setCurrentIndex(gui.workspace.lists_tab)
    lists.create_list("Partenaires Guyane")
    settle(gui, qtbot)
    ids = list(gui.directory.search(SearchQuery(territories=("973",), include_national=False)).ids[:5])
    lists.add_to_current(ids)
    assert runner.wait_idle()
    names = [t.split(" — ")[0] for t in lists.item_texts()]
    assert len(names) == 5
    # the last one goes to the top, with the keyboard (Ctrl+Up four times)
    lists.items.setFocus()
    lists.items.setCurrentIndex(lists.entries_model.index(4, 0))
    for _ in range(4):
        qtbot.keyClick(lists.items, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert runner.wait_idle()
    order = [names[4], *names[:4]]
    assert [t.split(" — ")[0] for t in lists.item_texts()] == order
    # Fichier › Exporter / imprimer une liste…
    menu_action(w.menu_file, "Exporter / imprimer une liste…").trigger()
    dialog = lists.dialog
    assert dialog.isVisible() and dialog.national.isChecked()
    assert dialog.status.text() == "5 structure(s) à exporter, puis les lignes nationales"
    dialog.format.setCurrentIndex(dialog.format.findData("pdf"))
    out = tmp_path / "partenaires.pdf"
    dialog.export_to(out)
    assert runner.wait_idle() and dialog.task.error is None
    assert "partenaires.pdf : " in dialog.status.text()
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())
    positions = [flat.index(f"{n}. {name}") for n, name in enumerate(order, 1)]
    assert positions == sorted(positions)
    assert "Horaires : lun.–ven." in flat or "Horaires : 24 h/24" in flat
    assert "Mo-" not in flat and "Tu-" not in flat and "24/7" not in flat
    assert flat.index("Lignes nationales") > positions[-1] and "Allô Enfance en danger" in flat
    dialog.close()


def test_lists_context_menu_offers_the_export(gui: Any, qtbot: QtBot) -> None:
    lists = gui.workspace.lists
    texts = [a.text() for a in lists.list_actions]
    assert "Exporter / imprimer la liste…" in texts
    lists._items_menu(lists.items.rect().center())
    assert "Exporter / imprimer la liste…" in [a.text() for a in lists.menu.actions()]
    lists.menu.close()


def test_file_dialogs_speak_french_and_remember_the_folder(qapp: Any, tmp_path: Path) -> None:
    translators = install_translations(qapp)
    try:
        settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
        dialog = make_dialog(None, "Exporter", "Document PDF (*.pdf)", save=True, suggested="liste.pdf",
                             settings=settings)
        assert Path(dialog.directory().absolutePath()) == documents_folder()
        dialog.show()
        labels = {label.text() for label in dialog.findChildren(QLabel)}
        assert {"Dossier :", "Nom du fichier :", "Type de fichier :"} <= labels
        buttons = {b.text() for b in dialog.findChildren(QPushButton)}
        assert {"Enregistrer", "Annuler"} <= buttons
        dialog.close()
        folder = tmp_path / "exports"
        folder.mkdir()
        remember(folder / "a.pdf", settings)
        assert settings.value(KEY_LAST_FOLDER) == str(folder)
        again = make_dialog(None, "Importer", "Tableaux (*.csv)", save=False, settings=settings)
        assert Path(again.directory().absolutePath()) == folder
    finally:
        for t in translators:
            qapp.removeTranslator(t)
