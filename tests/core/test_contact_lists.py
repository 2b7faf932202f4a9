"""What the lists view reads in one go on the worker, and a whole new order saved at once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pare_desktop.core.contact_lists import (
    STATE_LOCAL,
    STATE_MISSING,
    STATE_NATIONAL,
    STATE_OK,
    snapshot,
)
from pare_desktop.core.directory import Directory
from pare_desktop.core.records import SearchQuery


@pytest.fixture
def directory(tmp_path: Path) -> Iterator[Directory]:
    d = Directory.open(tmp_path / "pare.sqlite")
    yield d
    d.close()


def test_snapshot_of_lists_and_entries(directory: Directory) -> None:
    u = directory.user
    assert snapshot(directory) == snapshot(directory, 42)  # no list: nothing chosen, no entries
    first, second = u.create_list("Première"), u.create_list("Seconde")
    demo = list(directory.search(SearchQuery(territories=("976",), include_national=False)).ids[:2])
    u.add_to_list(second, [*demo, "reference:119", "gone:1"])
    snap = snapshot(directory, second)
    assert [i.name for i in snap.lists] == ["Première", "Seconde"] and snap.current == second
    assert [e.id for e in snap.entries] == [*demo, "reference:119", "gone:1"]
    assert [e.state for e in snap.entries] == [STATE_OK, STATE_OK, STATE_NATIONAL, STATE_MISSING]
    assert snapshot(directory, 999).current == first  # a list deleted meanwhile: the first one
    assert snapshot(directory).entries == ()


def test_set_order_in_one_write(directory: Directory) -> None:
    u = directory.user
    lid = u.create_list("Ordre")
    u.add_to_list(lid, ["a:1", "a:2", "a:3", "a:4"])
    u.set_order(lid, ["a:3", "a:1", "nope:9"])
    assert u.list_ids(lid) == ["a:3", "a:1", "a:2", "a:4"]  # the rest keeps its order after


def test_local_entries_are_marked(directory: Directory) -> None:
    from pare_desktop.core.records import Structure

    saved = directory.user.save_local(Structure(id="", source="local", source_id="", name="Point écoute",
                                                type="coordination-reseau"))
    lid = directory.user.create_list("Locaux")
    directory.user.add_to_list(lid, [saved.id])
    (entry,) = snapshot(directory, lid).entries
    assert (entry.name, entry.state) == ("Point écoute", STATE_LOCAL)
