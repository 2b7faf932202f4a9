"""XLSX export (openpyxl write-only): strings and real dates only, frozen header, autofilter, info sheet."""

from __future__ import annotations

import contextlib
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from pare_desktop.core.export import CONFIDENTIAL_NOTICE, ExportJob, report
from pare_desktop.core.export.cells import FORMULA_STARTS
from pare_desktop.core.export.columns import Cell
from pare_desktop.core.progress import Progress

SHEET = "Structures"
INFO_SHEET = "Informations"
MAX_WIDTH = 60
DATE_FORMAT = "DD/MM/YYYY"


def _text_cell(ws: WriteOnlyWorksheet, text: str, bold: bool = False) -> WriteOnlyCell:
    """A cell that is a string whatever it holds ("=1+1" stays text, also when edited in Excel)."""
    cell = WriteOnlyCell(ws, value=ILLEGAL_CHARACTERS_RE.sub("", text))
    cell.data_type = "s"
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    if bold:
        cell.font = Font(bold=True)
    return cell


def _value(ws: WriteOnlyWorksheet, value: Cell) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if value.startswith(FORMULA_STARTS) or ILLEGAL_CHARACTERS_RE.search(value):
        return _text_cell(ws, value)
    return value  # openpyxl types any other str as a string cell ("s")


def _widths(job: ExportJob) -> list[float]:
    sample = job.records[:300]
    widths: list[float] = []
    for col in job.columns:
        longest = len(col.header)
        for s in sample:
            v = col.value(s)
            n = 10 if isinstance(v, date) else max((len(x) for x in (v or "").split("\n")), default=0)
            longest = max(longest, n)
        widths.append(min(MAX_WIDTH, longest + 2))
    return widths


def write(job: ExportJob, path: Path, progress: Progress) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET)
    header_row = 2 if job.confidential else 1
    ws.freeze_panes = f"A{header_row + 1}"
    for i, width in enumerate(_widths(job), 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    last = get_column_letter(max(1, len(job.columns)))
    ws.auto_filter.ref = f"A{header_row}:{last}{header_row + len(job.records)}"
    if job.confidential:
        ws.append([_text_cell(ws, CONFIDENTIAL_NOTICE, bold=True)])
    ws.append([_text_cell(ws, c.header, bold=True) for c in job.columns])
    getters = [c.value for c in job.columns]
    total = len(job.records)
    try:
        for i, s in enumerate(job.records, 1):
            ws.append([_value(ws, get(s)) for get in getters])
            report(progress, i, total)
    except BaseException:
        with contextlib.suppress(Exception):
            ws.close()  # end openpyxl's row writer now rather than when it is collected
        raise
    _info_sheet(wb, job)
    wb.save(path)


def _info_sheet(wb: Workbook, job: ExportJob) -> None:
    ws = wb.create_sheet(INFO_SHEET)
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 70
    o = job.options
    if job.confidential:
        ws.append([_text_cell(ws, CONFIDENTIAL_NOTICE, bold=True)])
    exported = WriteOnlyCell(
        ws, value=o.exported_at.replace(tzinfo=None) if isinstance(o.exported_at, datetime) else o.exported_at
    )
    exported.number_format = "DD/MM/YYYY HH:MM"
    rows: list[tuple[str, Any]] = [
        ("Export", _text_cell(ws, o.title)),
        ("Date de l'export", exported),
        ("Version des données", _text_cell(ws, o.dataset_version or "inconnue")),
        ("Filtres", _text_cell(ws, " ; ".join(o.filters) or "aucun")),
        ("Structures", _text_cell(ws, str(len(job.records)))),
    ]
    for label, cell in rows:
        ws.append([_text_cell(ws, label, bold=True), cell])
