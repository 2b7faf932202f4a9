"""XLSX workbooks: the sheet named like "structures" (else the first), read with the CSV header rules."""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from pare_desktop.core.errors import ImportFormatError
from pare_desktop.core.importers.batch import ImportBatch
from pare_desktop.core.importers.di_sheets import SheetItems, is_di_header, sheet_items
from pare_desktop.core.importers.fields import header_key
from pare_desktop.core.importers.spreadsheet import rows_to_batch
from pare_desktop.core.importers.values import cell_from_python


def read_xlsx(
    path: Path, *, source: str, origin: str, columns: Mapping[str, str] | None = None,
) -> ImportBatch:
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ImportFormatError(f"Impossible de lire le classeur « {path.name} » : ce n'est pas un fichier "
                                "XLSX valide.", path=str(path)) from exc
    try:
        names = book.sheetnames
        chosen = next((n for n in names if "structure" in header_key(n)), names[0])
        rows = book[chosen].iter_rows(values_only=True)
        header_row = next(rows, ())
        if is_di_header(header_row):  # the data·inclusion producer template
            return _read_template(path, book, source=source, origin=origin)
        headers = [cell_from_python(c) for c in header_row]
        lines = [(i, [cell_from_python(c) for c in row]) for i, row in enumerate(rows, start=2)]
    finally:
        book.close()
    return rows_to_batch(path, headers, lines, source=source, origin=origin, fmt="xlsx", columns=columns)


def _read_template(path: Path, book: Any, *, source: str, origin: str) -> ImportBatch:
    """Every sheet whose first row names data·inclusion fields (structures, services), in file order."""
    from pare_desktop.core.importers.datainclusion import read_datainclusion

    sheets = []
    for name in book.sheetnames:
        rows = book[name].iter_rows(values_only=True)
        header_row = next(rows, ())
        if is_di_header(header_row):
            sheets.append((name, sheet_items(header_row, list(enumerate(rows, start=2)))))
    items = SheetItems(sheets)
    if items.first_object() is None:
        raise ImportFormatError(f"Le classeur « {path.name} » suit le modèle data·inclusion mais ne contient "
                                "aucune structure ni aucun service.", path=str(path))
    batch = read_datainclusion(path, source=source, origin=origin, file=items)
    return replace(batch, fmt="xlsx")
