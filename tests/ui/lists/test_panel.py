"""The lists panel edits real user data through the worker: create, rename, duplicate, delete, reorder
(buttons, keys and a drag), local import; its models pass QAbstractItemModelTester."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester

from pare_desktop.core.directory import Directory
from pare_desktop.core.records import SearchQuery
from pare_desktop.ui.lists.panel import ListsPanel


@pytest.fixture
def directory(tmp_path: Path) -> Iterator[Directory]:
    d = Directory.open(tmp_path / "pare.sqlite3")
    yield d
    d.close()


@pytest.fixture
def panel(qtbot: Any, directory: Directory, runner: Any) -> Iterator[ListsPanel]:
    p = ListsPanel(directory, runner)
    qtbot.addWidget(p)
    # kept for the whole test: a tester that is collected at once checks nothing
    p.testers = [  # type: ignore[attr-defined]
        QAbstractItemModelTester(m, QAbstractItemModelTester.FailureReportingMode.Fatal)
        for m in (p.lists_model, p.entries_model)
    ]
    p.resize(900, 500)
    p.show()
    assert runner.wait_idle()
    yield p


def done(runner: Any, task: Any) -> Any:
    assert runner.wait_idle()
    assert task.error is None
    return task


def select_row(panel: ListsPanel, row: int) -> None:
    index = panel.entries_model.index(row, 0)
    panel.items.setCurrentIndex(index)
    panel.items.selectionModel().select(
        index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)


def test_list_lifecycle(qtbot: Any, panel: ListsPanel, directory: Directory, runner: Any,
                        tmp_path: Path) -> None:
    done(runner, panel.create_list("Partenaires <b>974</b>"))
    lid = panel.current_list_id()
    assert lid is not None and panel.current_list_name() == "Partenaires <b>974</b>"
    assert panel.lists_model.index(0).data() == "Partenaires <b>974</b> (0)"
    panel.create_list("partenaires <B>974</b>")
    assert runner.wait_idle() and "déjà" in panel.message.text()
    ids = list(directory.search(SearchQuery(territories=("974",), include_national=False)).ids[:3])
    done(runner, panel.add_to_current(ids))
    assert panel.item_ids() == ids and panel.lists_model.index(0).data().endswith("(3)")
    # the keyboard moves a row: Ctrl+Up on the third row
    panel.items.setFocus()
    select_row(panel, 2)
    qtbot.keyClick(panel.items, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert runner.wait_idle()
    assert panel.item_ids() == [ids[0], ids[2], ids[1]] == directory.user.list_ids(lid)
    # a drag: the view hands the model the dragged rows and the drop row
    mime = panel.entries_model.mimeData([panel.entries_model.index(0, 0)])
    panel.entries_model.dropMimeData(mime, Qt.DropAction.MoveAction, 3, 0, QModelIndex())
    assert runner.wait_idle()
    assert panel.item_ids() == [ids[2], ids[1], ids[0]] == directory.user.list_ids(lid)
    select_row(panel, 2)
    qtbot.keyClick(panel.items, Qt.Key.Key_Delete)
    assert runner.wait_idle()
    assert directory.user.list_ids(lid) == [ids[2], ids[1]] == panel.item_ids()
    directory.user.set_favourite("reference:119", True)
    done(runner, panel.add_favourites())
    assert panel.item_ids()[-1] == "reference:119"
    done(runner, panel.rename_current("Réunion"))
    assert panel.current_list_name() == "Réunion"
    done(runner, panel.duplicate_current("Réunion (copie)"))
    copy = panel.current_list_id()
    assert copy != lid and directory.user.list_ids(copy) == directory.user.list_ids(lid)  # type: ignore[arg-type]
    done(runner, panel.delete_current())
    assert [i.name for i in directory.user.lists()] == ["Réunion"]
    assert panel.current_list_name() == "Réunion" and len(panel.item_ids()) == 3
    # a local contact imported in the app joins a list beside directory structures
    src = tmp_path / "locaux.csv"
    src.write_text(
        "nom;type;code postal;commune\nCollectif jeunesse (démo);coordination-reseau;97600;Mamoudzou\n",
        encoding="utf-8",
    )
    task = panel.import_local(src)
    assert runner.wait_idle()
    assert task.error is None and "1 contact" in panel.message.text()
    (local,) = directory.user.local_structures()
    done(runner, panel.add_to_current([local.id]))
    assert panel.item_texts()[-1] == "Collectif jeunesse (démo) — contact local"
    bad = tmp_path / "bad.csv"
    bad.write_text("nom;type\n;urgence\n", encoding="utf-8")
    panel.import_local(bad)
    assert runner.wait_idle()
    assert "ligne 2" in panel.message.text() and len(directory.user.local_structures()) == 1


def test_choosing_a_list_shows_its_entries(qtbot: Any, panel: ListsPanel, directory: Directory,
                                           runner: Any) -> None:
    first = directory.user.create_list("Première")
    second = directory.user.create_list("Seconde")
    directory.user.add_to_list(second, ["reference:119"])
    done(runner, panel.reload(first))
    assert panel.item_ids() == []
    panel.lists.setCurrentIndex(panel.lists_model.index(1))
    assert runner.wait_idle()
    assert panel.current_list_id() == second and panel.item_texts()[0].startswith("Allô Enfance en danger")


def test_a_drag_is_saved_in_one_write(panel: ListsPanel, directory: Directory, runner: Any) -> None:
    lid = directory.user.create_list("Ordre")
    ids = list(directory.search(SearchQuery(territories=("973",), include_national=False)).ids[:5])
    directory.user.add_to_list(lid, ids)
    done(runner, panel.reload(lid))
    writes: list[str] = []
    from sqlalchemy import event

    def count(_c: Any, _cur: Any, statement: str, *_: Any) -> None:
        if statement.startswith("BEGIN IMMEDIATE"):
            writes.append(statement)

    event.listen(directory.engine, "before_cursor_execute", count)
    try:
        assert panel.entries_model.move_rows([3, 4], 0)
        assert runner.wait_idle()
    finally:
        event.remove(directory.engine, "before_cursor_execute", count)
    assert directory.user.list_ids(lid) == [ids[3], ids[4], *ids[:3]] and len(writes) == 1
