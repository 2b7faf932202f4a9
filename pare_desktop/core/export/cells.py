"""Cell text for spreadsheets: formula injection neutralised (OWASP), dates in the French form."""

from __future__ import annotations

import re
from datetime import date

from pare_desktop.core.export.columns import Cell

#: A cell starting with one of these may be read as a formula by a spreadsheet (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
_PLAIN_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")


def neutralise(text: str) -> str:
    """Prefix a leading apostrophe to text a spreadsheet could run as a formula; other text unchanged.

    A plain negative number ("-0.34899", a longitude) is a value, not a formula: it is left alone.
    """
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def cell_text(value: Cell) -> str:
    """The text of a cell: dates as JJ/MM/AAAA, None as empty, text neutralised."""
    if value.__class__ is str:
        return (
            "'" + value if value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value) else value
        )
    if value is None:
        return ""
    if isinstance(value, date):
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    return neutralise(str(value))
