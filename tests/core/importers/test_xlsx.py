"""XLSX import: the "structures" sheet, real dates and numbers, same header rules as CSV."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from pare_desktop.core.errors import ImportFormatError
from pare_desktop.core.importers import detect_format, read_file


def test_structures_sheet_with_dates_and_numbers(tmp_path: Path) -> None:
    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "Notice"
    first.append(["Ceci n'est pas la liste"])
    sheet = book.create_sheet("Liste des structures")
    sheet.append(["Nom", "Type de structure", "Code postal", "Commune", "Date de mise à jour", "Âge max"])
    sheet.append(["Point écoute (démo)", "Urgence", 1000, "Bourg-en-Bresse", datetime(2024, 3, 5), 17])
    sheet.append([None, None, None, None, None, None])
    sheet.append([None, "urgence", 75001, "Paris", "05/03/2024", None])
    path = tmp_path / "annuaire.xlsx"
    book.save(path)
    assert detect_format(path) == "xlsx"
    batch = read_file(path)
    (s,) = batch.records
    assert s.postal_code == "01000" and s.departement == "01" and s.age_max == 17
    assert s.updated is not None and s.updated.isoformat() == "2024-03-05"
    (reject,) = batch.rejects
    assert reject.location == "ligne 4" and reject.field == "nom"
    assert batch.total_rows == 2


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "faux.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ImportFormatError) as info:
        read_file(path)
    assert "faux.xlsx" in info.value.message
