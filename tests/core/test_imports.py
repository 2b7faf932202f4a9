"""Imports previewed then applied in two modes, and undone: the publisher data exactly as before."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from pare_desktop.core.changes import MODE_ADD, MODE_REPLACE, ChangeSet, NothingToUndoError
from pare_desktop.core.directory import Directory
from pare_desktop.core.importers import read_file
from pare_desktop.core.records import SearchQuery
from tests.core.helpers import Batch, record

HEADER = "identifiant;Nom;Type;Code postal;Commune;Téléphone;Zone d'intervention"
ROWS = [
    "a1;Maison des ados de Mamoudzou;sante-ado-psy;97600;Mamoudzou;0269 61 00 00;976",
    "a2;Point écoute Kawéni;aide-victimes-droit;97600;Mamoudzou;0269 61 00 01;976",
    "a3;Foyer de Dembéni;urgence;97660;Dembéni;0269 61 00 02;976",
]


def write_csv(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def structure_table(path: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return sorted(conn.execute("SELECT * FROM structure").fetchall(), key=repr)
    finally:
        conn.close()


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Directory]:
    with Directory.open(tmp_path / "pare.sqlite") as d:
        yield d


def test_add_mode_keeps_the_demo_and_adds_three(demo: Directory, tmp_path: Path) -> None:
    before = demo.dataset_info()
    batch = read_file(write_csv(tmp_path / "trois.csv", ROWS), source="pare")
    preview = demo.preview_import(batch, MODE_ADD)
    c = preview.counts
    assert (c.added, c.updated, c.unchanged, c.removed, c.demo_retired) == (3, 0, 0, 0, 0)
    assert c.dry_run and demo.dataset_info().count == before.count  # a preview writes nothing
    out = demo.apply_changes(preview.changes)
    assert (out.added, out.demo_retired) == (3, 0)
    after = demo.dataset_info()
    assert after.is_demo and after.count == before.count + 3
    assert "pare:a1" in demo.search(SearchQuery(text="maison des ados mamoudzou")).ids
    again = demo.preview_import(read_file(tmp_path / "trois.csv", source="pare"), MODE_ADD).counts
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)


def test_replace_preview_confirm_undo_gives_the_same_rows(demo: Directory, tmp_path: Path) -> None:
    noted = "demo:01-001"
    demo.user.set_note(noted, "à rappeler")
    list_id = demo.user.create_list("Partenaires")
    demo.user.add_to_list(list_id, [noted, "demo:01-002"])
    table = structure_table(demo.path)
    info = demo.dataset_info()
    batch = read_file(write_csv(tmp_path / "trois.csv", ROWS), source="pare")

    preview = demo.preview_import(batch, MODE_REPLACE)
    c = preview.counts
    n_demo = sum(1 for row in table if row[-2] == "demo")
    assert (c.added, c.demo_retired, c.withdrawn, c.deleted) == (3, n_demo, 2, n_demo - 2)
    assert preview.retires_demo and structure_table(demo.path) == table

    out = demo.apply_changes(preview.changes)
    assert (out.added, out.demo_retired, out.withdrawn) == (3, n_demo, 2)
    assert not demo.dataset_info().is_demo
    kept = demo.get(noted)
    assert kept is not None and kept.withdrawn
    assert demo.last_import() is not None

    undone = demo.undo_last_import()
    assert (undone.removed, undone.restored) == (3, n_demo)
    assert structure_table(demo.path) == table
    restored = demo.dataset_info()
    assert restored.is_demo and restored.count == info.count and restored.dataset_id == info.dataset_id
    assert demo.user.note(noted) == "à rappeler"
    assert demo.user.list_ids(list_id) == [noted, "demo:01-002"]
    assert demo.get("pare:a1") is None and "pare:a1" not in demo.search(SearchQuery(text="mamoudzou")).ids
    assert demo.last_import() is None
    with pytest.raises(NothingToUndoError):
        demo.undo_last_import()


def test_withdrawn_demo_copy_never_beside_the_record_replacing_it(demo: Directory, tmp_path: Path) -> None:
    """A list exported then re-imported: the imported records carry the demo ids; the user's notes
    and list entries follow them, and no « retirée » demo copy is left beside them."""
    ids = ["demo:01-001", "demo:01-002"]
    demo.user.set_note(ids[0], "à rappeler")
    demo.user.set_favourite(ids[1], True)
    list_id = demo.user.create_list("Réseau")
    demo.user.add_to_list(list_id, ids)
    rows = [
        f"{sid};{s.name};{s.type};97600;Mamoudzou;;976"
        for sid, s in zip(ids, demo.get_many(ids), strict=True)
    ]
    batch = read_file(write_csv(tmp_path / "export.csv", rows), source="liste")
    new = [f"liste:{sid}" for sid in ids]

    preview = demo.preview_import(batch, MODE_REPLACE)
    assert (preview.counts.superseded, preview.counts.withdrawn) == (2, 0)
    out = demo.apply_changes(preview.changes)
    assert (out.superseded, out.withdrawn) == (2, 0)
    assert demo.get(ids[0]) is None and demo.get(ids[1]) is None
    assert demo.user.note(new[0]) == "à rappeler" and demo.user.favourite_ids() == {new[1]}
    assert demo.user.list_ids(list_id) == new

    demo.undo_last_import()
    assert demo.user.note(ids[0]) == "à rappeler" and demo.user.favourite_ids() == {ids[1]}
    assert demo.user.list_ids(list_id) == ids
    assert [s.withdrawn for s in demo.get_many(ids)] == [False, False]


def test_replace_withdraws_absent_records_keeping_annotated_ones(tmp_path: Path) -> None:
    with Directory.open(tmp_path / "pare.sqlite", seed_demo=False) as d:
        d.apply_changes(ChangeSet(tuple(record("a", str(i), f"Structure {i}") for i in range(4)), source="a"))
        d.user.set_note("a:1", "garder")
        file = (
            record("a", "0", "Structure 0"),
            record("a", "3", "Structure 3, renommée"),
            record("a", "9", "Neuve"),
        )
        preview = d.preview_import(Batch("a", file), MODE_REPLACE)
        c = preview.counts
        assert (c.added, c.updated, c.unchanged, c.deleted, c.withdrawn) == (1, 1, 1, 1, 1)
        d.apply_changes(preview.changes)
        assert d.get("a:2") is None
        kept = d.get("a:1")
        assert kept is not None and kept.withdrawn and d.user.note("a:1") == "garder"
        d.undo_last_import()
        assert [s.name for s in d.get_many(["a:0", "a:1", "a:2", "a:3"])] == [
            f"Structure {i}" for i in range(4)
        ]
        assert not any(s.withdrawn for s in d.get_many(["a:1"])) and d.get("a:9") is None


def test_only_the_last_import_can_be_undone(demo: Directory, tmp_path: Path) -> None:
    first = read_file(write_csv(tmp_path / "un.csv", ROWS[:1]), source="pare")
    second = read_file(write_csv(tmp_path / "deux.csv", ROWS[1:]), source="pare")
    demo.import_batch(first)
    demo.import_batch(second)
    assert demo.undo_last_import().removed == 2
    assert demo.get("pare:a1") is not None and demo.get("pare:a2") is None
    with pytest.raises(NothingToUndoError):
        demo.undo_last_import()


def test_a_change_after_the_import_makes_it_final(demo: Directory, tmp_path: Path) -> None:
    demo.import_batch(read_file(write_csv(tmp_path / "un.csv", ROWS[:1]), source="pare"))
    demo.apply_changes(ChangeSet((record("b", "1", "Autre"),), source="b"))  # a sync would do the same
    assert demo.last_import() is None
    with pytest.raises(NothingToUndoError):
        demo.undo_last_import()


def test_an_import_that_fails_midway_changes_nothing(
    demo: Directory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same all-or-nothing rule as a sync: an error after some rows were written rolls all back."""
    from pare_desktop.core import writes

    demo.import_batch(read_file(write_csv(tmp_path / "un.csv", ROWS[:1]), source="pare"))
    table, last = structure_table(demo.path), demo.last_import()

    stages: list[str] = []

    def fail(stage: str, conn: object) -> None:
        stages.append(stage)
        if stage == "data":
            raise OSError("panne simulée")

    monkeypatch.setattr(writes, "_checkpoint", fail)
    with pytest.raises(OSError):
        demo.import_batch(
            read_file(write_csv(tmp_path / "trois.csv", ROWS), source="pare"), mode=MODE_REPLACE
        )
    monkeypatch.undo()
    assert stages == ["begin", "chunk", "data"]  # the rows were written, then the error came
    assert structure_table(demo.path) == table and demo.last_import() == last
    assert demo.undo_last_import().removed == 1  # the first import can still be undone


