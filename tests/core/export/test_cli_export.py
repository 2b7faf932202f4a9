"""`pare export` end to end on a real database: lists, favourites, confidential data, re-import."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pare_desktop.cli import run
from pare_desktop.core.directory import Directory
from pare_desktop.core.importers import read_file


def _db(tmp_path: Path) -> Path:
    return tmp_path / "pare.sqlite3"


def test_export_list_and_reimport_keeps_lists(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--data-dir", str(tmp_path), "search", "--departement", "974", "--limit", "1"]) == 0
    capsys.readouterr()
    from pare_desktop import paths

    with Directory.open(paths.database_path(tmp_path)) as d:
        ids = [
            x
            for x in d.search(
                __import__("pare_desktop.core.records", fromlist=["SearchQuery"]).SearchQuery(
                    territories=("974",)
                )
            ).ids
            if "demo:" in x
        ][:3]
        lid = d.user.create_list("Réunion ; partenaires")
        d.user.add_to_list(lid, list(reversed(ids)))
        d.user.set_favourite(ids[0], True)
    out = tmp_path / "liste.csv"
    assert (
        run(
            [
                "--data-dir",
                str(tmp_path),
                "export",
                "--format",
                "csv",
                "--list",
                "réunion ; PARTENAIRES",
                "--columns",
                "identifiant,nom,telephones",
                "-o",
                str(out),
            ]
        )
        == 0
    )
    assert "3 structure(s)" in capsys.readouterr().out
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[0] == ["identifiant", "nom", "téléphones"]
    assert [r[0] for r in rows[1:]] == list(reversed(ids))  # the list's order
    fav = tmp_path / "fav.xlsx"
    assert (
        run(["--data-dir", str(tmp_path), "export", "--format", "xlsx", "--favorites", "-o", str(fav)]) == 0
    )
    assert load_workbook(fav)["Informations"]["B2"].value is not None
    # the export re-imported as the whole directory (the demo retired) keeps the list and its order
    full = tmp_path / "full.csv"
    assert (
        run(
            [
                "--data-dir",
                str(tmp_path),
                "export",
                "--format",
                "csv",
                "--departement",
                "974",
                "-o",
                str(full),
            ]
        )
        == 0
    )
    with Directory.open(paths.database_path(tmp_path)) as d:
        d.import_batch(read_file(full, source="pub"), mode="replace")
        (info,) = d.user.lists()
        # the list follows the imported records (their "identifiant" is the demo id): no « retirée » copy
        assert d.user.list_ids(info.id) == [f"pub:{x}" for x in reversed(ids)]
        kept = d.get_many(d.user.list_ids(info.id))
        assert len(kept) == 3 and not any(s.withdrawn for s in kept) and d.get_many(ids) == []


def test_local_import_then_list_mixing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "mes-contacts.csv"
    src.write_text(
        "nom;type;commune;code postal;téléphone\nMaison des ados (démo);sante-ado-psy;Mamoudzou;97600;"
        "0269 61 00 00\n",
        encoding="utf-8",
    )
    assert run(["--data-dir", str(tmp_path), "import", "--local", str(src)]) == 0
    from pare_desktop import paths

    with Directory.open(paths.database_path(tmp_path)) as d:
        (local,) = d.user.local_structures()
        assert local.origin == "local" and local.phones[0].number == "+262269610000"
        lid = d.user.create_list("Mayotte")
        d.user.add_to_list(lid, [local.id, "reference:119"])
    out = tmp_path / "m.vcf"
    assert (
        run(["--data-dir", str(tmp_path), "export", "--format", "vcard", "--list", "Mayotte", "-o", str(out)])
        == 0
    )
    text = out.read_text(encoding="utf-8")
    assert text.count("BEGIN:VCARD") == 2 and "tel:+262269610000" in text


def test_confidential_refused_outside_pro(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "x.pdf"
    assert (
        run(
            [
                "--data-dir",
                str(tmp_path),
                "export",
                "--format",
                "pdf",
                "--include-confidential",
                "-o",
                str(out),
            ]
        )
        == 2
    )
    assert "mode professionnel" in capsys.readouterr().err and not out.exists()
    assert (
        run(
            [
                "--data-dir",
                str(tmp_path),
                "--pro",
                "export",
                "--format",
                "csv",
                "--include-confidential",
                "-o",
                str(tmp_path / "c.csv"),
            ]
        )
        == 0
    )
    assert (
        (tmp_path / "c.csv").read_text(encoding="utf-8-sig").startswith("Confidentiel — usage professionnel")
    )
    assert (
        run(
            [
                "--data-dir",
                str(tmp_path),
                "export",
                "--format",
                "csv",
                "--columns",
                "nom,salaire",
                "-o",
                str(tmp_path / "y.csv"),
            ]
        )
        == 2
    )
