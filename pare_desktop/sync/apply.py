"""Apply a verified plan in ONE transaction; the dataset hash is re-checked before COMMIT."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Connection, Engine, delete, select

from pare_desktop.core import db, store
from pare_desktop.core.progress import NullProgress, Progress, check_cancelled
from pare_desktop.core.records import (
    ORIGIN_DEMO,
    ORIGIN_PUBLISHER,
    Structure,
    combine_hashes,
    hash_hex,
    record_hash,
)
from pare_desktop.core.search import indexes

from .errors import FeedFormatError, IntegrityError
from .feed import Delta, Manifest, Removal, Upsert, read_items, read_snapshot_raw
from .plan import Plan
from .rows import as_structure

CHUNK = 2000
_MOD = 1 << 256
_COLUMNS = tuple(c.name for c in store.STRUCTURE.columns)
_JSON_COLUMNS = frozenset(c.name for c in store.STRUCTURE.columns if isinstance(c.type, JSON))
_INSERT = f"INSERT INTO structure ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"
MAX_UNPACKED = 2_000_000_000
TRUSTED_PREFIX = "trusted_version:"


@dataclass(frozen=True, slots=True)
class ApplyResult:
    """What changed in the publisher table."""

    upserted: int
    deleted: int
    withdrawn: int
    demo_retired: int


def _checkpoint(stage: str, conn: Connection) -> None:
    """A no-op the crash tests replace (kill the process, fill the disk) at each stage of the apply."""


def trusted_version(conn: Connection, dataset_id: str) -> int | None:
    value = store.get_meta(conn, TRUSTED_PREFIX + dataset_id)
    return int(value) if value else None


def apply_plan(
    engine: Engine, manifest: Manifest, plan: Plan, files: Sequence[Path], progress: Progress | None = None
) -> ApplyResult:
    """Apply the downloaded files; any error (hash mismatch, disk full, cancel) rolls everything back."""
    progress = progress or NullProgress()
    with db.write(engine) as conn:
        _checkpoint("begin", conn)
        changes: tuple[list[Structure], list[str]] = ([], [])  # upserted, removed: for the search index
        if plan.snapshot:
            upserted, deleted, withdrawn = _snapshot(conn, manifest, files[0], progress)
        else:
            upserted = deleted = withdrawn = 0
            current = _stored_hash(conn)
            for delta, path in zip(plan.deltas, files, strict=True):
                current, counts = _delta(conn, delta, path, current, progress, changes)
                upserted, deleted, withdrawn = (
                    upserted + counts[0],
                    deleted + counts[1],
                    withdrawn + counts[2],
                )
            if hash_hex(current) != manifest.dataset_hash:
                raise IntegrityError(
                    "empreinte du jeu de données différente du manifeste : mise à jour annulée"
                )
        _checkpoint("data", conn)
        retired = 0
        if store.get_meta(conn, "demo") == "1":
            retired = sum(store.retire_demo(conn))
        store.set_meta(
            conn,
            {
                "dataset_id": manifest.dataset_id,
                "version": str(manifest.version),
                "tier": manifest.tier,
                "published": manifest.created.date().isoformat(),
                "expires": manifest.expires.isoformat(),
                "dataset_hash": manifest.dataset_hash,
                "last_sync": datetime.now().replace(microsecond=0).isoformat(),
                TRUSTED_PREFIX + manifest.dataset_id: str(manifest.version),
            },
        )
        if not plan.snapshot and not retired:  # a snapshot or retired demo: the index is rebuilt after
            indexes.write_index_delta(conn, *changes)
        store.bump_generation(conn)
        _checkpoint("commit", conn)
    return ApplyResult(upserted, deleted, withdrawn, retired)


def _snapshot(conn: Connection, m: Manifest, path: Path, progress: Progress) -> tuple[int, int, int]:
    """Replace every publisher and demo record by the snapshot's (streamed, rows inserted as they come)."""
    seen: set[str] = set()
    total = 0
    batch: list[tuple[Any, ...]] = []
    ids: list[str] = []
    for line, d in read_snapshot_raw(path, MAX_UNPACKED):
        sid = d["id"]
        if sid in seen:
            raise FeedFormatError(f"{path.name} : identifiant en double « {sid} »")
        seen.add(sid)
        # the line is the record's canonical JSON (the publisher writes it so): its sha256 is the record hash
        total = (total + int.from_bytes(hashlib.sha256(line).digest(), "big")) % _MOD
        batch.append(tuple(json.dumps(d[c]) if c in _JSON_COLUMNS else d[c] for c in _COLUMNS))
        ids.append(sid)
        if len(batch) >= CHUNK:
            _insert_rows(conn, ids, batch)
            _progress(conn, len(seen), m.record_count, progress)
            batch, ids = [], []
    _insert_rows(conn, ids, batch)
    _progress(conn, len(seen), m.record_count, progress)
    if hash_hex(total) != m.dataset_hash or len(seen) != m.record_count:
        raise IntegrityError("empreinte du jeu de données différente du manifeste : mise à jour annulée")
    replaced = conn.execute(
        select(store.STRUCTURE.c.id).where(store.STRUCTURE.c.origin.in_((ORIGIN_PUBLISHER, ORIGIN_DEMO)))
    ).scalars()
    deleted, withdrawn = store.remove_structures(conn, [x for x in replaced if x not in seen])
    return len(seen), deleted, withdrawn


