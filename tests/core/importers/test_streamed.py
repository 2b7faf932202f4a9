"""A data·inclusion file imported as a stream gives exactly what the same file imported whole gives."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pare_desktop.core import store, writes
from pare_desktop.core.changes import MODE_ADD, MODE_REPLACE, ChangeError
from pare_desktop.core.directory import Directory
from pare_desktop.core.errors import ImportFormatError
from pare_desktop.core.importers import read_file
from pare_desktop.core.importers.streamed import StreamedBatch
from pare_desktop.core.records import SearchQuery

from .test_datainclusion import SERVICE, STRUCTURE


def _items(n: int) -> list[Any]:
    """n structures with a service each, then a duplicate id, a schema reject, an orphan service, and
    a structure whose identifiant is a demo record's id (an export re-imported)."""
    items: list[Any] = []
    for i in range(n):
        items.append(dict(STRUCTURE, id=f"s{i}", nom=f"Maison des adolescents numéro {i}"))
        items.append(dict(SERVICE, id=f"v{i}", structure_id=f"s{i}"))
    items.append(dict(STRUCTURE, id="s1", nom="Doublon de la deuxième"))
    items.append(dict(STRUCTURE, id="bad", nom="X", courriel="pas un courriel"))
    items.append(dict(SERVICE, id="orphan", structure_id="ailleurs"))
    items.append(dict(STRUCTURE, id=DEMO_ID, nom="La fiche de démonstration, exportée puis réimportée"))
    return items


DEMO_ID = ""  # set from the demo data below


def _demo_id(tmp_path: Path) -> str:
    with Directory.open(tmp_path / "demo.sqlite") as d:
        return next(s.id for s in d.all_structures() if s.origin == "demo")


def _write(path: Path, items: list[Any]) -> Path:
    path.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n", encoding="utf-8")
    return path


def _rows(d: Directory) -> dict[str, Any]:
    with d.engine.connect() as c:
        sql = f"SELECT {', '.join(store.COLUMNS)} FROM structure"
        return {r[0]: tuple(r) for r in c.exec_driver_sql(sql)}


def _rejects(batch: Any) -> list[tuple[str, str, str]]:
    return [(r.location, r.field, r.reason) for r in batch.rejects]


@pytest.mark.parametrize("mode", [MODE_ADD, MODE_REPLACE])
def test_stream_imports_what_the_whole_file_imports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     mode: str) -> None:
    monkeypatch.setattr(writes, "CHUNK", 7)  # many chunks
    monkeypatch.setitem(globals(), "DEMO_ID", _demo_id(tmp_path))
    path = _write(tmp_path / "di.jsonl", _items(40))
    whole = read_file(path)
    stream = read_file(path, stream=True)
    assert isinstance(stream, StreamedBatch) and stream.size_hint == 42  # the duplicate passed the schema
    results = []
    for name, batch in (("whole", whole), ("stream", stream)):
        with Directory.open(tmp_path / f"{name}.sqlite") as d:
            d.user.set_note(DEMO_ID, "à garder")
            before = _rows(d)
            preview = d.preview_import(batch, mode)
            outcome = d.apply_changes(preview.changes)
            found = d.search(SearchQuery(text="maison adolescents", limit=100))
            hits = (found.ids, found.total, found.facets)
            after = _rows(d)
            d.undo_last_import()
            assert _rows(d) == before  # undo exact
            results.append((preview.counts, preview.importable, preview.rejected_rows, _rejects(preview),
                            preview.total_rows, replace_gen(outcome), hits, after))
    assert results[0] == results[1]
    assert results[1][0].superseded == 1  # the demo record's note went to the record replacing it
    assert ("ligne 81", "identifiant") in {r[:2] for r in _rejects(stream)}  # the duplicate, by its line
    assert stream.valid == len(whole.records) == 41 and stream.warnings == whole.warnings


def replace_gen(outcome: Any) -> Any:
    from dataclasses import replace

    return replace(outcome, generation=0)


def test_services_file_after_structures_streams_too(tmp_path: Path) -> None:
    items = _items(12)[:24]
    structures = _write(tmp_path / "structures.jsonl", [i for i in items if "structure_id" not in i])
    services = _write(tmp_path / "services.jsonl", [i for i in items if "structure_id" in i]
                      + [dict(SERVICE, id="x", structure_id="inconnue")])
    results = []
    for name, stream in (("whole", False), ("stream", True)):
        with Directory.open(tmp_path / f"{name}.sqlite", seed_demo=False) as d:
            d.import_batch(read_file(structures, stream=stream))
            batch = read_file(services, stream=stream)
            assert batch.services_only
            preview = d.preview_import(batch)
            outcome = d.apply_changes(preview.changes)
            results.append((preview.counts, preview.importable, replace_gen(outcome), _rows(d)))
    assert results[0] == results[1]
    assert results[1][0].unmatched == 1 and results[1][0].updated == 12


def test_file_changed_between_passes_writes_nothing(tmp_path: Path) -> None:
    path = _write(tmp_path / "di.jsonl", _items(5))
    with Directory.open(tmp_path / "pare.sqlite") as d:
        before = _rows(d)
        preview = d.preview_import(read_file(path, stream=True))
        path.write_text("\n" * 3 + "[1]\n" * 12, encoding="utf-8")  # another file under the same name
        with pytest.raises(ImportFormatError, match="a changé pendant sa lecture"):
            d.apply_changes(preview.changes)
        assert _rows(d) == before


def test_duplicate_ids_in_a_stream_roll_back(tmp_path: Path) -> None:
    path = _write(tmp_path / "di.jsonl", _items(5))
    with Directory.open(tmp_path / "pare.sqlite") as d:
        before = _rows(d)
        changes = d.preview_import(read_file(path, stream=True)).changes
        first = next(changes.chunks(3))
        broken = type(changes)((), source="x", stream=lambda size: iter([first, first]), stream_size=6)
        with pytest.raises(ChangeError, match="en double"):
            d.apply_changes(broken)
        assert _rows(d) == before


def test_a_stream_never_holds_more_than_a_chunk(tmp_path: Path) -> None:
    path = _write(tmp_path / "di.jsonl", _items(30))
    batch = read_file(path, stream=True)
    assert isinstance(batch, StreamedBatch)
    sizes = [len(chunk) for chunk in batch.chunks(4)]
    assert max(sizes) == 4 and sum(sizes) == 31 == batch.valid  # with the demo record
