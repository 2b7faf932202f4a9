"""Cell text for spreadsheets: formula injection neutralised (OWASP), dates in the French form."""

from __future__ import annotations

from datetime import date

from pare_desktop.core.export.columns import Cell

#: A cell starting with one of these may be read as a formula by a spreadsheet (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(text: str) -> str:
    """Prefix a leading apostrophe to text a spreadsheet could run as a formula; other text unchanged."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell_text(value: Cell) -> str:
    """The text of a cell: dates as JJ/MM/AAAA, None as empty, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return neutralise(value)