def _insert_rows(conn: Connection, ids: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Replace rows by id with plain executemany (JSON columns already serialised): the bulk path."""
    if not rows:
        return
    t = store.STRUCTURE
    for i in range(0, len(ids), db.MAX_PARAMS):
        conn.execute(delete(t).where(t.c.id.in_(ids[i : i + db.MAX_PARAMS])))
    conn.exec_driver_sql(_INSERT, rows)
    _checkpoint("chunk", conn)


def _progress(conn: Connection, done: int, total: int, progress: Progress) -> None:
    check_cancelled(progress)
    progress.set_progress(done, max(total, done))


def _live_hashes(conn: Connection, ids: Iterable[str]) -> dict[str, int]:
    """Record hashes of the publisher records in place (withdrawn ones are not part of the dataset)."""
    t = store.STRUCTURE
    wanted = list(ids)
    out: dict[str, int] = {}
    for i in range(0, len(wanted), db.MAX_PARAMS):
        stmt = store.select_structures().where(
            t.c.id.in_(wanted[i : i + db.MAX_PARAMS]),
            t.c.origin == ORIGIN_PUBLISHER,
            t.c.withdrawn.is_(False),
        )
        for row in conn.execute(stmt):
            s = as_structure(row)
            out[s.id] = record_hash(s)
    return out


def _stored_hash(conn: Connection) -> int:
    value = store.get_meta(conn, "dataset_hash")
    if value:
        return int(value, 16)
    t = store.STRUCTURE
    stmt = store.select_structures().where(t.c.origin == ORIGIN_PUBLISHER, t.c.withdrawn.is_(False))
    return combine_hashes(0, (record_hash(as_structure(r)) for r in conn.execute(stmt)))


def _delta(
    conn: Connection,
    delta: Delta,
    path: Path,
    current: int,
    progress: Progress,
    changes: tuple[list[Structure], list[str]],
) -> tuple[int, tuple[int, int, int]]:
    upserts: list[Structure] = []
    removals: list[str] = []
    seen: set[str] = set()
    for item in read_items(path, "delta", MAX_UNPACKED):
        key = item.record.id if isinstance(item, Upsert) else item.id if isinstance(item, Removal) else ""
        if key in seen:
            raise FeedFormatError(f"{path.name} : identifiant en double « {key} »")
        seen.add(key)
        if isinstance(item, Upsert):
            upserts.append(item.record)
        elif isinstance(item, Removal):
            removals.append(item.id)
    for i in range(0, len(upserts), CHUNK):
        part = upserts[i : i + CHUNK]
        old = _live_hashes(conn, (s.id for s in part))
        current = combine_hashes(current, (record_hash(s) for s in part), old.values())
        store.upsert_structures(conn, part)
        _checkpoint("chunk", conn)
        check_cancelled(progress)
    t = store.STRUCTURE
    mine: set[str] = set()
    for i in range(0, len(removals), db.MAX_PARAMS):
        mine.update(
            conn.execute(
                select(t.c.id).where(
                    t.c.id.in_(removals[i : i + db.MAX_PARAMS]), t.c.origin == ORIGIN_PUBLISHER
                )
            ).scalars()
        )
    old = _live_hashes(conn, mine)
    current = combine_hashes(current, (), old.values())
    deleted, withdrawn = store.remove_structures(conn, [x for x in removals if x in mine])
    changes[0].extend(upserts)
    changes[1].extend(mine)
    if hash_hex(current) != delta.dataset_hash:
        raise IntegrityError(
            f"empreinte du jeu de données après le delta {delta.from_version}→{delta.to_version} "
            "différente du manifeste : mise à jour annulée"
        )
    return current, (len(upserts), deleted, withdrawn)
