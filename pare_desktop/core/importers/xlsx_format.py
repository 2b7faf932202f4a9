"""XLSX workbooks: the sheet named like "structures" (else the first), read with the CSV header rules.

The workbook is untrusted: its declared unpacked size is checked before openpyxl opens it (a 3 MB zip
bomb once took 6.4 GB), the sheet's own dimensions are ignored (they made openpyxl pad every row to
16,384 columns), and whatever openpyxl raises on damaged content becomes an ImportFormatError.
"""

from __future__ import annotations

import logging
import warnings
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from pare_desktop.core.errors import ImportFormatError
from pare_desktop.core.importers import limits
from pare_desktop.core.importers.batch import ImportBatch
from pare_desktop.core.importers.di_sheets import SheetItems, is_di_header, sheet_items
from pare_desktop.core.importers.fields import header_key
from pare_desktop.core.importers.spreadsheet import rows_to_batch
from pare_desktop.core.importers.values import cell_from_python

log = logging.getLogger("pare.import.xlsx")


def _invalid(path: Path) -> ImportFormatError:
    return ImportFormatError(f"Impossible de lire le classeur « {path.name} » : ce n'est pas un fichier "
                             "XLSX valide.", path=str(path))


def _damaged(path: Path, exc: BaseException) -> ImportFormatError:
    log.info("workbook %s unreadable: %r", path.name, exc)
    return ImportFormatError(f"Le classeur « {path.name} » est endommagé (contenu illisible une fois "
                             "ouvert) : ouvrez-le dans un tableur et enregistrez-le de nouveau.",
                             path=str(path))


def check_unpacked_size(path: Path) -> None:
    """Refuse a workbook whose parts would decompress past MAX_XLSX_UNPACKED (sizes from the zip directory;
    Python's zipfile never inflates an entry past its declared size)."""
    try:
        with zipfile.ZipFile(path) as z:
            total = sum(max(info.file_size, 0) for info in z.infolist())
    except (OSError, zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise _invalid(path) from exc
    if total > limits.MAX_XLSX_UNPACKED:
        mb = limits.MAX_XLSX_UNPACKED // (1024 * 1024)
        unpacked = -(-total // (1024 * 1024))
        raise ImportFormatError(
            f"Le classeur « {path.name} » se décompresse en {limits.french_int(unpacked)} Mo : "
            f"la limite est de {limits.french_int(mb)} Mo. Enregistrez les structures seules, ou en CSV.",
            path=str(path))


def _parsed(path: Path, rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """openpyxl's rows, its failures on damaged content turned into ImportFormatError."""
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # bad CRC, cut XML, flipped bytes: openpyxl raises anything
            raise _damaged(path, exc) from exc
        yield row


def _rows(path: Path, sheet: Any, width: int) -> Iterator[tuple[int, list[str]]]:
    rows = _parsed(path, sheet.iter_rows(min_row=2, max_col=width, values_only=True))
    for line, row in enumerate(rows, start=2):
        if line > limits.MAX_SHEET_LINES:
            raise limits.over_limit(path, "par feuille", limits.MAX_SHEET_LINES, "lignes")
        if row.count(None) < len(row):  # blank lines (even a million of them) cost next to nothing
            yield line, [cell_from_python(c) for c in row]


def read_xlsx(
    path: Path, *, source: str, origin: str, columns: Mapping[str, str] | None = None,
    types: Mapping[str, str] | None = None,
) -> ImportBatch:
    check_unpacked_size(path)
    try:
        handle = path.open("rb")  # ours, so that it is closed even when openpyxl fails half-way
    except OSError as exc:
        raise _invalid(path) from exc
    with handle, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about extensions it skips: not the user's concern
        try:
            book = load_workbook(handle, read_only=True, data_only=True)
        except ImportFormatError:
            raise
        except Exception as exc:  # any failure of the parser on untrusted bytes
            raise _invalid(path) from exc
        try:
            names = book.sheetnames
            if not names:
                raise ImportFormatError(f"Le classeur « {path.name} » n'a aucune feuille.", path=str(path))
            chosen = next((n for n in names if "structure" in header_key(n)), names[0])
            sheet = _sheet(path, book, chosen)
            width = limits.MAX_COLUMNS + 1
            first = _parsed(path, sheet.iter_rows(max_row=1, max_col=width, values_only=True))
            header_row = next(first, ())
            if is_di_header(header_row):  # the data·inclusion producer template
                return _read_template(path, book, source=source, origin=origin)
            headers = [cell_from_python(c) for c in header_row]
            while headers and not headers[-1].strip():
                headers.pop()
            if len(headers) > limits.MAX_COLUMNS:
                raise limits.too_many_columns(path)
            return rows_to_batch(path, headers, _rows(path, sheet, max(len(headers), 1)), source=source,
                                 origin=origin, fmt="xlsx", columns=columns, types=types)
        finally:
            book.close()


def _sheet(path: Path, book: Any, name: str) -> Any:
    try:
        sheet = book[name]
        sheet.reset_dimensions()  # never trust the declared size of the sheet
    except Exception as exc:  # a damaged workbook
        raise _damaged(path, exc) from exc
    return sheet


def _bounded(path: Path, rows: Iterator[tuple[Any, ...]]) -> list[tuple[int, tuple[Any, ...]]]:
    out = []
    for line, row in enumerate(rows, start=2):
        if line > limits.MAX_SHEET_LINES:
            raise limits.over_limit(path, "par feuille", limits.MAX_SHEET_LINES, "lignes")
        out.append((line, row))
    return out


def _read_template(path: Path, book: Any, *, source: str, origin: str) -> ImportBatch:
    """Every sheet whose first row names data·inclusion fields (structures, services), in file order."""
    from pare_desktop.core.importers.datainclusion import read_datainclusion

    sheets = []
    width = limits.MAX_COLUMNS + 1
    for name in book.sheetnames:
        rows = _parsed(path, _sheet(path, book, name).iter_rows(max_col=width, values_only=True))
        header_row = next(rows, ())
        if is_di_header(header_row):
            sheets.append((name, sheet_items(header_row, _bounded(path, rows))))
    items = SheetItems(sheets)
    if items.first_object() is None:
        raise ImportFormatError(f"Le classeur « {path.name} » suit le modèle data·inclusion mais ne contient "
                                "aucune structure ni aucun service.", path=str(path))
    batch = read_datainclusion(path, source=source, origin=origin, file=items)
    return replace(batch, fmt="xlsx")
