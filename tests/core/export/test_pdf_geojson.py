"""PDF text holds the names with markup shown literally and page numbers; GeoJSON holds points."""

from __future__ import annotations

import json
from pathlib import Path

from pypdf import PdfReader

from pare_desktop.core.export import CONFIDENTIAL_NOTICE, ExportOptions, export
from pare_desktop.core.export.typography import NBSP, NNBSP, french
from pare_desktop.core.records import Structure


def test_french_typography() -> None:
    assert french("Tél : 01 ; oui ! « a »") == f"Tél{NBSP}: 01{NNBSP}; oui{NNBSP}! «{NNBSP}a{NNBSP}»"
    assert french("https://x.fr 10:30") == "https://x.fr 10:30"


def _text(path: Path) -> tuple[str, int]:
    reader = PdfReader(str(path))
    return "\n".join(p.extract_text() for p in reader.pages), len(reader.pages)


def test_pdf_names_escaped_and_numbered(tmp_path: Path, records: list[Structure], hostile: Structure) -> None:
    out = tmp_path / "a.pdf"
    export(
        records,
        "pdf",
        out,
        ExportOptions(
            title="Réseau <i>974</i> & co", dataset_version="7", filters=("Territoire : La Réunion (974)",)
        ),
    )
    text, pages = _text(out)
    flat = " ".join(text.replace(NBSP, " ").replace(NNBSP, " ").split())
    assert "Réseau <i>974</i> & co" in flat
    assert "<b>gras</b>" in flat and "<script>alert(1)</script>" in flat
    assert "Version des données : 7" in flat
    for s in records[1:5]:
        assert " ".join(s.name.split()) in flat
    assert f"Page 1 / {pages}" in flat and f"Page {pages} / {pages}" in flat
    assert "La Réunion (974)" in flat and "Structures nationales" in flat
    assert "0262 99 99 99" not in flat and CONFIDENTIAL_NOTICE not in flat


def test_pdf_confidential_title_page(tmp_path: Path, records: list[Structure]) -> None:
    out = tmp_path / "c.pdf"
    export(records, "pdf", out, ExportOptions(include_confidential=True, pro_mode=True))
    first = PdfReader(str(out)).pages[0].extract_text()
    assert CONFIDENTIAL_NOTICE in first


def test_geojson_points(tmp_path: Path, records: list[Structure], hostile: Structure) -> None:
    out = tmp_path / "a.geojson"
    n = export(records, "geojson", out, ExportOptions(columns=("nom", "type", "telephones_tel")))
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection"
    located = [s for s in records[:-1] if s.has_position]
    assert len(doc["features"]) == len(located)
    assert doc["metadata"]["structures_sans_position"] == n - len(located)
    f = doc["features"][0]
    assert f["geometry"] == {
        "type": "Point",
        "coordinates": [round(hostile.longitude or 0, 6), round(hostile.latitude or 0, 6)],
    }
    assert f["properties"]["nom"] == hostile.name == f["properties"]["name"]
    assert set(f["properties"]) == {"nom", "type", "telephones_tel", "name", "national", "position_exacte"}
