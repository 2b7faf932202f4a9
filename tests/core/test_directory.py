"""The Directory facade: imports replace publisher data only, user data survives, demo is retired."""

from __future__ import annotations

from pathlib import Path

import pytest

from pare_desktop.core.changes import MODE_REPLACE, ChangeSet
from pare_desktop.core.directory import Directory
from pare_desktop.core.records import Phone, SearchQuery
from tests.core.helpers import NATIONAL_119, Batch, record


@pytest.fixture
def directory(tmp_path: Path) -> Directory:
    d = Directory.open(tmp_path / "pare.sqlite", seed_demo=False)
    seed = (NATIONAL_119, record("demo", "1", "Accueil (démo)", origin="demo"))
    d.apply_changes(ChangeSet(seed, source="demo", meta={"demo": "1", "seeded": "1"}))
    yield d
    d.close()


def test_first_import_retires_demo_but_keeps_reference(directory: Directory) -> None:
    assert directory.dataset_info().is_demo
    out = directory.import_batch(Batch("paré", (record("paré", "a", "Association A"),)), mode=MODE_REPLACE)
    assert (out.added, out.updated, out.demo_retired) == (1, 0, 1)
    assert directory.get("demo:1") is None
    assert directory.get("reference:119") is not None
    assert not directory.dataset_info().is_demo


def test_demo_record_with_user_data_is_kept_withdrawn(directory: Directory) -> None:
    directory.user.set_note("demo:1", "à rappeler")
    directory.import_batch(Batch("paré", (record("paré", "a", "Association A"),)), mode=MODE_REPLACE)
    kept = directory.get("demo:1")
    assert kept is not None and kept.withdrawn
    assert directory.user.note("demo:1") == "à rappeler"


def test_import_updates_its_source_and_leaves_others(directory: Directory) -> None:
    directory.import_batch(Batch("a", (record("a", "1", "Un"), record("a", "2", "Deux"))))
    directory.import_batch(Batch("b", (record("b", "1", "Autre source"),)))
    out = directory.import_batch(Batch("a", (record("a", "1", "Un, renommé"),)))
    assert (out.added, out.updated) == (0, 1)
    names = {s.name for s in directory.get_many(["a:1", "a:2", "b:1"])}
    assert names == {"Un, renommé", "Deux", "Autre source"}


def test_user_data_survives_reimport_and_reopen(tmp_path: Path, directory: Directory) -> None:
    directory.import_batch(Batch("a", (record("a", "1", "Un"),)))
    directory.user.set_favourite("a:1", True)
    directory.user.set_note("a:1", "note")
    list_id = directory.user.create_list("Partenaires")
    directory.user.add_to_list(list_id, ["a:1", "reference:119"])
    local = directory.user.save_local(record("", "", "Éducatrice référente", origin="local"))
    directory.import_batch(Batch("a", (record("a", "1", "Un (v2)"),)))
    directory.close()
    again = Directory.open(tmp_path / "pare.sqlite", seed_demo=False)
    try:
        assert again.user.favourite_ids() == {"a:1"}
        assert again.user.note("a:1") == "note"
        assert again.user.list_ids(list_id) == ["a:1", "reference:119"]
        assert [s.id for s in again.user.local_structures()] == [local.id]
        assert local.id in again.search(SearchQuery(text="educatrice")).ids
    finally:
        again.close()


def test_reference_line_gives_way_to_real_data_listing_it(directory: Directory) -> None:
    real = record("paré", "119", "Allô 119", phones=(Phone("119", "119"),), departement="", region="")
    directory.import_batch(Batch("paré", (real,)))
    ids = directory.search(SearchQuery(text="119")).ids
    assert "paré:119" in ids and "reference:119" not in ids


def test_pro_only_records_hidden_outside_pro_mode(directory: Directory) -> None:
    directory.import_batch(Batch("a", (record("a", "1", "Hébergement confidentiel", visibility="pro"),)))
    assert directory.get("a:1") is None
    assert "a:1" not in directory.search(SearchQuery(text="hebergement")).ids
    directory.pro_mode = True
    assert directory.get("a:1") is not None
    assert "a:1" in directory.search(SearchQuery(text="hebergement")).ids


def test_confidential_address_removed_for_public(directory: Directory) -> None:
    directory.import_batch(
        Batch("a", (record("a", "1", "Foyer", address="3 rue X", address_visibility="pro"),))
    )
    public = directory.get("a:1")
    assert public is not None and public.address == ""
    directory.pro_mode = True
    pro = directory.get("a:1")
    assert pro is not None and pro.address == "3 rue X"


def test_result_rows_read_like_the_ids_of_search(directory: Directory) -> None:
    recs = [
        record("a", str(i), f"Maison {i:03d}", latitude=-12.7 - i / 100, longitude=45.2) for i in range(40)
    ]
    directory.import_batch(Batch("a", tuple(recs)))
    directory.user.save_local(record("", "", "Maison locale", origin="local"))
    for query in (SearchQuery(text="maison"), SearchQuery(near=(-12.7, 45.2), sort="distance")):
        full = directory.search(query)
        rows = directory.search_rows(query)
        assert list(rows) == list(full.ids) and len(rows) == full.total
        assert rows[3] == full.ids[3] and rows[-1] == full.ids[-1] and rows[5:9] == list(full.ids[5:9])
        assert rows.index(full.ids[17]) == 17 and full.ids[17] in rows and "nope:1" not in rows
        assert list(rows.distances_km) == list(full.distances_km)
        assert rows.facets == full.facets
    with pytest.raises(IndexError):
        directory.search_rows(SearchQuery(text="maison"))[10_000]
