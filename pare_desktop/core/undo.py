"""Undo of the last import: the rows it replaced, kept in the same transaction, put back on demand."""

from __future__ import annotations

import json
from collections.abc import Sequence
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


def keep_rows(conn: Connection, rows: Sequence[tuple[str, tuple[Any, ...] | None]]) -> None:
    """Keep rows an import replaces (None: the id was new), written as the import goes, chunk by chunk."""
    conn.exec_driver_sql(
        "INSERT INTO import_undo (structure_id, row) VALUES (?, ?)",
        [(sid, None if old is None else json.dumps(old)) for sid, old in rows],
    )


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


def undo(conn: Connection) -> tuple[UndoOutcome, list[Structure], list[str]]:
    """Put back the publisher rows and meta of before the last import; user data moved back to them."""
    info = _undo_info(conn)
    if info is None:
        raise NothingToUndoError(
            "aucun import à annuler : rien n'a été importé depuis la dernière synchronisation, "
            "ou le dernier import est déjà annulé"
        )
    saved = list(conn.exec_driver_sql("SELECT structure_id, row FROM import_undo ORDER BY seq"))
    store.delete_ids(conn, [sid for sid, _ in saved])
    rows = [tuple(json.loads(row)) for _, row in saved if row is not None]
    store.insert_values(conn, rows)
    for old, new in info["moved"]:
        store.move_user_data(conn, new, old)
    for key, value in info["meta"].items():
        conn.exec_driver_sql("DELETE FROM meta WHERE key = ?", (key,))
        if value is not None:
            store.set_meta(conn, {key: value})
    conn.exec_driver_sql("DELETE FROM import_undo")
    conn.exec_driver_sql("DELETE FROM meta WHERE key = ?", (UNDO_META,))
    removed = [sid for sid, row in saved if row is None]
    restored = [store.from_values(r) for r in rows]
    indexes.write_index_delta(conn, restored, removed)  # before the generation moves on
    store.bump_generation(conn)
    outcome = UndoOutcome(info["source"], len(rows), len(removed), len(info["moved"]))
    return outcome, restored, removed
