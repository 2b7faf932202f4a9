"""A user's column mapping for spreadsheets the importer does not fully recognise, remembered per file shape.

The window's import preview shows each column with the field it is read as (`suggest`); the user may map
an unrecognised column to a field, or leave a column out; `read_file(..., columns=mapping)` then reads the
file with that mapping, and `MappingStore.remember(shape_of(headers), mapping)` keeps it for the next file
with the same columns (same headers, in any order, accents and case ignored). The type values the user
maps to structure types (`read_file(..., types=...)`) are kept the same way, under `types_key(shape)`.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from pare_desktop.core.importers.day_hours import day_columns
from pare_desktop.core.importers.fields import FIELDS, field_for_header, header_key

#: the value that leaves a column out
IGNORE = ""
#: a per-day hours column (« h_lundi »): read with the other days into the opening hours
DAY_HOURS = "horaires_jour"


def shape_of(headers: Iterable[str], kind: str = "colonnes") -> str:
    """A stable key for a file's columns (or a GeoJSON/uMap file's properties, `kind` its format): the set
    of its non-empty headers, folded."""
    keys = sorted({header_key(h) for h in headers if header_key(h)})
    return f"{kind}:" + hashlib.sha256("\x1f".join(keys).encode()).hexdigest()[:20]


def suggest(headers: Iterable[str]) -> dict[str, str]:
    """Header -> the field it is read as ("nom", "code_insee"...), DAY_HOURS for a per-day hours column,
    IGNORE for a column not read. The first column naming a field wins."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    headers = list(headers)
    days = day_columns(headers)
    for h in headers:
        key = field_for_header(h)
        if key is not None and key not in taken:
            out[h] = key
            taken.add(key)
        elif h in days:
            out[h] = DAY_HOURS
        else:
            out[h] = IGNORE
    return out


def apply(
    headers: Iterable[str], auto: Mapping[str, str], columns: Mapping[str, str] | None,
) -> dict[str, str]:
    """The automatic mapping `auto` (recognised header -> field) with the user's choices on top, headers
    compared folded (« Ville » chosen also reads « VILLE »): a header the user maps wins its field from
    any other; one mapped to IGNORE is not read."""
    if not columns:
        return dict(auto)
    by_key = {header_key(h): k for h, k in columns.items()}
    headers = list(headers)
    chosen = {h: by_key[header_key(h)] for h in headers if by_key.get(header_key(h)) in FIELDS}
    decided = {h for h in headers if header_key(h) in by_key}
    taken = set(chosen.values())
    out = {h: k for h, k in auto.items() if h not in decided and k not in taken}
    out.update(chosen)
    return out


def headers_of(path: Path) -> list[str]:
    """The header row of a CSV or XLSX file (for the preview), without reading the rows."""
    from pare_desktop.core.importers import detect_format
    from pare_desktop.core.importers.csv_format import decode, sniff_delimiter

    if detect_format(path) == "xlsx":
        from openpyxl import load_workbook

        from pare_desktop.core.importers.values import cell_from_python
        book = load_workbook(path, read_only=True, data_only=True)
        try:
            names = book.sheetnames
            chosen = next((n for n in names if "structure" in header_key(n)), names[0])
            row = next(book[chosen].iter_rows(values_only=True, max_row=1), ())
            return [cell_from_python(c).strip() for c in row]
        finally:
            book.close()
    with path.open("rb") as f:
        head = f.read(256 * 1024)
    text = decode(head)
    return [h.strip() for h in next(csv.reader(io.StringIO(text), delimiter=sniff_delimiter(text)), [])]


def remembered_columns(path: Path, store: MappingStore | None) -> dict[str, str] | None:
    """The mapping remembered for a CSV or XLSX file of this one's shape, if any (never raises)."""
    if store is None or path.suffix.lower() not in (".csv", ".txt", ".tsv", ".xlsx", ".xlsm"):
        return None
    try:
        return store.get(shape_of(headers_of(path)))
    except Exception:  # an unreadable file: read_file will say why
        return None


def types_key(shape: str) -> str:
    """Where a user's type value mapping for files of this shape is kept, beside the column mappings."""
    return "types:" + shape


def remembered_types(shape: str, store: MappingStore | None) -> dict[str, str] | None:
    """The value -> structure type mapping the user chose for a file of this shape, if any."""
    if store is None or not shape:
        return None
    return store.get(types_key(shape))


class MappingStore:
    """Remembered mappings, one JSON file (in the user's data folder): shape -> {header: field}."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _load(self) -> dict[str, dict[str, str]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def get(self, shape: str) -> dict[str, str] | None:
        found = self._load().get(shape)
        return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else None

    def remember(self, shape: str, columns: Mapping[str, str]) -> None:
        data = self._load()
        data[shape] = dict(columns)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".colonnes-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f, ensure_ascii=False, indent=1)
            os.replace(tmp, self.path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
