"""A change of facets only (types, supports, publics, modalities, areas: a data·inclusion services file)
updates the search index without reading text again: splice_fields gives, array for array, the full build."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from pare_desktop.core.demo import load_demo, load_reference
from pare_desktop.core.records import Area, Structure
from pare_desktop.core.search.build import (
    IndexBuilder,
    build_arrays,
    splice_fields,
    text_fields,
    text_postings,
)
from pare_desktop.core.search.indexes import territory_names

TYPES = ("csapa", "maison-des-adolescents", "non-classe", "type-hors-vocabulaire", "")
SUPPORTS = ("soutien-psychologique", "accompagnement-juridique", "mise-a-l-abri", "ecoute", "valeur-libre")


def _records() -> list[Structure]:
    from benchmarks.synth import synthetic_structures

    records = [*synthetic_structures(600), *load_reference(), *load_demo(date(2026, 1, 5))]
    # label words in the records' own text too (« écoute », « juridique »), odd characters
    records[0] = replace(records[0], name="Œuvre « Écoute » – n°² ½", description="Écoute juridique; abri 😀")
    records[1] = replace(records[1], description="accompagnement juridique, mise à l'abri, non classé")
    return records


def _arrays_equal(got: dict[str, np.ndarray], want: dict[str, np.ndarray]) -> None:
    assert got.keys() == want.keys()
    for key, values in want.items():
        assert got[key].dtype == values.dtype, key
        assert np.array_equal(got[key], values, equal_nan=values.dtype.kind == "f"), key


def _changed(s: Structure, rng: random.Random) -> Structure:
    """A new version of `s` with other facets (what a services file does, and more), same own text."""
    return replace(
        s,
        type=rng.choice(TYPES) or s.type,
        supports=tuple(rng.sample(SUPPORTS, rng.randint(0, 3))),
        publics=tuple(rng.sample(("jeunes", "familles", "professionnels"), rng.randint(0, 2))),
        modalities=tuple(rng.sample(("telephone", "en-presentiel"), rng.randint(0, 2))),
        area=rng.choice((Area(), Area(national=True), Area(departements=("976",)), Area(regions=("03",)))),
        opening_hours=rng.choice(("", "Mo-Fr 09:00-17:00", s.opening_hours)),
        latitude=s.latitude, longitude=s.longitude,
    )


@pytest.mark.parametrize("share", [0.0, 0.01, 0.3, 1.0])
def test_splicing_new_facets_gives_the_full_build(share: float) -> None:
    names = territory_names()
    records = _records()
    rng = random.Random(int(share * 100))
    picked = set(rng.sample(range(len(records)), int(len(records) * share)))
    after = [_changed(s, rng) if k in picked else s for k, s in enumerate(records)]
    part = IndexBuilder(names, text=False)
    changed = [after[k] for k in sorted(picked)]
    rng.shuffle(changed)
    for i in range(0, len(changed), 97):
        part.add(changed[i : i + 97])
    got = splice_fields(build_arrays(records, names), part.arrays())
    assert got is not None
    _arrays_equal(got, build_arrays(after, names))


def test_a_record_the_index_does_not_hold_is_no_splice() -> None:
    names = territory_names()
    records = _records()
    part = IndexBuilder(names, text=False)
    part.add([replace(records[0], id="ailleurs:1")])
    assert splice_fields(build_arrays(records[1:], names), part.arrays()) is None


def test_all_words_are_the_text_and_the_labels_words() -> None:
    """The "all" postings: each record's words, its type's and supports' labels included, as the
    postings of its whole text (label words are put in from the facets, not tokenized record by record)."""
    from pare_desktop.core import vocabulary
    from pare_desktop.core.search.build import unpack

    names = territory_names()
    records = _records()
    a = build_arrays(records, names)
    types = {t.slug: t.label for t in vocabulary.terms("type")}
    supports = {t.slug: t.label for t in vocabulary.terms("support")}
    texts = [" ".join((s.name, types.get(s.type, s.type), *(supports.get(x, x) for x in s.supports),
                       s.commune, names.departements.get(s.departement, ""), names.regions.get(s.region, ""),
                       s.description)) for s in records]
    terms, ptr, rows = text_postings(texts, len(texts))
    row_of = {i: k for k, i in enumerate(unpack(a["ids"]))}
    want = {(t, row_of[records[r].id]) for k, t in enumerate(terms) for r in rows[ptr[k] : ptr[k + 1]]}
    got_terms = unpack(a["terms"])
    ptr_, rows_ = a["all_ptr"], a["all_rows"]
    got = {(t, int(r)) for k, t in enumerate(got_terms) for r in rows_[ptr_[k] : ptr_[k + 1]]}
    assert got == want


def test_text_fields_name_what_the_words_are_made_of() -> None:
    s = _records()[5]
    other_facets = replace(s, supports=("ecoute",), type="csapa", area=Area(national=True))
    assert text_fields(s) == text_fields(other_facets)
    for field in ("name", "commune", "departement", "region", "description"):
        assert text_fields(s) != text_fields(replace(s, **{field: "autre"}))


def _same_arrays_as_a_build_from_the_data(d: object) -> None:
    from tests.core.test_index_delta import _same_arrays_as_a_build_from_the_data as same

    same(d)  # type: ignore[arg-type]


@pytest.fixture
def two_files(tmp_path):  # type: ignore[no-untyped-def]
    from benchmarks.bench_import import split_datainclusion, write_datainclusion

    feed = tmp_path / "di.jsonl"
    write_datainclusion(feed, 240)
    structures, services = tmp_path / "structures.jsonl", tmp_path / "services.jsonl"
    split_datainclusion(feed, structures, services)
    return structures, services


def test_a_services_file_splices_its_facets_into_the_index(tmp_path, two_files, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Structures first, then their services (every structure gains types, supports, publics): past the
    delta, the index is spliced, not rebuilt — the same arrays as a build from the data, persisted, and
    the label words of the new supports found."""
    from pare_desktop.core import writes
    from pare_desktop.core.directory import Directory
    from pare_desktop.core.importers import read_file
    from pare_desktop.core.records import SearchQuery
    from pare_desktop.core.search import indexes

    monkeypatch.setattr(writes, "CHUNK", 50)
    monkeypatch.setattr(indexes, "MERGE_MIN", 20)
    monkeypatch.setattr(indexes, "MERGE_FRACTION", 0.0)
    structures, services = two_files
    with Directory.open(tmp_path / "pare.sqlite", seed_demo=False) as d:
        d.import_batch(read_file(structures, "datainclusion", stream=True))
        own_words = set(d.search(SearchQuery(text="juridique")).ids)  # descriptions that say it
        calls: list[str] = []
        monkeypatch.setattr(indexes, "rebuild_publisher", lambda *a, **k: calls.append("rebuild"))
        monkeypatch.setattr(indexes, "built_publisher", lambda *a, **k: calls.append("built"))
        outcome = d.import_batch(read_file(services, "datainclusion", stream=True))
        assert outcome.updated > 200 and calls == []
        _same_arrays_as_a_build_from_the_data(d)
        supported = set(d.search(SearchQuery(supports=("accompagnement-juridique",))).ids)
        assert supported - own_words  # the services bring the label's word to records that lacked it
        assert set(d.search(SearchQuery(text="juridique")).ids) == own_words | supported
        answers = [(d.search(q).ids, d.search(q).facets) for q in (SearchQuery(), SearchQuery(text="jeunes"))]
    with Directory.open(tmp_path / "pare.sqlite", seed_demo=False) as again:  # persisted, generation too
        assert again._publisher.generation == again._publisher.base_generation
        _same_arrays_as_a_build_from_the_data(again)
        assert [(again.search(q).ids, again.search(q).facets)
                for q in (SearchQuery(), SearchQuery(text="jeunes"))] == answers


