"""Write the rejected rows of an import to a CSV a coordinator can fix in a spreadsheet and re-import."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from pare_desktop.core.importers.batch import ImportBatch, Reject

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_PLAIN_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")


def neutralise(cell: str) -> str:
    """A cell a spreadsheet will never evaluate: a leading apostrophe before = + - @ tab CR LF (OWASP).

    A plain negative number (« -1.2066 », a longitude west of Greenwich) is a value, not a formula: it is
    written as it is, so the file re-imports as it is. The importer drops the apostrophe it adds.
    """
    return "'" + cell if cell.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(cell) else cell


def unneutralise(cell: str) -> str:
    """The text `neutralise` (or an export) protected: « '=1+1 » -> « =1+1 », « '+262 … » -> « +262 … »."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(_FORMULA_START) else cell


def write_rejects(path: Path, batch: ImportBatch) -> None:
    """One line per rejected row: its original columns, then "ligne" and "motif" (all its problems)."""
    grouped: dict[str, list[Reject]] = {}
    for reject in batch.rejects:
        grouped.setdefault(reject.location, []).append(reject)
    columns: list[str] = []
    for reject in batch.rejects:
        columns.extend(k for k in reject.raw if k not in columns and k not in ("ligne", "motif"))
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_MINIMAL)
        writer.writerow([neutralise(c) for c in [*columns, "ligne", "motif"]])
        for location, problems in grouped.items():
            raw: dict[str, str] = {}
            for p in problems:
                raw.update(p.raw)
            motif = " ; ".join(f"{p.field} : {p.reason}" for p in problems)
            row = [raw.get(c, "") for c in columns] + [location, motif]
            writer.writerow([neutralise(c) for c in row])
