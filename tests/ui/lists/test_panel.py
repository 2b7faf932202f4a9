"""The lists panel edits real user data: create, rename, duplicate, delete, reorder, local import."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pare_desktop.core.directory import Directory
from pare_desktop.core.records import SearchQuery
from pare_desktop.ui.lists.panel import ListsPanel


@pytest.fixture
def directory(tmp_path: Path) -> Iterator[Directory]:
    d = Directory.open(tmp_path / "pare.sqlite3")
    yield d
    d.close()


def test_list_lifecycle(qtbot: object, directory: Directory, runner: object, tmp_path: Path) -> None:
    panel = ListsPanel(directory, runner)
    qtbot.addWidget(panel)  # type: ignore[attr-defined]
    lid = panel.create_list("Partenaires <b>974</b>")
    assert lid is not None and panel.current_list_name() == "Partenaires <b>974</b>"
    assert panel.create_list("partenaires <B>974</b>") is None and "déjà" in panel.message.text()
    ids = list(directory.search(SearchQuery(territories=("974",))).ids[:3])
    assert panel.add_to_current(ids) == 3 and panel.item_ids() == ids
    panel.items.setCurrentRow(2)
    panel.move_selected(-1)
    assert directory.user.list_ids(lid) == [ids[0], ids[2], ids[1]]
    panel.items.setCurrentRow(0)
    panel.items.item(0).setSelected(True)
    panel.remove_selected()
    assert directory.user.list_ids(lid) == [ids[2], ids[1]]
    directory.user.set_favourite("reference:119", True)
    assert panel.add_favourites() == 1
    panel.rename_current("Réunion")
    copy = panel.duplicate_current("Réunion (copie)")
    assert copy is not None and directory.user.list_ids(copy) == directory.user.list_ids(lid)
    panel.delete_current()
    assert [i.name for i in directory.user.lists()] == ["Réunion"]
    # a local contact imported in the app joins a list beside directory structures
    src = tmp_path / "locaux.csv"
    src.write_text(
        "nom;type;code postal;commune\nCollectif jeunesse (démo);coordination-reseau;97600;Mamoudzou\n",
        encoding="utf-8",
    )
    task = panel.import_local(src)
    assert runner.wait_idle()  # type: ignore[attr-defined]
    assert task.error is None and "1 contact" in panel.message.text()
    (local,) = directory.user.local_structures()
    panel.add_to_current([local.id])
    assert panel.items.item(panel.items.count() - 1).text().endswith("contact local")
    bad = tmp_path / "bad.csv"
    bad.write_text("nom;type\n;urgence\n", encoding="utf-8")
    panel.import_local(bad)
    assert runner.wait_idle()  # type: ignore[attr-defined]
    assert "ligne 2" in panel.message.text() and len(directory.user.local_structures()) == 1
