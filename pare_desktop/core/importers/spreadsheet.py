"""What CSV and XLSX share: recognising the header row and reading each line as a structure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from pare_desktop.core.errors import MissingNameColumn
from pare_desktop.core.importers import limits
from pare_desktop.core.importers.batch import BatchBuilder, ImportBatch, Reject
from pare_desktop.core.importers.column_map import DAY_HOURS, IGNORE, apply, shape_of
from pare_desktop.core.importers.day_hours import add_day_hours, day_columns
from pare_desktop.core.importers.fields import header_key, map_headers
from pare_desktop.core.importers.mapping import Context, build_structure
from pare_desktop.core.text import shorten


def rows_to_batch(
    path: Path,
    headers: Sequence[str],
    lines: Iterable[tuple[int, Sequence[str]]],
    *, source: str, origin: str, fmt: str, columns: Mapping[str, str] | None = None,
    types: Mapping[str, str] | None = None,
) -> ImportBatch:
    """`lines` are (line number as the user sees it, cells); the header row is `headers`; `columns`, the
    user's own mapping of some headers (see column_map), wins over the recognised names; `types`, folded
    type values -> structure types (classify.fold_types), wins over the synonyms."""
    if len(headers) > limits.MAX_COLUMNS:
        raise limits.too_many_columns(path)
    headers = [h.strip() for h in headers]
    mapping = apply(headers, map_headers(headers), columns)
    if "nom" not in mapping.values():
        found = shorten(", ".join(shorten(h, 40) for h in headers if h), 300)
        raise MissingNameColumn(
            f"Le fichier « {path.name} » n'a pas de colonne « nom » (ligne 1). "
            f"Colonnes trouvées : {found or 'aucune'}.",
            path=str(path), headers=list(headers),
        )
    ignored = {header_key(h) for h, k in (columns or {}).items() if k == IGNORE}
    days = day_columns(h for h in headers if h not in mapping and header_key(h) not in ignored)
    builder = BatchBuilder(source, fmt)
    builder.shape = shape_of(headers)
    builder.columns = tuple((h, mapping.get(h, DAY_HOURS if h in days else IGNORE)) for h in headers if h)
    for line_no, cells in lines:
        if not any(str(c).strip() for c in cells):
            continue  # blank lines are not rows
        builder.total_rows += 1
        if builder.total_rows > limits.MAX_ROWS:
            raise limits.too_many_rows(path, line=line_no)
        raw = _raw(headers, cells)
        longest = max(raw, key=lambda k: len(raw[k]))
        if len(raw[longest]) > limits.MAX_CELL_CHARS:
            clipped = {k: shorten(v, limits.MAX_CELL_CHARS) for k, v in raw.items()}
            builder.reject([Reject(f"ligne {line_no}", shorten(longest, 40),
                                   limits.cell_too_long(len(raw[longest])), clipped)])
            continue
        row = {key: raw.get(header, "") for header, key in mapping.items()}
        add_day_hours(row, raw, days)
        location = f"ligne {line_no}"
        result = build_structure(row, Context(source, origin, location, raw, builder.notes, types))
        builder.take(result, location, raw)
    return builder.build()


def _raw(headers: Sequence[str], cells: Sequence[str]) -> Mapping[str, str]:
    raw: dict[str, str] = {}
    for i, header in enumerate(headers):
        name = header or f"colonne {i + 1}"
        raw[name] = cells[i] if i < len(cells) else ""
    for j in range(len(headers), min(len(cells), limits.MAX_COLUMNS)):
        if cells[j].strip():
            raw[f"colonne {j + 1}"] = cells[j]
    return raw
