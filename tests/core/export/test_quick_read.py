"""`pare export` of the whole directory reads the file without SQLAlchemy, numpy or the search index
(reader.py, issue 14 item 5): the same records, privacy and order as the Directory's search, the same
bytes out, and none of the heavy modules imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from pare_desktop import paths
from pare_desktop.cli import run
from pare_desktop.core import rows, store
from pare_desktop.core.directory import Directory
from pare_desktop.core.export import ExportOptions, export
from pare_desktop.core.reader import DirectoryReader
from pare_desktop.core.records import Phone, SearchQuery, Structure
from tests.core.helpers import Batch, record

ROOT = Path(__file__).resolve().parents[3]
HEAVY = ("sqlalchemy", "numpy", "PySide6", "folium", "openpyxl", "reportlab", "pyqtgraph", "rapidfuzz")
WHEN = datetime(2026, 3, 4, 5, 6, 7)


def _publisher() -> list[Structure]:
    """Names that fold alike (accents, case, ligatures), a confidential address and phone, a pro-only
    record, the 119 listed by the publisher (the app's reference line then steps aside)."""
    return [
        record("bench", "1", "École des Parents"),
        record("bench", "2", "ecole des parents"),
        record("bench", "3", "ÉCOLE DES PARENTS", address="1 rue Cachée", address_visibility="pro",
               latitude=-12.7806, longitude=45.2279, position_exact=True),
        record("bench", "4", "Œuvre d'accueil", phones=(Phone("+262269610000", "0269 61 00 00"),
                                                      Phone("+262269619999", "0269 61 99 99", "Nuit", True))),
        record("bench", "5", "Maison pro", visibility="pro"),
        record("bench", "6", "Allô enfance", phones=(Phone("119", "119"),)),
        record("bench", "7", "zèbre"),
    ]


LIST = ["bench:7", "bench:3", "local:2", "bench:5", "gone:1", "local:1", "reference:119", "bench:4"]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("quick") / "data"
    with Directory.open(paths.database_path(data)) as d:  # demo data: confidential addresses, pro records
        d.import_batch(Batch("bench", tuple(_publisher())))
        d.import_batch(Batch("bench", (record("bench", "8", "Abri du soir"),)))  # a delta segment
        d.user.save_local(record("local", "1", "Mon contact", origin="local"))
        d.user.save_local(record("local", "2", "école voisine", origin="local", visibility="pro"))
        d.user.create_list("Vide")
        d.user.add_to_list(d.user.create_list("Réunion ; partenaires"), LIST)
        for x in ("bench:5", "bench:3", "local:1", "gone:2"):
            d.user.set_favourite(x, True)
    return data


def _by_directory(data: Path, pro: bool) -> list[Structure]:
    with Directory.open(paths.database_path(data), pro_mode=pro) as d:
        return d.get_many(d.search(SearchQuery()).ids)


@pytest.mark.parametrize("pro", [False, True], ids=["public", "pro"])
def test_the_reader_gives_what_the_search_gives(data_dir: Path, pro: bool) -> None:
    with DirectoryReader.open(paths.database_path(data_dir), pro_mode=pro) as reader:
        got = reader.all_visible()
    expected = _by_directory(data_dir, pro)
    assert [s.id for s in got] == [s.id for s in expected]
    assert got == expected
    ids = {s.id for s in got}
    assert ("bench:5" in ids) is pro and ("local:2" in ids) is pro
    assert "reference:119" not in ids  # superseded by the publisher's own 119
    hidden = next(s for s in got if s.id == "bench:3")
    assert (hidden.address == "") is not pro and (hidden.position_exact is False) is not pro


@pytest.mark.parametrize("fmt", ["csv", "vcard", "geojson"])
@pytest.mark.parametrize("mode", ["public", "pro", "pro-confidential"])
def test_same_bytes_as_the_directory_path(data_dir: Path, tmp_path: Path, fmt: str, mode: str) -> None:
    pro = mode != "public"
    args = ["--pro"] if pro else []
    extra = ["--include-confidential"] if mode == "pro-confidential" else []
    new = tmp_path / f"new.{fmt}"
    assert run([*args, "--data-dir", str(data_dir), "export", "--format", fmt, *extra, "-o", str(new)]) == 0
    old = tmp_path / f"old.{fmt}"
    with Directory.open(paths.database_path(data_dir)) as d:
        info = d.dataset_info()
    version = str(info.version) if info.version is not None else ("démonstration" if info.is_demo else "")
    options = ExportOptions(include_confidential=bool(extra), pro_mode=pro, dataset_version=version)
    export(_by_directory(data_dir, pro), fmt, old, options)
    if fmt == "geojson":  # the export's own time stamp differs
        a, b = json.loads(new.read_bytes()), json.loads(old.read_bytes())
        a["metadata"]["date_export"] = b["metadata"]["date_export"]
        assert a == b
    else:
        assert new.read_bytes() == old.read_bytes()


@pytest.mark.parametrize("fmt", ["csv", "vcard", "geojson"])
@pytest.mark.parametrize("pro", [False, True], ids=["public", "pro"])
@pytest.mark.parametrize("chosen", [("--list", "réunion ; PARTENAIRES"), ("--favorites",)],
                         ids=["list", "fav"])
def test_a_list_or_the_favourites_give_the_same_bytes(
    data_dir: Path, tmp_path: Path, fmt: str, pro: bool, chosen: tuple[str, ...]
) -> None:
    new = tmp_path / f"new.{fmt}"
    mode = ["--pro"] if pro else []
    assert run([*mode, "--data-dir", str(data_dir), "export", "--format", fmt, *chosen, "-o", str(new)]) == 0
    with Directory.open(paths.database_path(data_dir), pro_mode=pro) as d:
        if chosen[0] == "--list":
            info = d.user.list_by_name(chosen[1])
            assert info is not None
            title, ids, filters = info.name, d.user.list_ids(info.id), (f"Liste : {info.name}",)
        else:
            title, ids, filters = "Favoris", sorted(d.user.favourite_ids()), ("Favoris",)
        records = d.get_many(ids)
    old = tmp_path / f"old.{fmt}"
    options = ExportOptions(pro_mode=pro, title=title, filters=filters, dataset_version="démonstration",
                            keep_order=chosen[0] == "--list")
    export(records, fmt, old, options)
    if fmt == "geojson":
        a, b = json.loads(new.read_bytes()), json.loads(old.read_bytes())
        a["metadata"]["date_export"] = b["metadata"]["date_export"]
        assert a == b and a["metadata"]["titre"] == title
    else:
        assert new.read_bytes() == old.read_bytes()


def test_an_unknown_list_names_the_lists(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.csv"
    args = ["--data-dir", str(data_dir), "export", "--format", "csv", "--list", "Mayotte", "-o", str(out)]
    assert run(args) == 2
    err = capsys.readouterr().err
    assert "liste introuvable : « Mayotte » (listes : « Vide », « Réunion ; partenaires »)" in err
    assert not out.exists()


def test_bytes_with_the_same_time_stamp(data_dir: Path, tmp_path: Path) -> None:
    """GeoJSON carries the export time: with the same time, the files are the same bytes."""
    with DirectoryReader.open(paths.database_path(data_dir)) as reader:
        new = reader.all_visible()
    options = ExportOptions(exported_at=WHEN)
    export(new, "geojson", tmp_path / "a.geojson", options)
    export(_by_directory(data_dir, False), "geojson", tmp_path / "b.geojson", options)
    assert (tmp_path / "a.geojson").read_bytes() == (tmp_path / "b.geojson").read_bytes()


def test_one_row_decoding() -> None:
    assert rows.COLUMNS == store.COLUMNS
    assert store.from_values is rows.from_values


def test_a_file_to_create_or_upgrade_is_left_to_the_directory(tmp_path: Path) -> None:
    assert DirectoryReader.open(tmp_path / "absent.sqlite") is None
    assert not (tmp_path / "absent.sqlite").exists()
    empty = tmp_path / "empty.sqlite"
    empty.write_bytes(b"")
    assert DirectoryReader.open(empty) is None and empty.read_bytes() == b""
    out = tmp_path / "x.csv"  # the command still works: the Directory creates and seeds the file
    assert run(["--data-dir", str(tmp_path / "new"), "export", "--format", "csv", "-o", str(out)]) == 0
    assert out.stat().st_size > 1000


def _modules_after(data: Path, out: Path, *args: str) -> set[str]:
    """The top-level packages a fresh `pare export` process imported."""
    code = (
        "import sys\nfrom pare_desktop.__main__ import main\n"
        f"code = main({['--data-dir', str(data), 'export', *args, '-o', str(out)]!r})\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))\nsys.exit(code)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60,
                          check=False)
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split("\n")[-2].split())


@pytest.mark.parametrize("fmt", ["csv", "vcard", "geojson"])
@pytest.mark.parametrize("chosen", [(), ("--list", "Réunion ; partenaires"), ("--favoris",)],
                         ids=["everything", "list", "fav"])
def test_export_imports_only_what_it_needs(data_dir: Path, tmp_path: Path, fmt: str,
                                           chosen: tuple[str, ...]) -> None:
    found = _modules_after(data_dir, tmp_path / f"out.{fmt}", "--format", fmt, *chosen)
    assert not found & set(HEAVY), sorted(found & set(HEAVY))
    assert (tmp_path / f"out.{fmt}").stat().st_size > 300


def test_a_filtered_export_imports_the_search_and_nothing_else_heavy(data_dir: Path, tmp_path: Path) -> None:
    found = _modules_after(data_dir, tmp_path / "out.csv", "--format", "csv", "--departement", "976")
    assert {"sqlalchemy", "numpy"} <= found  # the search index, through the Directory
    assert not found & (set(HEAVY) - {"sqlalchemy", "numpy"})


def test_xlsx_imports_openpyxl_and_nothing_else_heavy(data_dir: Path, tmp_path: Path) -> None:
    found = _modules_after(data_dir, tmp_path / "out.xlsx", "--format", "xlsx")
    # openpyxl imports numpy itself when it is installed (openpyxl.compat.numbers)
    assert "openpyxl" in found and not found & (set(HEAVY) - {"openpyxl", "numpy"})


def test_a_search_still_goes_through_the_index(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "ecole.csv"
    assert run(["--data-dir", str(data_dir), "export", "--format", "csv", "ecole", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8-sig")
    assert "École des Parents" in text and "zèbre" not in text


def test_sorted_like_the_index_even_with_separator_characters(tmp_path: Path) -> None:
    odd = [replace(record("x", str(i), name), id=f"x:{i}") for i, name in
           enumerate(["b\x1fa", "b a", "B\x1dz", "ba"])]
    data = tmp_path / "data"
    with Directory.open(paths.database_path(data)) as d:
        d.import_batch(Batch("x", tuple(odd)))
    with DirectoryReader.open(paths.database_path(data)) as reader:
        assert [s.id for s in reader.all_visible()] == [s.id for s in _by_directory(data, False)]


def test_small_segments_between_the_same_two_base_rows_merge_in_name_order() -> None:
    """search_many over base + delta + local: rows of the two small segments that fall between the same
    two base rows came out by segment (delta first); they come out by name, as the reader sorts them."""
    from pare_desktop.core.search.engine import SearchIndex, search_many

    base = SearchIndex.build([record("b", "1", "Alpha"), record("b", "2", "Zèbre")])
    delta = SearchIndex.build([record("b", "3", "Numéro"), record("b", "4", "Maison")])
    local = SearchIndex.build([record("local", "1", "Mon contact", origin="local"),
                               record("local", "2", "Lune", origin="local")])
    ids = search_many([base, delta, local], SearchQuery()).ids
    assert ids == ("b:1", "local:2", "b:4", "local:1", "b:3", "b:2")
