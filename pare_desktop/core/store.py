"""Row <-> record conversion and the writes that replace publisher data without reaching user data."""

from __future__ import annotations

import json
import operator
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from itertools import compress
from operator import ne
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
from .records import ORIGIN_PUBLISHER, Area, Phone, Structure, structure_from_dict, structure_to_dict
from .rows import from_values as from_values  # the one row decoding (rows.py), used here and by writes, undo

STRUCTURE: Table = StructureRow.__table__  # type: ignore[assignment]
LOCAL: Table = LocalStructureRow.__table__  # type: ignore[assignment]
META: Table = Meta.__table__  # type: ignore[assignment]
SEARCH_INDEX: Table = SearchIndexBlob.__table__  # type: ignore[assignment]
COLUMNS = tuple(c.name for c in STRUCTURE.columns)


_JSON_COLUMNS = frozenset(("phones", "emails", "supports", "publics", "modalities", "area"))
_BOOL_COLUMNS = frozenset(("position_exact", "withdrawn"))
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # one encoder, not one a call
_string = json.encoder.encode_basestring  # what _encode uses for every str (ensure_ascii=False)
_PHONES_AT, _AREA_AT, _UPDATED_AT = COLUMNS.index("phones"), COLUMNS.index("area"), COLUMNS.index("updated")
_TUPLE_AT = tuple(COLUMNS.index(name) for name in ("emails", "supports", "publics", "modalities"))
_BOOL_AT = tuple(COLUMNS.index(name) for name in _BOOL_COLUMNS)
columns_of = operator.attrgetter(*COLUMNS)  # a record's attributes in COLUMNS order, in one C call


def to_values(s: Structure) -> tuple[Any, ...]:
    """The raw SQLite values of a structure, in COLUMNS order (JSON text, ISO date, 0/1): bulk writes.

    Built field by field, the JSON columns spelt with the encoder's own string escaping: the very text
    `_encode(structure_to_dict(s)[column])` gives (tests/core/test_store_values.py), at a third of the cost.
    """
    out = list(columns_of(s))
    out[_PHONES_AT] = "[" + ",".join([_phone_json(p) for p in s.phones]) + "]"
    a = s.area
    if a.national.__class__ is bool:  # (an Area of national=1 would equal one of True: not looked up)
        text = _known(a)
        if text is None:
            national = "true" if a.national else "false"
            text = _spelt(a, f'{{"national":{national},"regions":{_strings(a.regions)},'
                             f'"departements":{_strings(a.departements)},"communes":{_strings(a.communes)}}}')
        out[_AREA_AT] = text
    else:
        out[_AREA_AT] = _encode(structure_to_dict(s)["area"])
    for i in _TUPLE_AT:
        value = out[i]
        out[i] = _known(value) or _spelt(value, _strings(value))
    for i in _BOOL_AT:
        out[i] = int(out[i])
    updated = out[_UPDATED_AT]
    out[_UPDATED_AT] = updated.isoformat() if updated else None
    return tuple(out)


#: the JSON text of tuples of strings and areas already spelt: records repeat them (supports, publics,
#: areas); a tuple holding anything but strings is never kept (True == 1: it could answer for another)
_SPELT: dict[Any, str] = {}


def _known(value: Any) -> str | None:
    try:
        return _SPELT.get(value)
    except TypeError:  # something unhashable inside: spelt each time
        return None


def _spelt(value: Any, text: str) -> str:
    """`text`, the spelling of `value`, remembered when `value` holds strings only (bounded)."""
    items = (*value.regions, *value.departements, *value.communes) if isinstance(value, Area) else value
    if all(v.__class__ is str for v in items) and _known(value) is None:
        if len(_SPELT) >= 4096:
            _SPELT.clear()
        _SPELT[value] = text
    return text


def _strings(values: Sequence[Any]) -> str:
    """A JSON array of strings, as `_encode` writes it (anything but strings goes through `_encode`)."""
    if not values:
        return "[]"
    try:
        return "[" + ",".join(map(_string, values)) + "]"
    except TypeError:  # not a string among them: encode_basestring takes nothing else
        return _encode(list(values))


def _phone_json(p: Phone) -> str:
    if p.number.__class__ is str and p.display.__class__ is str and p.label.__class__ is str \
            and p.confidential.__class__ is bool:
        return (f'{{"number":{_string(p.number)},"display":{_string(p.display)},"label":{_string(p.label)},'
                f'"confidential":{"true" if p.confidential else "false"}}}')
    return _encode(
        {"number": p.number, "display": p.display, "label": p.label, "confidential": p.confidential}
    )


def load_all(conn: Connection, table: Table = STRUCTURE) -> list[Structure]:
    """Every structure of a table, read without the ORM's per-column processing."""
    sql = f"SELECT {', '.join(COLUMNS)} FROM {table.name}"
    return [from_values(v) for v in conn.exec_driver_sql(sql)]


