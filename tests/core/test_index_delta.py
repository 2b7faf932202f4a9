"""The publisher index takes changes: a delta segment written with the data, never apart from it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from pare_desktop.core import db, store
from pare_desktop.core.directory import Directory
from pare_desktop.core.errors import IndexNotStoredError
from pare_desktop.core.records import Phone, SearchQuery
from pare_desktop.core.search import indexes
from tests.core.helpers import NATIONAL_119, Batch, record

QUERIES = [
    SearchQuery(),
    SearchQuery(text="maison"),
    SearchQuery(text="association"),
    SearchQuery(text="119"),
    SearchQuery(text="ecoute", include_national=True),
    SearchQuery(territories=("976",), include_national=True),
    SearchQuery(types=("association-specialisee",)),
    SearchQuery(text="nouvelle", sort="name"),
]


def _records(n: int, prefix: str = "Maison") -> list:  # type: ignore[type-arg]
    return [record("pub", str(i), f"{prefix} {i:04d}", description="Écoute et accueil") for i in range(n)]


@pytest.fixture
def directory(tmp_path: Path) -> Iterator[Directory]:
    d = Directory.open(tmp_path / "pare.sqlite", seed_demo=False)
    d.import_batch(Batch("pub", (NATIONAL_119, *_records(300))))
    d.refresh()  # a full base segment to start from
    yield d
    d.close()


def _write_rows(c: object, records: list) -> None:  # type: ignore[type-arg]
    """Rows written behind the one door's back (as a crash test or a foreign writer would)."""
    names, marks = ", ".join(store.COLUMNS), ", ".join("?" * len(store.COLUMNS))
    sql = f"INSERT OR REPLACE INTO structure ({names}) VALUES ({marks})"
    c.exec_driver_sql(sql, [store.to_values(r) for r in records])  # type: ignore[attr-defined]


def _no_rebuild(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*a: object, **k: object) -> None:
        raise AssertionError("full rebuild")

    monkeypatch.setattr(indexes, "rebuild_publisher", fail)


def _answers(d: Directory) -> list[tuple[tuple[str, ...], int, dict]]:  # type: ignore[type-arg]
    out = []
    for q in QUERIES:
        r = d.search(q)
        out.append((r.ids, r.total, r.facets))
    return out


def _same_as_full_rebuild(d: Directory) -> None:
    seen = _answers(d)
    d.refresh()
    assert seen == _answers(d)


