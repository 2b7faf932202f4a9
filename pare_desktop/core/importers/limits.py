"""What an imported file may hold at most: each limit is named in the message that enforces it."""

from __future__ import annotations

from pathlib import Path

from pare_desktop.core.errors import ImportFormatError

#: Data rows (non-blank lines, features, items) of one file: five times the largest directory we test.
MAX_ROWS = 500_000
#: Columns of a CSV or XLSX sheet (a directory uses about 30).
MAX_COLUMNS = 1_000
#: Characters in one cell or property (Excel's own limit).
MAX_CELL_CHARS = 32_767
#: What the parts of an XLSX file may decompress to, all together (checked before openpyxl opens it).
MAX_XLSX_UNPACKED = 512 * 1024 * 1024
#: Lines of a sheet, blank ones included (Excel's own limit).
MAX_SHEET_LINES = 1_048_576


def french_int(n: int) -> str:
    """12345 -> "12 345" (a no-break space between thousands)."""
    return f"{n:,}".replace(",", "\u00a0")


def over_limit(path: Path, what: str, limit: int, unit: str, *, line: int | None = None) -> ImportFormatError:
    """The error of a file past one of the limits above, naming it."""
    where = f" (ligne {line})" if line is not None else ""
    return ImportFormatError(
        f"Le fichier « {path.name} » dépasse la limite de {french_int(limit)} {unit} {what}{where} : "
        "découpez-le en plusieurs fichiers.", path=str(path), line=line)


def too_many_rows(path: Path, *, line: int | None = None) -> ImportFormatError:
    return over_limit(path, "par import", MAX_ROWS, "structures", line=line)


def too_many_columns(path: Path) -> ImportFormatError:
    return ImportFormatError(
        f"Le fichier « {path.name} » a plus de {french_int(MAX_COLUMNS)} colonnes, la limite d'un import "
        "(une colonne par champ : un annuaire en compte une trentaine).", path=str(path), line=1)


def cell_too_long(length: int) -> str:
    """The reason of a rejected row holding an over-long cell."""
    return f"cellule trop longue : {french_int(length)} caractères (au plus {french_int(MAX_CELL_CHARS)})"
