"""Fichier › Importer un annuaire: preview (counts, rejected lines, mode), confirm, then undo."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from pare_desktop.core.records import SearchQuery
from tests.ui.helpers import settle

CSV = (
    "identifiant;Nom;Type;Commune;Code postal;Téléphone\n"
    "a1;Maison des ados d'essai;sante-ado-psy;Mamoudzou;97600;0269 61 91 00\n"
    "a2;Point écoute d'essai;aide-victimes-droit;Mamoudzou;97600;0269 61 91 01\n"
    "a3;Foyer d'essai;urgence;Dembéni;97660;0269 61 91 02\n"
    ";;urgence;Paris;75001;\n"
)


def structure_table(path: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return sorted(conn.execute("SELECT * FROM structure").fetchall(), key=repr)
    finally:
        conn.close()


def open_preview(gui: Any, qtbot: QtBot, tmp_path: Path) -> Any:
    path = tmp_path / "trois.csv"
    path.write_text(CSV, encoding="utf-8")
    importer = gui.workspace.importer
    importer.start(path)
    qtbot.waitUntil(lambda: importer.dialog is not None and importer.dialog.isVisible(), timeout=30_000)
    return importer.dialog


def counts(dialog: Any) -> dict[str, str]:
    return {key: label.text() for key, label in dialog.count_labels.items()}


def test_replace_preview_confirm_then_undo(gui: Any, qtbot: QtBot, tmp_path: Path) -> None:
    d, importer = gui.directory, gui.workspace.importer
    noted = "demo:01-001"
    d.user.set_note(noted, "Appeler le mardi")
    before = structure_table(d.path)
    assert not importer.undo_action.isEnabled()

    dialog = open_preview(gui, qtbot, tmp_path)
    assert dialog.heading.text() == "trois.csv : 3 structure(s) lue(s), 1 ligne(s) rejetée(s)."
    assert counts(dialog)["added"] == "3" and counts(dialog)["absent"] == "0"
    assert dialog.demo_label.text() == "conservée, avec son bandeau"
    assert dialog.rejects.rowCount() == 1
    assert dialog.rejects.item(0, 0).text() == "ligne 5" and "obligatoire" in dialog.rejects.item(0, 2).text()
    assert dialog.import_button.text() == "&Importer les 3 structure(s) valides"
    assert structure_table(d.path) == before  # the preview wrote nothing

    button = dialog.replace_button  # clicked on its round indicator, at the left
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))
    assert dialog.replace_button.isChecked()
    assert "fiche(s) de démonstration retirée(s)" in dialog.demo_label.text()
    assert counts(dialog)["withdrawn"] == "1"  # the noted demo record stays, flagged
    with qtbot.waitSignal(importer.imported, timeout=30_000) as done:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert (done.args[0].added, done.args[0].mode) == (3, "replace")
    settle(gui, qtbot)
    assert not d.dataset_info().is_demo
    assert "Annuler le dernier import" in importer.box.text()
    qtbot.waitUntil(importer.undo_action.isEnabled, timeout=10_000)
    assert "trois" in importer.undo_action.statusTip()

    importer.undo_action.trigger()
    box = importer.box
    assert box.icon() == QMessageBox.Icon.Question
    (yes,) = [b for b in box.buttons() if b.text() == "Annuler l'import"]
    with qtbot.waitSignal(importer.imported, timeout=30_000):
        qtbot.mouseClick(yes, Qt.MouseButton.LeftButton)
    settle(gui, qtbot)
    assert structure_table(d.path) == before
    assert d.dataset_info().is_demo and d.user.note(noted) == "Appeler le mardi"
    qtbot.waitUntil(lambda: not importer.undo_action.isEnabled(), timeout=10_000)


def test_add_mode_keeps_the_demo_and_shows_the_new_records(gui: Any, qtbot: QtBot, tmp_path: Path) -> None:
    w, d, importer = gui.window, gui.directory, gui.workspace.importer
    count = d.dataset_info().count
    dialog = open_preview(gui, qtbot, tmp_path)
    with qtbot.waitSignal(importer.imported, timeout=30_000):
        qtbot.keyClick(dialog.import_button, Qt.Key.Key_Space)
    settle(gui, qtbot)
    info = d.dataset_info()
    assert info.is_demo and info.count == count + 3
    w.set_query(SearchQuery(text="essai"))
    settle(gui, qtbot)
    assert sorted(w.model.structure_at(r).name for r in range(w.model.rowCount())) == [
        "Foyer d'essai",
        "Maison des ados d'essai",
        "Point écoute d'essai",
    ]


def test_file_menu_offers_import_and_undo(gui: Any) -> None:
    texts = [a.text() for a in gui.window.menu_file.actions()]
    assert "&Importer un annuaire…" in texts and "Annuler le &dernier import" in texts


def test_a_data_inclusion_file_is_previewed_and_imported_as_a_stream(
    gui: Any, qtbot: QtBot, tmp_path: Path
) -> None:
    """A JSON lines file: its rejects with their line numbers, its counts, then its records in the results."""
    from pare_desktop.core.importers.streamed import StreamedBatch
    from tests.core.importers.test_streamed import _items, _write

    w, d, importer = gui.window, gui.directory, gui.workspace.importer
    count = d.dataset_info().count
    path = _write(tmp_path / "structures.jsonl", _items(4))
    importer.start(path)
    qtbot.waitUntil(lambda: importer.dialog is not None and importer.dialog.isVisible(), timeout=30_000)
    dialog = importer.dialog
    assert isinstance(importer._found.batch, StreamedBatch)
    assert counts(dialog)["added"] == "5"
    assert not dialog.count_labels["unmatched"].isVisible()  # a structures file completes nothing
    rejected = {dialog.rejects.item(r, 0).text() for r in range(dialog.rejects.rowCount())}
    assert rejected == {"ligne 9", "ligne 10", "ligne 11"}  # duplicate id, bad e-mail, orphan service
    assert dialog.import_button.text() == "&Importer les 5 structure(s) valides"
    with qtbot.waitSignal(importer.imported, timeout=30_000) as done:
        qtbot.keyClick(dialog.import_button, Qt.Key.Key_Space)
    assert done.args[0].added == 5
    settle(gui, qtbot)
    assert d.dataset_info().count == count + 5
    w.set_query(SearchQuery(text="adolescents numéro"))
    settle(gui, qtbot)
    qtbot.waitUntil(lambda: all(w.model.structure_at(r) for r in range(w.model.rowCount())), timeout=10_000)
    names = sorted(s.name for r in range(w.model.rowCount()) if (s := w.model.structure_at(r)) is not None)
    assert [n for n in names if "numéro" in n] == [f"Maison des adolescents numéro {i}" for i in range(4)]


def test_a_services_file_completes_the_structures_imported_before(
    gui: Any, qtbot: QtBot, tmp_path: Path
) -> None:
    """Structures first, then their services file, through the window: the preview counts the
    structures it completes (nothing added), the import adds their supports, and undo takes them away."""
    import json
    import os

    from benchmarks.bench_import import split_datainclusion, write_datainclusion

    w, importer = gui.window, gui.workspace.importer
    feed, structures_file, services_file = (tmp_path / n for n in ("di.jsonl", "s.jsonl", "v.jsonl"))
    write_datainclusion(feed, 40)
    split_datainclusion(feed, structures_file, services_file)
    with services_file.open("a", encoding="utf-8") as f:  # a service whose structure is not there
        f.write(json.dumps({"source": "bench", "id": "x-svc", "structure_id": "ailleurs", "nom": "Écoute",
                            "description": "Écoute des jeunes.", "date_maj": "2026-01-01",
                            "thematiques": ["sante--sante-mentale"]}) + "\n")
    for path in (structures_file, services_file):
        importer.start(path)
        qtbot.waitUntil(lambda: importer.dialog is not None and importer.dialog.isVisible(), timeout=30_000)
        dialog = importer.dialog
        if path == services_file:
            assert counts(dialog)["added"] == "0"
            completed = int(counts(dialog)["updated"])
            assert completed > 30
            unmatched = dialog.count_labels["unmatched"]
            assert unmatched.isVisible() and int(unmatched.text()) >= 1  # « ailleurs » is not there
            if os.environ.get("PARE_SHOTS"):  # the dialog as the user sees it, for a look
                dialog.grab().save(f"{os.environ['PARE_SHOTS']}/services-preview.png")
                w.grab().save(f"{os.environ['PARE_SHOTS']}/services-window.png")
            w.set_query(SearchQuery(text="", supports=("accompagnement-juridique",)))
            settle(gui, qtbot)
            before = w.model.rowCount()
        with qtbot.waitSignal(importer.imported, timeout=30_000) as done:
            qtbot.keyClick(dialog.import_button, Qt.Key.Key_Space)
        settle(gui, qtbot)
    assert done.args[0].updated == completed
    w.set_query(SearchQuery(text="", supports=("accompagnement-juridique",)))
    settle(gui, qtbot)
    assert w.model.rowCount() > before  # the services' thématiques became the structures' supports
    qtbot.waitUntil(importer.undo_action.isEnabled, timeout=10_000)
    importer.undo_action.trigger()
    (yes,) = [b for b in importer.box.buttons() if b.text() == "Annuler l'import"]
    with qtbot.waitSignal(importer.imported, timeout=30_000):
        qtbot.keyClick(yes, Qt.Key.Key_Space)
    settle(gui, qtbot)
    w.set_query(SearchQuery(text="", supports=("accompagnement-juridique",)))
    settle(gui, qtbot)
    assert w.model.rowCount() == before