def test_add_mode_replaces_only_the_demo_records_the_file_names(demo: Directory, tmp_path: Path) -> None:
    """Adding keeps the demo, except the demo records the file carries (by their id as "identifiant")."""
    ids = ["demo:01-001", "demo:01-002"]
    demo.user.set_note(ids[0], "à rappeler")
    count = demo.dataset_info().count
    rows = [
        f"{sid};{s.name};{s.type};97600;Mamoudzou;;976"
        for sid, s in zip(ids, demo.get_many(ids), strict=True)
    ]
    preview = demo.preview_import(
        read_file(write_csv(tmp_path / "export.csv", rows), source="liste"), MODE_ADD
    )
    c = preview.counts
    assert (c.added, c.superseded, c.demo_retired, c.withdrawn) == (2, 2, 0, 0)
    demo.apply_changes(preview.changes)
    assert demo.dataset_info().is_demo and demo.dataset_info().count == count
    assert demo.get_many(ids) == [] and demo.user.note("liste:demo:01-001") == "à rappeler"
    demo.undo_last_import()
    assert len(demo.get_many(ids)) == 2 and demo.user.note(ids[0]) == "à rappeler"


def test_services_file_completes_structures_and_never_replaces(demo: Directory, tmp_path: Path) -> None:
    from pare_desktop.core.changes import ChangeError
    from tests.core.importers.test_datainclusion import SERVICE, STRUCTURE, write

    demo.import_batch(read_file(write(tmp_path, [STRUCTURE], "s.json")))
    services = read_file(write(tmp_path, [SERVICE], "services.json"))
    with pytest.raises(ChangeError):
        demo.preview_import(services, MODE_REPLACE)
    preview = demo.preview_import(services, MODE_ADD)
    assert (preview.counts.updated, preview.unmatched) == (1, 0)
    demo.apply_changes(preview.changes)
    (s,) = demo.get_many([services.records[0].id])
    assert "soutien-psychologique" in s.supports and demo.dataset_info().is_demo


