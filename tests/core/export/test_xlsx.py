"""XLSX export re-read with openpyxl: no formula anywhere, exact values, real dates, header, info sheet."""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path

from openpyxl import load_workbook

from pare_desktop.core.export import CONFIDENTIAL_NOTICE, ExportOptions, export
from pare_desktop.core.records import Structure


def test_zero_formulas_and_right_values(tmp_path: Path, records: list[Structure], hostile: Structure) -> None:
    out = tmp_path / "a.xlsx"
    opts = ExportOptions(
        title="Ma liste <b>", filters=("Territoire : La Réunion (974)",), dataset_version="42"
    )
    n = export(records, "xlsx", out, opts)
    with zipfile.ZipFile(out) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name)
    wb = load_workbook(out)
    assert wb.sheetnames == ["Structures", "Informations"]
    ws = wb["Structures"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{n + 1}"
    header = [c.value for c in ws[1]]
    cells = [c for row in ws.iter_rows() for c in row]
    assert {c.data_type for c in cells} <= {"s", "inlineStr", "d", "n"}
    assert all(c.data_type != "n" or c.value is None for c in cells)  # empty cells only
    row = {h: c for h, c in zip(header, ws[2], strict=True)}
    assert row["nom"].value == hostile.name and row["nom"].data_type == "s"
    assert row["horaires texte"].value == "=1+1" and row["horaires texte"].data_type == "s"
    assert row["horaires texte"].quotePrefix
    assert row["description"].value == hostile.description
    assert row["date de mise à jour"].value == datetime(2024, 5, 17)
    assert row["date de mise à jour"].is_date
    assert row["téléphones"].value == "Standard : 0262 12 34 56 | 02 61 91 77 70"
    assert ws.column_dimensions["B"].width >= 20
    info = {r[0].value: r[1].value for r in wb["Informations"].iter_rows()}
    assert info["Export"] == "Ma liste <b>"
    assert info["Version des données"] == "42"
    assert info["Filtres"] == "Territoire : La Réunion (974)"
    assert isinstance(info["Date de l'export"], datetime)
    assert info["Structures"] == str(n)


def test_confidential_first_row(tmp_path: Path, records: list[Structure]) -> None:
    out = tmp_path / "c.xlsx"
    export(records, "xlsx", out, ExportOptions(include_confidential=True, pro_mode=True))
    ws = load_workbook(out)["Structures"]
    assert ws["A1"].value == CONFIDENTIAL_NOTICE
    assert ws.freeze_panes == "A3"
    assert "téléphones professionnels" in [c.value for c in ws[2]]


def test_every_formula_character_gets_the_quote_prefix(tmp_path: Path, hostile: Structure) -> None:
    """docs/export.md promises it for = + - @ tab CR LF, not only = (issue 12, item 9)."""
    from dataclasses import replace

    starts = ["=1+1", "+33 rue", "-bât. B", "@SUM(A1)", "\tx", "\rx", "\nx"]
    records = [replace(hostile, id=f"demo:h{i}", source_id=f"h{i}", name=n) for i, n in enumerate(starts)]
    out = tmp_path / "f.xlsx"
    export(records, "xlsx", out, ExportOptions(columns=("nom", "adresse", "complement_adresse")))
    ws = load_workbook(out)["Structures"]
    cells = [row[0] for row in ws.iter_rows(min_row=2)]
    assert len(cells) == len(starts)
    for cell in cells:
        assert cell.data_type == "s" and cell.quotePrefix, repr(cell.value)
    address = next(ws.iter_rows(min_row=2, max_row=2))
    assert address[1].quotePrefix and address[2].quotePrefix  # "+33 rue..." and "-bât. B..."
