"""CSV export: BOM, separators, formula injection neutralised, phone policy, importer round trip."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

from pare_desktop.core.export import CONFIDENTIAL_NOTICE, ExportOptions, export
from pare_desktop.core.export.cells import neutralise
from pare_desktop.core.importers import read_file
from pare_desktop.core.records import Structure


def _rows(path: Path, sep: str = ";") -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=sep))


def test_neutralise_every_dangerous_start() -> None:
    for start in ("=", "+", "-", "@", "\t", "\r", "\n"):
        assert neutralise(start + "1+1") == "'" + start + "1+1"
    assert neutralise("0262 12 34 56") == "0262 12 34 56"
    assert neutralise("") == ""
    assert neutralise("-0.34899") == "-0.34899"
    assert neutralise("-1+2") == "'-1+2"


def test_hostile_cells_neutralised(tmp_path: Path, records: list[Structure], hostile: Structure) -> None:
    out = tmp_path / "a.csv"
    export(records, "csv", out)
    raw = out.read_bytes()
    assert b"\r\n" in raw
    rows = _rows(out)
    header, first = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert header[:3] == ["identifiant", "nom", "type"]
    assert first["nom"] == "'" + hostile.name
    assert first["adresse"] == '\'+33 rue "des Écoliers"'
    assert first["complément d'adresse"] == "'-bât. B; porte 2"
    assert first["horaires texte"] == "'=1+1"
    assert "\nligne 2" in first["description"]
    for row in rows[1:]:
        for cell in row:
            assert neutralise(cell) == cell, cell


def test_phones_readable_and_dialable(tmp_path: Path, hostile: Structure) -> None:
    out = tmp_path / "p.csv"
    export([hostile], "csv", out, ExportOptions(separator=","))
    rows = _rows(out, ",")
    row = dict(zip(rows[0], rows[1], strict=True))
    # a mainland number of a Réunion record reads nationally (issue 11.3); dialled in E.164
    assert row["téléphones"] == "Standard : 0262 12 34 56 | 02 61 91 77 70"
    assert row["téléphones à composer"] == "tel:+262262123456 | tel:+33261917770"
    assert "0262 99 99 99" not in out.read_text(encoding="utf-8-sig")  # confidential phone left out
    assert "téléphones professionnels" not in rows[0]


def test_phone_with_country_code_is_labelled(tmp_path: Path, hostile: Structure) -> None:
    caledonian = replace(hostile, departement="988")  # a mainland number is dialled with +33 there
    out = tmp_path / "nc.csv"
    export([caledonian], "csv", out, ExportOptions(separator=","))
    rows = _rows(out, ",")
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["téléphones"] == "Standard : +262 262 12 34 56 | Tél. : +33 2 61 91 77 70"


def test_confidential_needs_flag_and_says_so(tmp_path: Path, records: list[Structure]) -> None:
    plain, conf = tmp_path / "plain.csv", tmp_path / "conf.csv"
    n_plain = export(records, "csv", plain)
    n_conf = export(records, "csv", conf, ExportOptions(include_confidential=True, pro_mode=True))
    assert n_conf == n_plain + 1  # the pro-only record
    rows = _rows(conf)
    assert rows[0] == [CONFIDENTIAL_NOTICE]
    assert "téléphones professionnels" in rows[1]
    assert "Nuit : 0262 99 99 99" in conf.read_text(encoding="utf-8-sig")
    assert CONFIDENTIAL_NOTICE not in plain.read_text(encoding="utf-8-sig")


def test_round_trip_through_the_importer(tmp_path: Path, records: list[Structure]) -> None:
    clean = [s for s in records[1:] if s.visibility == "public"]
    out = tmp_path / "rt.csv"
    export(clean, "csv", out)
    batch = read_file(out, source="mes-contacts", origin="local")
    assert not batch.rejects, batch.rejects[:3]
    assert len(batch.records) == len(clean)
    for a, b in zip(clean, batch.records, strict=True):
        a = a.for_public()
        assert (b.name, b.type, b.supports, b.publics, b.modalities) == (
            a.name,
            a.type,
            a.supports,
            a.publics,
            a.modalities,
        )
        assert (b.address, b.postal_code, b.commune_code, b.departement) == (
            a.address,
            a.postal_code,
            a.commune_code,
            a.departement,
        )
        assert [p.number for p in b.phones] == [p.number for p in a.phones]
        assert (b.emails, b.website, b.description, b.updated, b.area) == (
            a.emails,
            a.website,
            a.description,
            a.updated,
            a.area,
        )
        assert (b.opening_hours, b.age_min, b.age_max, b.status) == (
            a.opening_hours,
            a.age_min,
            a.age_max,
            a.status,
        )
        assert b.origin == "local"


def test_hostile_row_reimports_as_text(tmp_path: Path, hostile: Structure) -> None:
    out = tmp_path / "h.csv"
    export([hostile], "csv", out)
    batch = read_file(out, source="h", origin="local")
    assert not batch.rejects, batch.rejects
    (back,) = batch.records
    # the apostrophe the export put before « = » is dropped on import: the text comes back as it was (it
    # is data, shown as text everywhere, and neutralised again by every export)
    assert back.name == hostile.name
    assert back.description == hostile.description
    assert [p.number for p in back.phones] == ["+262262123456", "+33261917770"]