def test_services_merged_as_applied_counted_like_the_preview(demo: Directory, tmp_path: Path) -> None:
    """A services file is merged onto the structures chunk by chunk while it is applied (no merged copy
    of the directory held first): the preview's counts are the apply's, unmatched services counted in
    both, one pass through import_batch gives the same, and undo puts the rows back exactly."""
    from pare_desktop.core import writes
    from tests.core.importers.test_datainclusion import SERVICE, STRUCTURE, write

    structures = [dict(STRUCTURE, id=f"pare--{k}", nom=f"Maison Zébulon {k}") for k in range(5)]
    services = [dict(SERVICE, id=f"pare--s{k}", structure_id=f"pare--{k}") for k in range(7)]  # 2 unknown
    demo.import_batch(read_file(write(tmp_path, structures, "s.json")))
    before = structure_table(demo.path)
    batch = read_file(write(tmp_path, services, "services.json"))
    preview = demo.preview_import(batch, MODE_ADD)
    c = preview.counts
    assert (c.updated, c.unmatched, preview.unmatched, preview.importable) == (5, 2, 2, 5)
    assert structure_table(demo.path) == before  # a preview writes nothing
    monkey_chunk, writes.CHUNK = writes.CHUNK, 2  # chunks of 2 rows: merged and written chunk by chunk
    try:
        outcome = demo.apply_changes(preview.changes)
    finally:
        writes.CHUNK = monkey_chunk
    assert (outcome.updated, outcome.unmatched, outcome.added) == (5, 2, 0)
    found = demo.search(SearchQuery(text="zebulon", supports=("soutien-psychologique",)))
    assert len(found.ids) == 5
    demo.undo_last_import()
    assert structure_table(demo.path) == before
    again = demo.import_batch(batch)  # one pass, no dry run: the same counts
    assert (again.updated, again.unmatched, again.unchanged) == (5, 2, 0)
    assert demo.import_batch(batch).unchanged == 5


def test_import_batch_is_one_pass(demo: Directory, monkeypatch: pytest.MonkeyPatch) -> None:
    """import_batch applies at once: no dry run first (its counts are the apply's own)."""
    from pare_desktop.core import writes

    runs: list[bool] = []
    real = writes.apply

    def counted(*a, **k):  # type: ignore[no-untyped-def]
        runs.append(bool(k.get("dry_run")))
        return real(*a, **k)

    monkeypatch.setattr(writes, "apply", counted)
    out = demo.import_batch(Batch("pare", tuple(record("pare", str(k), f"Fiche {k}") for k in range(3))))
    assert runs == [False] and (out.added, out.dry_run) == (3, False)


def test_undo_rows_kept_chunk_by_chunk(
    demo: Directory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows an import replaces are written to the undo table chunk by chunk (never all held):
    with chunks of 2 rows, preview, apply and undo give the same rows back."""
    from pare_desktop.core import writes

    monkeypatch.setattr(writes, "CHUNK", 2)
    test_replace_preview_confirm_undo_gives_the_same_rows(demo, tmp_path)
