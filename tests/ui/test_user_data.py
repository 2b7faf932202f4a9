"""Favourites, notes, contact lists and local structures survive a restart and a re-import; filters too."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from pare_desktop.app import Gui
from pare_desktop.core.records import Phone, SearchQuery, Structure
from pare_desktop.ui.dialogs.local_structure import LocalStructureDialog

from .helpers import settle


@dataclass
class _Batch:
    source: str
    records: list[Structure]


def _demo_row(gui: Gui) -> int:
    m = gui.window.model
    for row in range(m.rowCount()):
        s = m.structure_at(row)
        if s is not None and s.is_demo:
            return row
    raise AssertionError("no demo record")


def test_user_data_survives_restart_and_reimport(make_gui, db_path: Path, qtbot: QtBot,
                                                 settings: QSettings) -> None:
    gui: Gui = make_gui(db_path)
    w = gui.window
    row = _demo_row(gui)
    w.results.table.selectRow(row)
    settle(gui, qtbot)
    target = w.detail.structure
    assert target is not None
    w.detail.star.click()  # favourite
    qtbot.keyClicks(w.detail.note, "Appeler Mme X le mardi")
    w.actions_.create_list_with("Réseau Mayotte", [target.id])
    dialog = w.actions_.edit_local(None)
    assert isinstance(dialog, LocalStructureDialog)
    dialog.name.setText("Point écoute du quartier")  # QTest.keyClicks asserts on non-ASCII keys
    qtbot.keyClicks(dialog.commune, "Mamoudzou")
    dialog._complete("Mamoudzou")
    dialog._choose(next(iter(dialog._communes)))
    dialog.phones.setText("0269 61 00 00")
    dialog._save()
    settle(gui, qtbot)
    qtbot.wait(600)  # the note's debounce
    settle(gui, qtbot)
    w.set_query(SearchQuery(territories=("976",), text="ecoute"))
    settle(gui, qtbot)
    gui.close()

    gui2: Gui = make_gui(db_path)
    w2 = gui2.window
    # the last filters came back
    assert w2.search.query.territories == ("976",)
    assert w2.search_field.text() == "ecoute"
    user = gui2.directory.user
    assert target.id in user.favourite_ids()
    assert user.note(target.id) == "Appeler Mme X le mardi"
    (lst,) = user.lists()
    assert lst.name == "Réseau Mayotte" and user.list_ids(lst.id) == [target.id]
    (local,) = user.local_structures()
    assert local.name == "Point écoute du quartier" and local.departement == "976"
    assert local.phones[0].number == "+262269610000"
    names = [w2.model.structure_at(r).name for r in range(w2.model.rowCount())]  # type: ignore[union-attr]
    assert "Point écoute du quartier" in names

    # a re-import of publisher data retires the demo records; user data stays, flagged "retirée"
    real = Structure(id="pub:1", source="pub", source_id="1", name="Maison des adolescents de Mamoudzou",
                     type="sante-ado-psy", commune="Mamoudzou", departement="976", region="06",
                     phones=(Phone("+262269610001", "02 69 61 00 01"),))
    gui2.runner.submit(partial(gui2.directory.import_batch, mode="replace"), _Batch("pub", [real]))
    settle(gui2, qtbot)
    w2.refresh()
    settle(gui2, qtbot)
    assert target.id in user.favourite_ids()
    assert user.note(target.id) == "Appeler Mme X le mardi"
    assert user.list_ids(lst.id) == [target.id]
    w2.select_structure(target.id)
    settle(gui2, qtbot)
    shown = w2.detail.structure
    assert shown is not None and shown.withdrawn
    assert "retirée" in [b.text() for b in w2.detail.badges.labels]
    assert w2.detail.note.toPlainText() == "Appeler Mme X le mardi"
    assert w2.detail.star.isChecked()
    w2.set_query(SearchQuery(text="quartier"))
    settle(gui2, qtbot)
    assert w2.model.rowCount() == 1


def test_favourite_from_multi_selection_list(gui: Gui, qtbot: QtBot) -> None:
    w = gui.window
    w.results.table.selectRow(0)
    w.results.table.selectionModel().select(
        w.model.index(1, 0), w.results.table.selectionModel().SelectionFlag.Select
        | w.results.table.selectionModel().SelectionFlag.Rows)
    ids = w.results.selected_ids()
    assert len(ids) == 2
    w.action_add_list.trigger()
    settle(gui, qtbot)
    menu = w.actions_.last_menu
    assert menu is not None
    new = menu.actions()[-1]
    assert new.text() == "Nouvelle liste…"
    w.actions_.create_list_with("Sélection", ids)
    settle(gui, qtbot)
    menu.close()
    (lst,) = gui.directory.user.lists()
    assert gui.directory.user.list_ids(lst.id) == ids


def test_report_is_queued(gui: Gui, qtbot: QtBot) -> None:
    w = gui.window
    w.results.table.selectRow(0)
    settle(gui, qtbot)
    s = w.detail.structure
    assert s is not None
    with qtbot.waitSignal(w.actions_.message, timeout=5_000) as said:
        w.actions_.queue_report(s, "Le numéro a changé")
    assert "enregistré sur cet ordinateur" in said.args[0] and "Exporter les signalements" in said.args[0]
    settle(gui, qtbot)
    (report,) = gui.directory.user.reports()
    assert report.structure_id == s.id and report.message == "Le numéro a changé"
