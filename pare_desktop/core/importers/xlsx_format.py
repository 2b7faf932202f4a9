"""XLSX workbooks: the sheet named like "structures" (else the first), read with the CSV header rules."""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import load_workbook

from pare_desktop.core.errors import ImportFormatError
from pare_desktop.core.importers.batch import ImportBatch
from pare_desktop.core.importers.fields import header_key
from pare_desktop.core.importers.spreadsheet import rows_to_batch
from pare_desktop.core.importers.values import cell_from_python


def read_xlsx(path: Path, *, source: str, origin: str) -> ImportBatch:
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
        headers = [cell_from_python(c) for c in header_row]
        lines = [(i, [cell_from_python(c) for c in row]) for i, row in enumerate(rows, start=2)]
    finally:
        book.close()
    return rows_to_batch(path, headers, lines, source=source, origin=origin, fmt="xlsx")
