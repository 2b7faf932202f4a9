"""The import preview shows how a field file was understood and lets the user change it before importing:
uMap layer names → structure types (« Non classé » highlighted), spreadsheet columns → fields."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QScrollBar, QWidget
from pytestqt.qtbot import QtBot

from pare_desktop.core.records import SearchQuery
from pare_desktop.ui.dialogs.import_mapping import UNCLASSIFIED_BACKGROUND
from tests.ui.helpers import settle


def feature(name: str, lon: float = 45.2279, lat: float = -12.7806) -> dict[str, object]:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"name": name}}


def write_umap(path: Path, layers: dict[str, list[str]]) -> Path:
    data = {"type": "umap", "properties": {"name": "Carte de l'association"}, "layers": [
        {"type": "FeatureCollection", "_umap_options": {"name": layer},
         "features": [feature(n) for n in names]} for layer, names in layers.items()]}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def open_preview(importer: Any, qtbot: QtBot, path: Path) -> Any:
    importer.dialog = None
    importer.start(path)
    qtbot.waitUntil(lambda: importer.dialog is not None and importer.dialog.isVisible(), timeout=30_000)
    return importer.dialog


def type_rows(dialog: Any) -> dict[str, tuple[str, str]]:
    """Value shown -> (type shown in its combo box, fiches)."""
    table = dialog.mapping.types_table
    return {table.item(r, 0).text(): (table.cellWidget(r, 2).currentText(), table.item(r, 1).text())
            for r in range(table.rowCount())}


def choose(qtbot: QtBot, combo: Any, text: str) -> None:
    """The user opens the list with a click and clicks the entry that starts with `text`."""
    index = combo.findText(text, Qt.MatchFlag.MatchStartsWith)
    assert index >= 0, text
    qtbot.mouseClick(combo, Qt.MouseButton.LeftButton)
    view = combo.view()
    qtbot.waitUntil(view.isVisible, timeout=2000)
    qtbot.wait(QApplication.doubleClickInterval() + 50)  # Qt ignores a release right after the opening
    view.scrollTo(view.model().index(index, 0))
    rect = view.visualRect(view.model().index(index, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: not view.isVisible(), timeout=2000)
    assert combo.currentIndex() == index


def wait_read(dialog: Any, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: not dialog.busy, timeout=30_000)


def test_layer_names_matched_changed_imported_then_remembered(gui: Any, qtbot: QtBot, tmp_path: Path) -> None:
    d, importer = gui.directory, gui.workspace.importer
    path = write_umap(tmp_path / "carte.umap", {
        "Écoute": ["Écoute des jeunes (essai)", "Ligne parents (essai)"],
        "Lieux amis": ["Café solidaire (essai)"],
    })
    dialog = open_preview(importer, qtbot, path)
    mapping = dialog.mapping
    assert mapping.isVisible() and mapping.tabText(0) == "Types de structure (1 non classé(s))"
    assert type_rows(dialog) == {"Écoute": ("Ligne d'écoute", "2"), "Lieux amis": ("Non classé", "1")}
    table = mapping.types_table
    assert table.item(1, 0).background().color() == UNCLASSIFIED_BACKGROUND  # « Non classé » stands out
    assert table.item(0, 0).background().style() == Qt.BrushStyle.NoBrush
    assert "1 calque(s) ne correspondent à aucun type" in mapping.types_note.text()
    assert dialog.count_labels["added"].text() == "3"

    choose(qtbot, mapping.type_combos["Lieux amis"], "Prévention")
    assert mapping.type_combos["Lieux amis"].currentData() == "prevention-specialisee"
    assert dialog.busy and not dialog.import_button.isEnabled()  # read again on the worker
    wait_read(dialog, qtbot)
    assert type_rows(dialog)["Lieux amis"] == ("Prévention spécialisée", "1")
    assert mapping.tabText(0) == "Types de structure (2)"
    assert table.item(1, 0).background().style() == Qt.BrushStyle.NoBrush
    assert importer._found.batch.type_values[1].chosen
    assert not any("Non classé" in w for w in importer._warnings)
    assert dialog.import_button.isEnabled()

    with qtbot.waitSignal(importer.imported, timeout=30_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    settle(gui, qtbot)
    found = {s.name: s.type for s in (d.get(i) for i in d.search(SearchQuery(text="essai")).ids) if s}
    assert found == {"Écoute des jeunes (essai)": "ligne-ecoute-nationale",
                     "Ligne parents (essai)": "ligne-ecoute-nationale",
                     "Café solidaire (essai)": "prevention-specialisee"}

    # next month's export of the same map: « Lieux amis » comes as the user chose it
    again = write_umap(tmp_path / "carte-janvier.umap", {
        "Lieux amis": ["Jardin partagé (essai)"], "Écoute": ["Écoute des jeunes (essai)"]})
    dialog = open_preview(importer, qtbot, again)
    assert type_rows(dialog) == {"Écoute": ("Ligne d'écoute", "1"),
                                 "Lieux amis": ("Prévention spécialisée", "1")}
    assert dialog.mapping.tabText(0) == "Types de structure (2)"
    dialog.reject()


CSV = (
    "Nom;Catégorie;Ville;CP\n"
    "Accueil A (essai);Hébergement;Mamoudzou;interne-1\n"
    "Accueil B (essai);Divers;Mamoudzou;97600\n"
    "Accueil C (essai);Addictions;Mamoudzou;interne-3\n"
)


def test_a_column_left_out_changes_the_counts(gui: Any, qtbot: QtBot, tmp_path: Path) -> None:
    importer = gui.workspace.importer
    path = tmp_path / "asso.csv"
    path.write_text(CSV, encoding="utf-8")
    dialog = open_preview(importer, qtbot, path)
    mapping = dialog.mapping
    assert [mapping.tabText(i) for i in range(mapping.count())] == [
        "Types de structure (1 non classé(s))", "Colonnes (4)"]
    assert dialog.count_labels["added"].text() == "1" and dialog.count_labels["rejected"].text() == "2"
    code = mapping.column_combos["CP"]
    assert code.currentText() == "Code postal"
    mapping.setCurrentIndex(1)
    choose(qtbot, code, "Ign")  # « Ignorer cette colonne »
    wait_read(dialog, qtbot)
    assert dialog.count_labels["added"].text() == "3" and dialog.count_labels["rejected"].text() == "0"
    assert not dialog.rejects.isVisible() and mapping.currentIndex() == 1
    assert type_rows(dialog)["Divers"] == ("Non classé", "1")

    name = mapping.column_combos["Nom"]
    choose(qtbot, name, "Ign")  # no name column: said, and nothing can be imported
    assert mapping.columns_problem.isVisible() and not dialog.import_button.isEnabled()
    assert not dialog.busy
    choose(qtbot, name, "Nom")
    wait_read(dialog, qtbot)
    assert dialog.import_button.isEnabled()
    with qtbot.waitSignal(importer.imported, timeout=30_000):
        qtbot.keyClick(dialog.import_button, Qt.Key.Key_Space)

    # the same columns in another file: « CP » is left out without asking
    second = tmp_path / "asso-2.csv"
    second.write_text("CP;Nom;Catégorie;Ville\ninterne-9;Accueil D (essai);Hébergement;Mamoudzou\n",
                      encoding="utf-8")
    dialog = open_preview(importer, qtbot, second)
    assert dialog.mapping.column_combos["CP"].currentText() == "Ignorer cette colonne"
    assert dialog.count_labels["rejected"].text() == "0"
    dialog.reject()


def test_preview_fits_small_screens(gui: Any, qtbot: QtBot, tmp_path: Path) -> None:
    """At 1024×600 and 1366×768 the preview needs no horizontal scroll bar; pictures for the docs."""
    path = tmp_path / "carte-association.umap"
    write_umap(path, {
        "Écoute": ["Écoute des jeunes (essai)", "Ligne parents (essai)"],
        "Hébergement / mise à l'abri": ["Foyer (essai)", "Abri de nuit (essai)", "Accueil de jour (essai)"],
        "Lieux amis": ["Café solidaire (essai)"],
        "Santé sexuelle": ["CeGIDD (essai)"],
        "Divers": ["Permanence (essai)", "Local (essai)"],
    })
    dialog = open_preview(gui.workspace.importer, qtbot, path)
    out = Path(os.environ.get("PARE_SCREENSHOTS", str(tmp_path)))
    for width, height in ((1024, 600), (1366, 768)):
        dialog.resize(width, height)
        qtbot.wait(50)
        assert dialog.width() <= width and dialog.height() <= height
        for bar in dialog.findChildren(QScrollBar):
            if bar.orientation() == Qt.Orientation.Horizontal:
                assert not bar.isVisible(), bar.parent().objectName()
        combo: QWidget = dialog.mapping.type_combos["Lieux amis"]
        right = combo.mapTo(dialog, QPoint(combo.width(), 0)).x()
        assert right <= dialog.width()
        dialog.grab().save(str(out / f"import-preview-{width}x{height}.png"))
    dialog.reject()
