"""Bad files end in the importers' own French error, within named limits (issue 12, items 4, 5, 8, 9)."""

from __future__ import annotations

import contextlib
import json
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from pare_desktop.cli import run
from pare_desktop.core.errors import ImportFormatError
from pare_desktop.core.importers import limits, read_file

HEADER = "nom;type;code_insee;telephones\n"


def write(path: Path, data: bytes | str) -> Path:
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def refused(path: Path, fmt: str = "auto") -> str:
    with pytest.raises(ImportFormatError) as info:
        read_file(path, fmt)
    message = info.value.message
    assert len(message) < 600, message
    assert "Traceback" not in message
    return message


# --- JSON: recursion and number size (12.4) -----------------------------------------------------------

@pytest.mark.parametrize("name", ["carte.geojson", "carte.umap", "structures.json", "structures.jsonl"])
def test_json_nested_5000_deep(tmp_path: Path, name: str) -> None:
    path = write(tmp_path / name, "[" * 5000 + "]" * 5000)
    assert "imbriqué trop profondément" in refused(path) or "n'est pas" in refused(path)


def test_json_nested_5000_deep_inside_a_valid_collection(tmp_path: Path) -> None:
    deep = "[" * 5000 + "]" * 5000
    path = write(tmp_path / "carte.geojson", '{"type": "FeatureCollection", "features": [' + deep + "]}")
    assert "imbriqué trop profondément" in refused(path, "geojson")


@pytest.mark.parametrize("name", ["carte.geojson", "structures.json", "structures.jsonl"])
def test_a_number_of_5001_digits(tmp_path: Path, name: str) -> None:
    number = "9" * 5001
    if name.endswith(".jsonl"):
        text = '{"id": "a", "nom": "x"}\n{"id": ' + number + "}\n"
    elif name.endswith(".geojson"):
        text = '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"nom": ' \
            + number + "}}]}"
    else:
        text = '[{"id": ' + number + "}]"
    message = refused(write(tmp_path / name, text))
    assert "nombre démesuré" in message and number not in message
    if name.endswith(".jsonl"):
        assert "ligne 2" in message


# --- XLSX: damaged content and zip bombs (12.4, 12.5) ------------------------------------------------

def _workbook(tmp_path: Path, rows: int = 40) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["nom", "type", "code_insee", "description"])
    for i in range(rows):
        sheet.append([f"Structure {i}", "association-specialisee", "97611", "texte " * 20])
    path = tmp_path / "annuaire.xlsx"
    book.save(path)
    return path


def _rewrite(path: Path, member: str, change) -> None:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    parts[member] = change(parts[member])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def test_bad_crc(tmp_path: Path) -> None:
    path = _workbook(tmp_path)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    data[info.header_offset + 14] ^= 0xFF  # the CRC-32 in the local header...
    central = bytes(data).rfind(b"xl/worksheets/sheet1.xml")
    data[central - 46 + 16] ^= 0xFF  # ...and in the central directory
    path.write_bytes(bytes(data))
    assert "endommagé" in refused(path) or "pas un fichier XLSX valide" in refused(path)


