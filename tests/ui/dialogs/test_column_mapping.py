"""A spreadsheet with no recognised name column: the user says which column is what, once per file shape."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from pare_desktop.core.records import SearchQuery
from tests.ui.helpers import settle


def confirm_preview(qtbot: QtBot, importer: Any) -> None:
    """The import preview opens; the user confirms it; the import is applied."""
    qtbot.waitUntil(lambda: importer.dialog is not None and importer.dialog.isVisible(), timeout=30_000)
    with qtbot.waitSignal(importer.imported, timeout=30_000):
        importer.dialog.import_button.click()
    importer.dialog = None


def test_unrecognised_columns_mapped_then_remembered(gui: Any, qtbot: QtBot, tmp_path: Path) -> None:
    ws = gui.workspace
    first = tmp_path / "export_asso.csv"
    first.write_text("Structure accueillante;Catégorie;Ville;Numéro\n"
                     "Accueil d'essai (démo);Hébergement;Mamoudzou;0269 61 00 00\n", encoding="utf-8")
    ws.importer.start(first)
    assert gui.runner.wait_idle()
    qtbot.waitUntil(lambda: ws.importer.mapping_dialog is not None)
    dialog = ws.importer.mapping_dialog
    assert dialog.combos["Ville"].currentData() == "commune"  # recognised columns come chosen
    assert not dialog.ok.isEnabled()  # no name column yet
    name = dialog.combos["Structure accueillante"]
    name.setCurrentIndex(name.findData("nom"))
    number = dialog.combos["Numéro"]
    number.setCurrentIndex(number.findData("telephones"))
    assert dialog.ok.isEnabled()
    dialog.ok.click()
    confirm_preview(qtbot, ws.importer)
    settle(gui, qtbot)
    done = ws.importer.box
    assert done is not None and done.informativeText() == ""  # a known type: nothing to warn about
    found = gui.directory.search(SearchQuery(text="essai"))
    assert found.total == 1
    # the next file of the same shape is read with the same mapping, without asking
    second = tmp_path / "export_asso_2.csv"
    second.write_text("VILLE;structure accueillante;catégorie;numéro\n"
                      "Cayenne;Second accueil (démo);Addictions;0594 10 12 34\n", encoding="utf-8")
    ws.importer.mapping_dialog = None
    ws.importer.start(second)
    confirm_preview(qtbot, ws.importer)
    assert ws.importer.mapping_dialog is None
    box = ws.importer.box
    assert box is not None and "Import terminé" in box.windowTitle()
    settle(gui, qtbot)
    assert gui.directory.search(SearchQuery(text="second accueil")).total == 1


def test_warnings_are_shown_after_the_import(gui: Any, qtbot: QtBot) -> None:
    ws = gui.workspace
    umap = Path(__file__).parents[2] / "core" / "importers" / "data" / "carte_terrain.umap"
    ws.importer.start(umap)
    confirm_preview(qtbot, ws.importer)
    box = ws.importer.box
    assert box is not None and "4 structure(s) ajoutée(s)" in box.text()
    details = box.informativeText()
    assert "« Divers » (1)" in details and "adresse distante" in details
    assert "2 élément(s) ignoré(s)" in details
