"""CSV files kept by coordinators: UTF-8 (BOM or not), UTF-16 or Windows-1252, separated by ; , or tab."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from pathlib import Path

from pare_desktop.core.errors import ImportFormatError, os_reason
from pare_desktop.core.importers import limits
from pare_desktop.core.importers.batch import ImportBatch
from pare_desktop.core.importers.spreadsheet import rows_to_batch

MAX_BYTES = 50 * 1024 * 1024


def utf16_kind(data: bytes) -> str | None:
    """ "utf-16" (with a BOM), "utf-16-le" or "utf-16-be" (text whose every other byte is zero), or None."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    head = data[:4096]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def decode(data: bytes) -> str:
    """UTF-8 when the bytes are valid UTF-8 (BOM removed), else Windows-1252 (Excel's "CSV" on Windows).

    UTF-16 ("Texte Unicode" of Excel) is recognised by the caller first (utf16_kind).
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


_EXPECTED_AFTER_QUOTE = re.compile(r"^'(.+)' expected after '\"'$")
_FIELD_LIMIT = re.compile(r"^field larger than field limit \((\d+)\)$")


def french_csv_error(message: str) -> str:
    """The csv module's English sentences, in French (anything else: a general French sentence)."""
    if message == "unexpected end of data":
        return "guillemet ouvert jamais refermé (la fin du fichier est atteinte)"
    if m := _EXPECTED_AFTER_QUOTE.match(message):
        sep = {"\t": "tabulation"}.get(m[1], m[1])
        return f"après un guillemet fermant, le séparateur « {sep} » ou une fin de ligne est attendu"
    if m := _FIELD_LIMIT.match(message):
        return f"cellule trop longue (plus de {int(m[1]):,} caractères)".replace(",", "\u00a0")
    if "new-line character seen in unquoted field" in message:
        return "retour à la ligne isolé dans une cellule sans guillemets"
    return "syntaxe CSV invalide"


def _text(path: Path, data: bytes) -> str:
    kind = utf16_kind(data)
    if kind is not None:
        try:
            return data.decode(kind).removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            raise ImportFormatError(f"Le fichier « {path.name} » semble encodé en UTF-16 mais est illisible "
                                    "(enregistrez-le en « CSV UTF-8 »).", path=str(path)) from exc
    if b"\x00" in data[:4096]:
        raise ImportFormatError(f"Le fichier « {path.name} » n'est pas un fichier CSV (contenu binaire).",
                                path=str(path))
    return decode(data)


def sniff_delimiter(text: str) -> str:
    """The separator of the header line: the most frequent of ; , and tab outside quotes."""
    first = text.split("\n", 1)[0]
    counts: dict[str, int] = {";": 0, ",": 0, "\t": 0}
    quoted = False
    for ch in first:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


def read_csv(
    path: Path, *, source: str, origin: str, columns: Mapping[str, str] | None = None,
    types: Mapping[str, str] | None = None,
) -> ImportBatch:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFormatError(f"Impossible de lire le fichier « {path.name} » : {os_reason(exc)}.",
                                path=str(path)) from exc
    if len(data) > MAX_BYTES:
        raise ImportFormatError(f"Le fichier « {path.name} » est trop volumineux pour un annuaire.",
                                path=str(path))
    text = _text(path, data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text), strict=True)
    row_start = 1
    try:
        headers = next(reader, [])
        if len(headers) > limits.MAX_COLUMNS:
            raise limits.too_many_columns(path)
        lines: list[tuple[int, list[str]]] = []
        row_start = reader.line_num + 1
        for cells in reader:
            # the line where this row starts: csv.reader counts the lines it has read so far
            lines.append((reader.line_num - _extra_lines(cells), cells))
            row_start = reader.line_num + 1
            if len(lines) > limits.MAX_ROWS:
                raise limits.too_many_rows(path, line=reader.line_num)
    except csv.Error as exc:
        raise ImportFormatError(
            f"Le fichier « {path.name} » est un CSV mal formé à la ligne {row_start} : "
            f"{french_csv_error(str(exc))}.", path=str(path), line=row_start,
        ) from exc
    return rows_to_batch(path, headers, lines, source=source, origin=origin, fmt="csv", columns=columns,
                         types=types)


def _extra_lines(cells: list[str]) -> int:
    """How many line breaks quoted cells of this row hold (so the row's first line can be given)."""
    return sum(c.count("\n") for c in cells)
