"""Row <-> record conversion and the writes that replace publisher data without reaching user data."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, Table, delete, func, insert, select, update

from .db import MAX_PARAMS
from .models import (
    ContactListItem,
    Favourite,
    LocalStructureRow,
    Meta,
    Note,
    SearchIndexBlob,
    StructureRow,
)
from .records import ORIGIN_DEMO, Structure, structure_from_dict, structure_to_dict

STRUCTURE: Table = StructureRow.__table__  # type: ignore[assignment]
LOCAL: Table = LocalStructureRow.__table__  # type: ignore[assignment]
META: Table = Meta.__table__  # type: ignore[assignment]
SEARCH_INDEX: Table = SearchIndexBlob.__table__  # type: ignore[assignment]
_COLUMNS = tuple(c.name for c in STRUCTURE.columns)


_JSON_COLUMNS = frozenset(("phones", "emails", "supports", "publics", "modalities", "area"))
_BOOL_COLUMNS = frozenset(("position_exact", "withdrawn"))
_JSON_AT = tuple(i for i, name in enumerate(_COLUMNS) if name in _JSON_COLUMNS)


def to_values(s: Structure) -> tuple[Any, ...]:
    """The raw SQLite values of a structure, in _COLUMNS order (JSON text, ISO date, 0/1): bulk writes."""
    row = structure_to_dict(s)
    out: list[Any] = []
    for name in _COLUMNS:
        value = row[name]
        if name in _JSON_COLUMNS:
            value = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        elif name in _BOOL_COLUMNS:
            value = int(value)
        out.append(value)
    return tuple(out)


def from_values(values: Sequence[Any]) -> Structure:
    """A structure from raw SQLite values in _COLUMNS order (the inverse of to_values): bulk reads."""
    row = dict(zip(_COLUMNS, values, strict=True))
    # The JSON columns decoded in one call (an array of them): a third of the cost of one call each.
    decoded = json.loads("[" + ",".join(values[i] or "null" for i in _JSON_AT) + "]")
    for i, value in zip(_JSON_AT, decoded, strict=True):
        row[_COLUMNS[i]] = value
    return structure_from_dict(row)


def load_all(conn: Connection, table: Table = STRUCTURE) -> list[Structure]:
    """Every structure of a table, read without the ORM's per-column processing."""
    sql = f"SELECT {', '.join(_COLUMNS)} FROM {table.name}"
    return [from_values(v) for v in conn.exec_driver_sql(sql)]


def load_some(conn: Connection, ids: Sequence[str], table: Table = STRUCTURE) -> list[Structure]:
    """The structures of these ids (unknown ids skipped), read like load_all."""
    out: list[Structure] = []
    head = f"SELECT {', '.join(_COLUMNS)} FROM {table.name} WHERE id IN "
    for i in range(0, len(ids), MAX_PARAMS):
        part = ids[i : i + MAX_PARAMS]
        out.extend(
            from_values(v) for v in conn.exec_driver_sql(head + f"({','.join('?' * len(part))})", tuple(part))
        )
    return out


def to_row(s: Structure) -> dict[str, Any]:
    """The column values of a structure (JSON columns hold lists and dicts)."""
    row = structure_to_dict(s)
    row["updated"] = s.updated
    return row


def from_row(row: Mapping[Any, Any]) -> Structure:
    d = {k: row[k] for k in _COLUMNS}
    upd = d.get("updated")
    d["updated"] = upd.isoformat() if isinstance(upd, date) else upd
    return structure_from_dict(d)


def select_structures(table: Table = STRUCTURE) -> Any:
    return select(*[table.c[name] for name in _COLUMNS])


def get_meta(conn: Connection, key: str, default: str = "") -> str:
    value = conn.execute(select(META.c.value).where(META.c.key == key)).scalar_one_or_none()
    return default if value is None else str(value)


def set_meta(conn: Connection, values: Mapping[str, str]) -> None:
    for key, value in values.items():
        conn.execute(delete(META).where(META.c.key == key))
        conn.execute(insert(META).values(key=key, value=value))


def bump_generation(conn: Connection, *, publisher: bool = True) -> int:
    """Data changed: what derives from it is stale. Publisher changes also stale the persisted index."""
    gen = int(get_meta(conn, "data_generation", "0")) + 1
    values = {"data_generation": str(gen)}
    if publisher:
        values["publisher_generation"] = str(gen)
        # An index delta written in this transaction (search.indexes.write_index_delta) becomes current.
        old = -int(get_meta(conn, "publisher_generation", "0")) - 1
        conn.execute(update(SEARCH_INDEX).where(SEARCH_INDEX.c.generation == old).values(generation=gen))
    set_meta(conn, values)
    return gen


def ids_with_user_data(conn: Connection, ids: Iterable[str] | None = None) -> set[str]:
    """Structure ids that the user has a favourite, a note or a list entry for."""
    found: set[str] = set()
    for col in (Favourite.structure_id, Note.structure_id, ContactListItem.structure_id):
        stmt = select(col).distinct()
        found.update(conn.execute(stmt).scalars())
    if ids is not None:
        found &= set(ids)
    return found


def upsert_structures(conn: Connection, records: Sequence[Structure], chunk: int = 2000) -> tuple[int, int]:
    """Insert or replace publisher records by id. Returns (added, updated)."""
    if not records:
        return 0, 0
    ids = [s.id for s in records]
    existing: set[str] = set()
    for i in range(0, len(ids), MAX_PARAMS):
        part = ids[i : i + MAX_PARAMS]
        existing.update(conn.execute(select(STRUCTURE.c.id).where(STRUCTURE.c.id.in_(part))).scalars())
    if existing:
        for i in range(0, len(ids), MAX_PARAMS):
            part = [x for x in ids[i : i + MAX_PARAMS] if x in existing]
            if part:
                conn.execute(delete(STRUCTURE).where(STRUCTURE.c.id.in_(part)))
    sql = f"INSERT INTO structure ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"
    for i in range(0, len(records), chunk):
        conn.exec_driver_sql(sql, [to_values(s) for s in records[i : i + chunk]])
    return len(records) - len(existing), len(existing)


def remove_structures(conn: Connection, ids: Iterable[str]) -> tuple[int, int]:
    """Remove publisher records; those the user has data on are kept, marked withdrawn.

    Returns (deleted, withdrawn).
    """
    wanted = list(dict.fromkeys(ids))
    keep = ids_with_user_data(conn, wanted)
    gone = [x for x in wanted if x not in keep]
    deleted = 0
    for i in range(0, len(gone), MAX_PARAMS):
        part = gone[i : i + MAX_PARAMS]
        deleted += conn.execute(delete(STRUCTURE).where(STRUCTURE.c.id.in_(part))).rowcount
    kept = list(keep)
    withdrawn = 0
    for i in range(0, len(kept), MAX_PARAMS):
        withdrawn += conn.execute(
            update(STRUCTURE).where(STRUCTURE.c.id.in_(kept[i : i + MAX_PARAMS])).values(withdrawn=True)
        ).rowcount
    return deleted, withdrawn


def retire_demo(conn: Connection) -> tuple[int, int]:
    """The first real data replaces the demo records (those with user data stay, withdrawn)."""
    demo_ids = list(conn.execute(select(STRUCTURE.c.id).where(STRUCTURE.c.origin == ORIGIN_DEMO)).scalars())
    result = remove_structures(conn, demo_ids)
    set_meta(conn, {"demo": "0"})
    return result


def count_structures(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(STRUCTURE)).scalar_one())