def load_some(conn: Connection, ids: Sequence[str], table: Table = STRUCTURE) -> list[Structure]:
    """The structures of these ids (unknown ids skipped), read like load_all."""
    out: list[Structure] = []
    head = f"SELECT {', '.join(COLUMNS)} FROM {table.name} WHERE id IN "
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
    d = {k: row[k] for k in COLUMNS}
    upd = d.get("updated")
    d["updated"] = upd.isoformat() if isinstance(upd, date) else upd
    return structure_from_dict(d)


def select_structures(table: Table = STRUCTURE) -> Any:
    return select(*[table.c[name] for name in COLUMNS])


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


def count_structures(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(STRUCTURE)).scalar_one())


# --- raw rows: the one encoding (to_values) for every publisher write, and the rows undo restores ---------

_ORIGIN = COLUMNS.index("origin")
_WITHDRAWN = COLUMNS.index("withdrawn")



def raw_rows(
    conn: Connection, ids: Sequence[str], columns: Sequence[str] = COLUMNS
) -> dict[str, tuple[Any, ...]]:
    """id -> raw SQLite values (in to_values order) of the publisher rows among `ids`; `columns`: only
    these (the id first), in this order."""
    if columns[0] != "id" or not set(columns) <= set(COLUMNS):
        raise ValueError(f"not the id and columns of a structure: {columns}")
    out: dict[str, tuple[Any, ...]] = {}
    head = f"SELECT {', '.join(columns)} FROM structure WHERE id IN "
    # the driver's own cursor, in the same transaction: its rows are tuples already (an update of 100k
    # rows reads them all; SQLAlchemy's rows cost as much again)
    raw: sqlite3.Connection = conn.connection.dbapi_connection  # type: ignore[assignment]
    for i in range(0, len(ids), MAX_PARAMS):
        part = tuple(ids[i : i + MAX_PARAMS])
        for v in raw.execute(head + f"({','.join('?' * len(part))})", part):
            out[v[0]] = v
    return out


def delete_ids(conn: Connection, ids: Sequence[str]) -> int:
    n = 0
    for i in range(0, len(ids), MAX_PARAMS):
        part = tuple(ids[i : i + MAX_PARAMS])
        n += conn.exec_driver_sql(
            f"DELETE FROM structure WHERE id IN ({','.join('?' * len(part))})", part
        ).rowcount
    return n


def insert_values(conn: Connection, rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert raw rows (to_values order); the ids must not exist."""
    if rows:
        sql = f"INSERT INTO structure ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
        conn.exec_driver_sql(sql, list(rows))


def changed_columns(old: Sequence[Any], new: Sequence[Any]) -> tuple[int, ...]:
    """The positions of the values that differ between two rows of the same width (one C pass)."""
    if len(old) != len(new):
        raise ValueError("rows of different widths")
    return tuple(compress(range(len(new)), map(ne, old, new)))


def update_values(conn: Connection, rows: Sequence[tuple[tuple[Any, ...], tuple[int, ...]]]) -> None:
    """Rewrite rows in place, only the columns that change: (new row, positions of the columns it
    changes; see changed_columns) pairs, its id that of a row there. Rows that change the same columns
    go in one statement (a services file changes 5 of 35: a third of deleting and inserting them again)."""
    groups: dict[tuple[int, ...], list[tuple[Any, ...]]] = {}
    for new, changed in rows:
        if changed:
            groups.setdefault(changed, []).append((*(new[i] for i in changed), new[0]))
    update_columns(conn, groups)


def update_columns(conn: Connection, groups: Mapping[tuple[int, ...], Sequence[tuple[Any, ...]]]) -> None:
    """Rewrite some columns of rows there: positions of the columns (in COLUMNS) -> the rows' values of
    those columns, each followed by the row's id. One statement per set of columns."""
    for changed, params in groups.items():
        if 0 in changed:
            raise ValueError("a row updated in place keeps its id")
        if params:
            columns = ", ".join(f"{COLUMNS[i]} = ?" for i in changed)
            conn.exec_driver_sql(f"UPDATE structure SET {columns} WHERE id = ?", params)


def ids_of_origin(conn: Connection, origin: str) -> list[str]:
    return list(conn.exec_driver_sql("SELECT id FROM structure WHERE origin = ?", (origin,)).scalars())


def is_live_publisher(values: Sequence[Any]) -> bool:
    """A raw row that is part of the published dataset (publisher origin, not withdrawn)."""
    return bool(values[_ORIGIN] == ORIGIN_PUBLISHER and not values[_WITHDRAWN])


def move_user_data(conn: Connection, old: str, new: str) -> bool:
    """Point favourites, notes and list entries of `old` at `new`; True when nothing is left on `old`.

    A favourite or list entry that `new` already has is dropped from `old` (the same structure twice);
    a note is only moved when `new` has none.
    """
    for table in ("favourite", "note", "contact_list_item"):
        conn.exec_driver_sql(
            f"UPDATE OR IGNORE {table} SET structure_id = ? WHERE structure_id = ?", (new, old)
        )
    for table in ("favourite", "contact_list_item"):
        conn.exec_driver_sql(f"DELETE FROM {table} WHERE structure_id = ?", (old,))
    return not ids_with_user_data(conn, [old])