def test_undoing_a_services_file_puts_every_row_back(tmp_path, two_files, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Undo keeps only the values a services file changed (a few columns of each row, not whole rows),
    and puts the rows back exactly as they were."""
    import json
    import sqlite3

    from pare_desktop.core import undo, writes
    from pare_desktop.core.directory import Directory
    from pare_desktop.core.importers import read_file
    from pare_desktop.core.search import indexes
    from tests.core.test_imports import structure_table

    monkeypatch.setattr(writes, "CHUNK", 50)
    monkeypatch.setattr(undo, "CHUNK", 30)
    monkeypatch.setattr(indexes, "MERGE_MIN", 20)
    monkeypatch.setattr(indexes, "MERGE_FRACTION", 0.0)
    structures, services = two_files
    path = tmp_path / "pare.sqlite"
    with Directory.open(path, seed_demo=False) as d:
        d.import_batch(read_file(structures, "datainclusion", stream=True))
        before = structure_table(path)
        d.import_batch(read_file(services, "datainclusion", stream=True))
        conn = sqlite3.connect(path)
        kept = [json.loads(row) for (row,) in conn.execute("SELECT row FROM import_undo")]
        conn.close()
        assert len(kept) > 200 and all(isinstance(k, dict) and 0 < len(k) <= 6 for k in kept)
        d.undo_last_import()
        assert structure_table(path) == before
        _same_arrays_as_a_build_from_the_data(d)


def test_a_merge_that_changes_more_than_facets_rebuilds(tmp_path, two_files, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A completion that also changes a record's own words (not what a services file does) cannot be
    spliced: the index is rebuilt from the data, never left with the old words. It reads and writes
    the columns it names (ChangeSet.merge_columns)."""
    from pare_desktop.core import writes
    from pare_desktop.core.directory import Directory
    from pare_desktop.core.importers import datainclusion, read_file
    from pare_desktop.core.records import SearchQuery
    from pare_desktop.core.search import indexes

    monkeypatch.setattr(writes, "CHUNK", 50)
    monkeypatch.setattr(indexes, "MERGE_MIN", 20)
    monkeypatch.setattr(indexes, "MERGE_FRACTION", 0.0)
    structures, services = two_files
    real = datainclusion.merge_services

    def rewording(existing: Structure, enrichment: Structure) -> Structure:
        merged = real(existing, enrichment)
        return replace(merged, description="Zygomorphe") if existing.source_id.endswith("7") else merged

    monkeypatch.setattr(datainclusion, "merge_services", rewording)
    columns = (*datainclusion.SERVICES_COLUMNS, "source_id", "description")
    monkeypatch.setattr(datainclusion, "SERVICES_COLUMNS", columns)
    with Directory.open(tmp_path / "pare.sqlite", seed_demo=False) as d:
        d.import_batch(read_file(structures, "datainclusion", stream=True))
        d.import_batch(read_file(services, "datainclusion", stream=True))
        _same_arrays_as_a_build_from_the_data(d)
        assert d.search(SearchQuery(text="zygomorphe")).total > 0


def test_a_merge_changing_a_column_it_does_not_name_writes_nothing(tmp_path, two_files, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A completion only reads and writes the columns it names: one that changes another is a mistake
    of the program, refused before anything is written."""
    from pare_desktop.core.directory import Directory
    from pare_desktop.core.importers import datainclusion, read_file
    from tests.core.test_imports import structure_table

    structures, services = two_files
    real = datainclusion.merge_services
    monkeypatch.setattr(datainclusion, "merge_services",
                        lambda existing, enrichment: replace(real(existing, enrichment), website="https://x.org"))
    path = tmp_path / "pare.sqlite"
    with Directory.open(path, seed_demo=False) as d:
        d.import_batch(read_file(structures, "datainclusion", stream=True))
        before = structure_table(path)
        with pytest.raises(ValueError, match="merge_columns"):
            d.import_batch(read_file(services, "datainclusion", stream=True))
        assert structure_table(path) == before