def test_small_import_updates_the_index_without_rebuilding(
    directory: Directory, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_rebuild(monkeypatch)
    new = [
        record("pub", "1", "Nouvelle maison 1", description="Changée"),
        record("pub", "new", "Nouvelle structure"),
        record("other", "x", "Nouvelle association"),
    ]
    directory.import_batch(Batch("pub", tuple(new)))
    assert directory.search(SearchQuery(text="nouvelle")).total == 3
    assert "pub:1" not in directory.search(SearchQuery(text="0001")).ids
    assert directory.search(SearchQuery()).total == 303  # 300 + 119 + 2 new
    monkeypatch.undo()
    _same_as_full_rebuild(directory)


def test_reopening_loads_base_and_delta_without_rebuilding(
    directory: Directory, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory.import_batch(Batch("pub", (record("pub", "2", "Autre nom"),)))
    before = _answers(directory)
    _no_rebuild(monkeypatch)
    with Directory.open(directory.path, seed_demo=False) as again:
        assert _answers(again) == before
        assert again.search(SearchQuery(text="autre")).total == 1


def test_successive_deltas_then_merge_past_the_threshold(
    directory: Directory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(indexes, "MERGE_MIN", 10)
    monkeypatch.setattr(indexes, "MERGE_FRACTION", 0.0)
    for k in range(3):
        directory.import_batch(Batch("pub", (record("pub", str(k), f"Renommée {k}"),)))
    assert directory.search(SearchQuery(text="renommee")).total == 3
    _same_as_full_rebuild(directory)
    calls: list[str] = []
    for name in ("rebuild_publisher", "built_publisher"):  # from the data, or as the rows were written
        real = getattr(indexes, name)

        def counted(*a, _real=real, _name=name, **k):  # type: ignore[no-untyped-def]
            calls.append(_name)
            return _real(*a, **k)

        monkeypatch.setattr(indexes, name, counted)
    directory.import_batch(Batch("pub", tuple(_records(20, "Grande"))))
    assert calls == ["built_publisher"]  # past the threshold: the base is rebuilt, once
    assert directory.search(SearchQuery(text="grande")).total == 20
    with db.read(directory.engine) as c:
        names = set(c.execute(text("SELECT name FROM search_index")).scalars())
    assert names == {indexes.PUBLISHER}


def test_a_number_listed_by_real_data_supersedes_the_reference_line(
    directory: Directory, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_rebuild(monkeypatch)
    assert "reference:119" in directory.search(SearchQuery(text="119", include_national=True)).ids
    line = record("pub", "119", "Allô 119", phones=(Phone("119", "119"),))
    directory.import_batch(Batch("pub", (line,)))
    ids = directory.search(SearchQuery(text="119", include_national=True)).ids
    assert "pub:119" in ids and "reference:119" not in ids
    monkeypatch.undo()
    _same_as_full_rebuild(directory)


def test_rolled_back_change_leaves_the_index_of_the_old_data(directory: Directory) -> None:
    before = _answers(directory)
    with pytest.raises(RuntimeError), db.write(directory.engine) as c:
        _write_rows(c, [record("pub", "3", "Jamais écrite")])
        indexes.write_index_delta(c, [record("pub", "3", "Jamais écrite")], ())
        store.bump_generation(c)
        raise RuntimeError("crash before commit")
    directory.reload_index()
    assert _answers(directory) == before


def test_writer_that_skips_the_index_makes_it_stale_not_wrong(directory: Directory) -> None:
    with db.write(directory.engine) as c:
        _write_rows(c, [record("pub", "4", "Écrite sans index")])
        store.bump_generation(c)
    directory.reload_index()
    assert directory.search(SearchQuery(text="ecrite")).total == 1
    # and a delta written but never promoted by a bump is ignored
    with db.write(directory.engine) as c:
        _write_rows(c, [record("pub", "5", "Sans bump")])
        indexes.write_index_delta(c, [record("pub", "5", "Sans bump")], ())
    with db.write(directory.engine) as c:
        store.bump_generation(c, publisher=True)
    directory.reload_index()
    _same_as_full_rebuild(directory)


def test_disk_full_keeps_the_data_and_searches_from_memory(
    directory: Directory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """12.2: the index cannot be stored: the import succeeds, search works, a French flag is raised."""
    real = indexes.write_index_delta

    def fill_disk(c, *a):  # type: ignore[no-untyped-def]
        pages = int(c.exec_driver_sql("PRAGMA page_count").scalar_one())
        c.exec_driver_sql(f"PRAGMA max_page_count = {pages}")  # the rows fit, nothing more will
        return real(c, *a)

    monkeypatch.setattr(indexes, "write_index_delta", fill_disk)
    big = tuple(record("pub", f"b{i}", f"Volumineuse {i}", description="x" * 500) for i in range(300))
    out = directory.import_batch(Batch("pub", big))
    assert out.added == 300
    assert directory.search(SearchQuery(text="volumineuse")).total == 300
    problem = directory.storage_problem
    assert isinstance(problem, IndexNotStoredError) and "espace disque insuffisant" in problem.message
    monkeypatch.undo()
    directory.engine.dispose()  # room again (the limited connection goes)
    directory.reload_index()  # stored later
    assert directory.storage_problem is None
    with Directory.open(directory.path, seed_demo=False) as again:
        assert again.search(SearchQuery(text="volumineuse")).total == 300


def test_directory_opens_and_searches_when_the_index_cannot_be_stored(directory: Directory) -> None:
    """12.2: a stale index and a full disk at open: built in memory, searched, stored once there is room."""
    from sqlalchemy import Engine, event

    with db.write(directory.engine) as c:  # a writer that leaves the index stale
        _write_rows(c, [record("pub", "full", "Disque plein")])
        store.bump_generation(c)
    path = directory.path
    directory.close()

    def full_disk(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(Engine, "connect", full_disk)
    try:
        with Directory.open(path, seed_demo=False) as d:
            assert d.search(SearchQuery(text="disque")).total == 1
            assert isinstance(d.storage_problem, IndexNotStoredError)
    finally:
        event.remove(Engine, "connect", full_disk)
    with Directory.open(path, seed_demo=False) as d:
        assert d.storage_problem is None
        assert d.search(SearchQuery(text="disque")).total == 1


def _same_arrays_as_a_build_from_the_data(d: Directory) -> None:
    """The base in use is, array for array, the index built in one go from every publisher row."""
    import numpy as np

    whole = indexes.build(indexes.publisher_records(d.engine))
    base = d._publisher.base
    assert base._a.keys() == whole._a.keys()
    for key, values in whole._a.items():
        assert np.array_equal(base._a[key], values, equal_nan=values.dtype.kind == "f"), key
        assert base._a[key].dtype == values.dtype, key


@pytest.mark.parametrize("mode", ["add", "replace"])
def test_a_big_import_is_indexed_as_it_is_written(
    directory: Directory, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    """Past the delta, an import builds the new base chunk by chunk from the rows as it writes them (the
    records are not kept), then reads back only the rows it did not write: the same index as a build
    from the data, reference lines superseded, rows kept « retirée » included, persisted once."""
    from pare_desktop.core import undo, writes

    monkeypatch.setattr(writes, "CHUNK", 7)
    monkeypatch.setattr(indexes, "MERGE_MIN", 20)
    monkeypatch.setattr(indexes, "MERGE_FRACTION", 0.0)
    directory.user.set_favourite("pub:3", True)  # kept « retirée » when a replacing file drops it
    big = [*_records(200, "Grande"), record("pub", "119b", "Allô 119", phones=(Phone("119", "119"),))]
    rebuilt: list[int] = []
    before = _answers(directory)
    monkeypatch.setattr(indexes, "rebuild_publisher", lambda *a, **k: rebuilt.append(1))
    directory.import_batch(Batch("pub", tuple(big[50:])), mode=mode)  # 150 renamed, 1 new; replace: 150 go
    assert rebuilt == []
    _same_arrays_as_a_build_from_the_data(directory)
    ids = directory.search(SearchQuery(text="119", include_national=True)).ids
    assert "pub:119b" in ids and "reference:119" not in ids
    with db.read(directory.engine) as c:  # written in place into its row (incremental blob I/O)
        stored = c.execute(text("SELECT data FROM search_index WHERE name = 'publisher'")).scalar_one()
    assert len(stored) == directory._publisher.base.stored_size() == len(directory._publisher.base.to_bytes())
    with Directory.open(directory.path, seed_demo=False) as again:  # persisted with its generation
        _same_arrays_as_a_build_from_the_data(again)
        assert _answers(again) == _answers(directory)
    monkeypatch.setattr(undo, "CHUNK", 5)
    directory.undo_last_import()  # put back chunk by chunk, indexed as it goes
    assert rebuilt == []
    _same_arrays_as_a_build_from_the_data(directory)
    assert _answers(directory) == before