def test_cut_xml(tmp_path: Path) -> None:
    path = _workbook(tmp_path)
    _rewrite(path, "xl/worksheets/sheet1.xml", lambda b: b[: len(b) // 2])
    assert "endommagé" in refused(path)


@pytest.mark.parametrize("seed", range(6))
def test_flipped_bytes(tmp_path: Path, seed: int) -> None:
    import random

    path = _workbook(tmp_path)
    data = bytearray(path.read_bytes())
    rng = random.Random(seed)
    for _ in range(20):
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    path.write_bytes(bytes(data))
    with contextlib.suppress(ImportFormatError):  # or read: only never anything else
        read_file(path)


def test_declared_unpacked_size_is_checked_before_opening(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_XLSX_UNPACKED", 1024 * 1024)
    path = _workbook(tmp_path)
    _rewrite(path, "xl/worksheets/sheet1.xml",
             lambda b: b.replace(b"</sheetData>", b"</sheetData>" + b"<!--" + b" " * 3_000_000 + b"-->"))
    assert path.stat().st_size < 100_000
    message = refused(path)
    assert "se décompresse en 3 Mo" in message and "limite est de 1 Mo" in message


def test_declared_dimensions_do_not_pad_rows(tmp_path: Path) -> None:
    """A sheet claiming A1:XFD1048576 with a far cell once took gigabytes: now bounded and quick."""
    path = _workbook(tmp_path, rows=3)

    def inflate(b: bytes) -> bytes:
        b = b.replace(b'<dimension ref="A1:D4"/>', b'<dimension ref="A1:XFD1048576"/>')
        far = b'<row r="500000"><c r="XFD500000" t="inlineStr"><is><t>loin</t></is></c></row>'
        return b.replace(b"</sheetData>", far + b"</sheetData>")

    _rewrite(path, "xl/worksheets/sheet1.xml", inflate)
    t0 = time.monotonic()
    batch = read_file(path)  # before: 500,000 rows of 16,384 cells each, kept in memory
    assert len(batch.records) == 3 and time.monotonic() - t0 < 30


# --- CSV: limits, encodings and French errors (12.5, 12.8, 12.9) -------------------------------------

def test_a_million_columns_is_refused_with_a_short_message(tmp_path: Path) -> None:
    path = write(tmp_path / "large.csv", ";".join(f"c{i}" for i in range(1_000_000)) + "\nA;B\n")
    message = refused(path)
    assert "plus de 1\u00a0000 colonnes" in message


def test_missing_name_column_lists_few_columns(tmp_path: Path) -> None:
    path = write(tmp_path / "sans_nom.csv", ";".join("colonne-très-longue-" * 10 + str(i) for i in range(500))
                 + "\nA\n")
    message = refused(path)
    assert "n'a pas de colonne « nom »" in message and message.endswith("….")


def test_a_5000_digit_phone_is_echoed_short(tmp_path: Path) -> None:
    path = write(tmp_path / "tel.csv", HEADER + "Maison;association-specialisee;97611;" + "1" * 5000 + "\n")
    batch = read_file(path)
    (reject,) = batch.rejects
    assert "…" in reject.reason and len(reject.reason) < 200


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_csv_is_read(tmp_path: Path, encoding: str) -> None:
    text = "nom;type;code_insee\nMaison des Ados à Mamoudzou;association-specialisee;97611\n"
    batch = read_file(write(tmp_path / "unicode.csv", text.encode(encoding)))
    assert [s.name for s in batch.records] == ["Maison des Ados à Mamoudzou"]


@pytest.mark.parametrize(("body", "fragment", "line"), [
    ('A;association-specialisee;"97611\n', "guillemet ouvert jamais refermé", 3),
    ('"A"x;association-specialisee;97611\n', "après un guillemet fermant", 3),
    ('"' + "x" * 200_000 + '";association-specialisee;97611\n', "cellule trop longue", 3),
])
def test_csv_syntax_errors_are_french(tmp_path: Path, body: str, fragment: str, line: int) -> None:
    path = write(tmp_path / "mal.csv", "nom;type;code_insee\nB;association-specialisee;97611\n" + body)
    message = refused(path)
    assert fragment in message and f"ligne {line}" in message
    for english in ("expected", "unexpected", "field limit", "end of data"):
        assert english not in message


def test_over_long_cell_rejects_the_row_naming_the_limit(tmp_path: Path) -> None:
    path = write(tmp_path / "long.csv", "nom;type;code_insee;description\n"
                 f"A;association-specialisee;97611;{'x' * 40_000}\nB;association-specialisee;97611;court\n")
    batch = read_file(path)
    assert [s.name for s in batch.records] == ["B"]
    (reject,) = batch.rejects
    assert reject.field == "description" and "au plus 32\u00a0767" in reject.reason


def test_row_limit_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_ROWS", 3)
    rows = "".join(f"S{i};association-specialisee;97611\n" for i in range(5))
    message = refused(write(tmp_path / "rows.csv", "nom;type;code_insee\n" + rows))
    assert "limite de 3 structures" in message


def test_rejected_lines_are_counted_as_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "deux.csv", "nom;type;code_insee;courriels;site_web\n"
                 "A;association-specialisee;97611;pas-un-courriel;javascript:alert(1)\n"
                 "B;association-specialisee;97611;;\n")
    assert run(["--data-dir", str(tmp_path / "data"), "import", str(path), "--skip-invalid"]) == 0
    out = capsys.readouterr().out
    assert "1 ligne(s) rejetée(s)" in out


# --- positions, invisible characters -----------------------------------------------------------------

def test_swapped_latitude_and_longitude_are_rejected(tmp_path: Path) -> None:
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
         "properties": {"nom": name, "type": "association-specialisee"}}
        for name, lat, lon in (("Bonne", -12.78, 45.22), ("Inversée", 45.22, -12.78), ("Océan", 30.0, -40.0))
    ]
    path = write(tmp_path / "points.geojson", json.dumps({"type": "FeatureCollection", "features": features}))
    batch = read_file(path)
    assert [s.name for s in batch.records] == ["Bonne"]
    reasons = {r.location: r.reason for r in batch.rejects}
    assert "inversées" in reasons["élément 2 (feature)"]
    assert "hors de tout territoire français" in reasons["élément 3 (feature)"]
    assert "inversées" not in reasons["élément 3 (feature)"]


def test_bidi_and_zero_width_characters_are_stripped(tmp_path: Path) -> None:
    path = write(tmp_path / "bidi.csv", "identifiant;nom;type;code_insee\n"
                 "ab\u200bc\u2066;Abri\u202e cod.exe\u200d;association-specialisee;97611\n")
    (s,) = read_file(path).records
    assert s.name == "Abri cod.exe" and s.source_id == "abc"


def test_python_value_errors_never_reach_a_reason(tmp_path: Path) -> None:
    path = write(tmp_path / "age.csv", "nom;type;code_insee;age_min\nA;association-specialisee;97611;²\n")
    (reject,) = read_file(path).rejects
    assert reject.reason == "valeur invalide : « ² »"
