"""Undo of the last import: the rows it replaced, kept in the same transaction, put back on demand."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from . import store
from .changes import NothingToUndoError, UndoOutcome
from .records import Structure
from .search import indexes

UNDO_META = "undo_import"


def clear_rows(conn: Connection) -> None:
    """Forget the rows kept by the previous import (an apply starts with this, in its transaction)."""
    conn.exec_driver_sql("DELETE FROM import_undo")


#: (id, the row before the import: its raw values, or only the values before of the columns the import
#: changes in it as kept_columns gives them (a text), or None when the id is new)
Kept = tuple[str, tuple[Any, ...] | str | None]


def keep_rows(conn: Connection, rows: Sequence[Kept]) -> None:
    """Keep rows an import replaces (None: the id was new), written as the import goes, chunk by chunk:
    the whole row as a JSON array, or only the values before of the columns it changes (kept_columns: a
    services file changes 5 columns of 35)."""
    conn.exec_driver_sql(
        "INSERT INTO import_undo (structure_id, row) VALUES (?, ?)",
        [(sid, old if old is None or old.__class__ is str else json.dumps(old)) for sid, old in rows],
    )


def kept_columns(before: Mapping[int, Any]) -> str:
    """What keep_rows keeps of a row that stays when the import changes only some of its columns: the
    values before of those columns (by their position in store.COLUMNS)."""
    return json.dumps({_POSITION[i]: value for i, value in before.items()})


_POSITION = tuple(str(i) for i in range(256))


def _put_back(conn: Connection, saved: Sequence[tuple[str, Any]]) -> list[tuple[Any, ...]]:
    """The rows before the import, from what keep_rows kept (None: the id was new, nothing to put back);
    a row kept as its changed values is the row now with those values put back."""
    kept = [(sid, json.loads(row)) for sid, row in saved if row is not None]
    now = store.raw_rows(conn, [sid for sid, row in kept if isinstance(row, dict)])
    out = []
    for sid, row in kept:
        if isinstance(row, dict):
            if sid not in now:
                raise NothingToUndoError("l'import ne peut plus être annulé : les données ont changé depuis")
            values = list(now[sid])
            for i, value in row.items():
                values[int(i)] = value
            row = values
        out.append(tuple(row))
    return out


def keep(
    conn: Connection,
    source: str,
    undoable: bool,
    moved: list[tuple[str, str]],
    before: dict[str, str | None],
    generation: int,
) -> None:
    """An import keeps its inverse (the rows written by keep_rows, the previous meta); anything else makes
    it stale: dropped."""
    if not undoable:
        conn.exec_driver_sql("DELETE FROM import_undo")
        conn.exec_driver_sql("DELETE FROM meta WHERE key = ?", (UNDO_META,))
        return
    info = {
        "source": source,
        "at": datetime.now().replace(microsecond=0).isoformat(),
        "generation": generation,
        "meta": before,
        "moved": moved,
    }
    store.set_meta(conn, {UNDO_META: json.dumps(info, ensure_ascii=False)})


@dataclass(frozen=True, slots=True)
class LastImport:
    """The import that can be undone now."""

    source: str
    at: datetime
    rows: int


def last_import(conn: Connection) -> LastImport | None:
    info = _undo_info(conn)
    if info is None:
        return None
    rows = int(conn.exec_driver_sql("SELECT count(*) FROM import_undo").scalar_one())
    return LastImport(info["source"], datetime.fromisoformat(info["at"]), rows)


def _undo_info(conn: Connection) -> dict[str, Any] | None:
    raw = store.get_meta(conn, UNDO_META)
    if not raw:
        return None
    info: dict[str, Any] = json.loads(raw)
    if store.get_meta(conn, "publisher_generation") != str(info["generation"]):
        return None  # a sync or another change came after the import
    return info


CHUNK = 2000  # undo rows read, put back and indexed this many at a time


@dataclass(slots=True)
class Undone:
    """What undo() did, and what the search index must learn (as writes.Applied)."""

    outcome: UndoOutcome
    restored: list[Structure]  # rows put back (empty when `index` holds them)
    removed: list[str]  # ids the import had added, removed again
    generation: int
    index: indexes.PublisherBuild | None = None  # too many for the delta: the base built as restored


def undo(conn: Connection) -> Undone:
    """Put back the publisher rows and meta of before the last import; user data moved back to them.

    Chunk by chunk: the kept rows are never all read at once; past the index delta, the rows put back
    are indexed as they go (a PublisherBuild) instead of being kept."""
    info = _undo_info(conn)
    if info is None:
        raise NothingToUndoError(
            "aucun import à annuler : rien n'a été importé depuis la dernière synchronisation, "
            "ou le dernier import est déjà annulé"
        )
    total = int(conn.exec_driver_sql("SELECT count(*) FROM import_undo").scalar_one())
    big = total > indexes.delta_limit(store.count_structures(conn) + total)
    build = indexes.PublisherBuild() if big else None
    restored: list[Structure] = []
    removed: list[str] = []
    put_back = 0
    last = -1
    sql = "SELECT seq, structure_id, row FROM import_undo WHERE seq > ? ORDER BY seq LIMIT ?"
    while True:
        saved = list(conn.exec_driver_sql(sql, (last, CHUNK)))
        if not saved:
            break
        last = saved[-1][0]
        rows = _put_back(conn, [(sid, row) for _, sid, row in saved])
        store.delete_ids(conn, [sid for _, sid, _ in saved])
        store.insert_values(conn, rows)
        put_back += len(rows)
        removed.extend(sid for _, sid, row in saved if row is None)
        records = [store.from_values(r) for r in rows]
        if build is not None:
            build.add(records)
        else:
            restored.extend(records)
    for old, new in info["moved"]:
        store.move_user_data(conn, new, old)
    for key, value in info["meta"].items():
        conn.exec_driver_sql("DELETE FROM meta WHERE key = ?", (key,))
        if value is not None:
            store.set_meta(conn, {key: value})
    conn.exec_driver_sql("DELETE FROM import_undo")
    conn.exec_driver_sql("DELETE FROM meta WHERE key = ?", (UNDO_META,))
    if build is not None:
        indexes.leave_stale(conn)
    else:
        indexes.write_index_delta(conn, restored, removed)  # before the generation moves on
    generation = store.bump_generation(conn)
    outcome = UndoOutcome(info["source"], put_back, len(removed), len(info["moved"]))
    return Undone(outcome, restored, removed, generation, build)
