"""CSV files kept by coordinators: UTF-8 (BOM or not) or Windows-1252, separated by ; , or tab."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path

from pare_desktop.core.errors import ImportFormatError
from pare_desktop.core.importers.batch import ImportBatch
from pare_desktop.core.importers.spreadsheet import rows_to_batch

MAX_BYTES = 50 * 1024 * 1024


def decode(data: bytes) -> str:
    """UTF-8 when the bytes are valid UTF-8 (BOM removed), else Windows-1252 (Excel's "CSV" on Windows)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


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
) -> ImportBatch:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFormatError(f"Impossible de lire le fichier « {path.name} » : {exc.strerror}.",
                                path=str(path)) from exc
    if len(data) > MAX_BYTES:
        raise ImportFormatError(f"Le fichier « {path.name} » est trop volumineux pour un annuaire.",
                                path=str(path))
    if b"\x00" in data[:4096]:
        raise ImportFormatError(f"Le fichier « {path.name} » n'est pas un fichier CSV (contenu binaire).",
                                path=str(path))
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text), strict=True)
    try:
        headers = next(reader, [])
        lines: list[tuple[int, list[str]]] = []
        for cells in reader:
            # the line where this row starts: csv.reader counts the lines it has read so far
            lines.append((reader.line_num - _extra_lines(cells), cells))
    except csv.Error as exc:
        raise ImportFormatError(
            f"Le fichier « {path.name} » est un CSV mal formé à la ligne {reader.line_num} : {exc}.",
            path=str(path), line=reader.line_num,
        ) from exc
    return rows_to_batch(path, headers, lines, source=source, origin=origin, fmt="csv", columns=columns)


def _extra_lines(cells: list[str]) -> int:
    """How many line breaks quoted cells of this row hold (so the row's first line can be given)."""
    return sum(c.count("\n") for c in cells)
