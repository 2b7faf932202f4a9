"""Favourites, notes, contact lists, local structures and queued reports."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from pare_desktop.core.directory import Directory
from pare_desktop.core.userdata import ListNameError
from tests.core.helpers import record


@pytest.fixture
def directory(tmp_path: Path) -> Directory:
    d = Directory.open(tmp_path / "pare.sqlite", seed_demo=False)
    yield d
    d.close()


def test_lists_create_rename_duplicate_reorder_delete(directory: Directory) -> None:
    u = directory.user
    a = u.create_list("  Réseau   Mayotte ")
    assert [x.name for x in u.lists()] == ["Réseau Mayotte"]
    with pytest.raises(ListNameError):
        u.create_list("réseau mayotte")
    with pytest.raises(ListNameError):
        u.create_list("   ")
    assert u.add_to_list(a, ["x:1", "x:2", "x:1", "x:3"]) == 3
    assert u.add_to_list(a, ["x:2"]) == 0
    u.move_in_list(a, "x:3", 0)
    assert u.list_ids(a) == ["x:3", "x:1", "x:2"]
    b = u.duplicate_list(a, "Copie")
    u.remove_from_list(b, ["x:1"])
    assert u.list_ids(b) == ["x:3", "x:2"] and u.list_ids(a) == ["x:3", "x:1", "x:2"]
    u.rename_list(a, "Mayotte")
    assert {x.name: x.count for x in u.lists()} == {"Mayotte": 3, "Copie": 2}
    u.delete_list(a)
    assert [x.name for x in u.lists()] == ["Copie"]


def test_notes_and_favourites(directory: Directory) -> None:
    u = directory.user
    u.set_note("x:1", "Rappeler lundi\nDemander Mme B.")
    assert u.note("x:1") == "Rappeler lundi\nDemander Mme B."
    u.set_note("x:1", "  ")
    assert u.note("x:1") == "" and u.notes() == {}
    u.set_favourite("x:1", True)
    u.set_favourite("x:1", True)
    assert u.is_favourite("x:1") and u.favourite_ids() == {"x:1"}
    u.set_favourite("x:1", False)
    assert not u.favourite_ids()


def test_local_structures_and_reports(directory: Directory) -> None:
    u = directory.user
    s = u.save_local(record("", "", "Référente ASE", origin="local"))
    assert s.id.startswith("local:") and s.is_local
    u.save_local(replace(s, name="Référente ASE (modifiée)"))
    assert [x.name for x in u.local_structures()] == ["Référente ASE (modifiée)"]
    rid = u.queue_report(s.id, s.name, "Numéro erroné")
    assert [r.id for r in u.reports()] == [rid]
    u.mark_reports_sent([rid])
    assert u.reports() == [] and len(u.reports(pending_only=False)) == 1
    u.delete_local(s.id)
    assert u.local_structures() == []
