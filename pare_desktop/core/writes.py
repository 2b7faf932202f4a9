"""The one write path for publisher rows: change sets from imports and syncs, and their preview.

Inside one write transaction (the caller's `db.write`): upserts in store's encoding (unchanged rows are
not rewritten), removals that keep what the user has data on (flagged « retirée »), the demo retired,
the dataset hash checked, meta stamped, the generation bumped and the inverse kept for undo.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Connection

from . import store, undo
from .changes import (
    MODE_REPLACE,
    ApplyOutcome,
    ChangeError,
    ChangeSet,
    DatasetHashError,
    OlderVersionError,
)
from .db import MAX_PARAMS
from .progress import Progress, check_cancelled
from .records import (
    ORIGIN_DEMO,
    ORIGIN_PUBLISHER,
    Structure,
    combine_hashes,
    hash_hex,
    record_hash,
)
from .search import indexes

CHUNK = 2000
TRUSTED_PREFIX = "trusted_version:"
_STAMPED_ALWAYS = ("demo", "dataset_hash", "dataset_id")
_ORIGIN = store.COLUMNS.index("origin")
_WITHDRAWN = store.COLUMNS.index("withdrawn")


def _checkpoint(stage: str, conn: Connection) -> None:
    """A no-op the crash tests replace (kill the process, fill the disk) at each stage of an apply."""


def _stage(run: _Run, stage: str, conn: Connection) -> None:
    if not run.dry:  # a preview is no apply: the crash tests' hooks do not fire
        _checkpoint(stage, conn)


@dataclass(slots=True)
class Applied:
    """An apply's outcome and what the search index must learn (records written, ids gone)."""

    outcome: ApplyOutcome
    written: list[Structure] = field(default_factory=list)
    removed_ids: list[str] = field(default_factory=list)
    #: a change too big for the index delta: the new base, built from the records as they were written
    #: (indexes.built_publisher completes it after COMMIT); `written` then holds only the rest
    index: indexes.PublisherBuild | None = None
    #: a change too big for the delta, of facets only (a services file): spliced into the base after
    #: COMMIT (indexes.spliced_publisher) from the publisher generation `before`
    fields: indexes.FieldsBuild | None = None
    before: int = 0


@dataclass(slots=True)
class _Run:
    """Counters and state of one apply (or preview)."""

    dry: bool
    progress: Progress
    undoable: bool
    counts: dict[str, int] = field(default_factory=dict)
    kept: set[str] = field(default_factory=set)  # ids whose row before the import is kept for undo
    pending: list[undo.Kept] = field(default_factory=list)  # not yet written
    moved: list[tuple[str, str]] = field(default_factory=list)
    written: list[Structure] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    hash: int | None = None  # the live dataset hash, tracked while a step expects one
    #: past this many records written, they go to `index` as they are written instead of `written`
    big: int | None = None
    index: indexes.PublisherBuild | None = None
    fields: indexes.FieldsBuild | None = None
    #: every record a merge wrote so far changed facets only (indexes.FieldsBuild.fits)
    facets_only: bool = True
    #: past the delta, but neither built nor spliced as written: the index is rebuilt after COMMIT
    rebuild: bool = False
    seen: set[str] = field(default_factory=set)  # the ids of the step being applied (chunks may stream)
    demo_ids: frozenset[str] = frozenset()  # the demo records before the apply
    #: demo id -> id of the record that replaces it (its "identifiant" in the file), gathered as written
    superseding: dict[str, str] = field(default_factory=dict)

    def add(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    def keep(self, sid: str, old: tuple[Any, ...] | None, changed: tuple[int, ...] | None = None) -> None:
        """Keep the row `old` of `sid` for undo (None: the id is new); `changed`: the columns the apply
        changes in it, when the row stays to the end of the apply (only their values are then kept)."""
        if self.undoable and sid not in self.kept:
            self.kept.add(sid)
            self.pending.append((sid, old, changed))

    def flush(self, conn: Connection) -> None:
        """Write the kept rows to the undo table now (chunk by chunk: an import of 100k updates never
        holds all the rows it replaced), in the apply's transaction."""
        if self.pending:
            undo.keep_rows(conn, self.pending)
            self.pending.clear()


def apply(
    conn: Connection, steps: Sequence[ChangeSet], progress: Progress, *, dry_run: bool = False
) -> Applied:
    """Apply the steps in order (a delta chain is several); raises before COMMIT on any broken rule."""
    if not steps:
        raise ChangeError("aucune modification à appliquer")
    run = _Run(dry_run, progress, any(s.undoable for s in steps) and not dry_run)
    _stage(run, "begin", conn)
    _check_trusted(conn, steps)
    if not dry_run:
        undo.clear_rows(conn)  # the previous import's inverse: undoable no more once this one applies
    before = {k: _meta_or_none(conn, k) for k in _stamp_keys(steps)}
    total = sum(s.size for s in steps)
    run.demo_ids = frozenset(store.ids_of_origin(conn, ORIGIN_DEMO))
    if not dry_run and len(steps) == 1 and not steps[0].removals:  # each record written once, kept
        # the directory will hold no more than this many records: past its limit, no delta
        run.big = indexes.delta_limit(store.count_structures(conn) + total)
    publisher_generation = int(store.get_meta(conn, "publisher_generation", "0"))
    done = 0
    for step in steps:
        if step.mode == MODE_REPLACE:
            run.hash = 0  # after a replace, the live dataset is the step's records: no need to subtract
        elif step.expected_hash is not None and run.hash is None:
            run.hash = _stored_hash(conn)
        done = _upserts(conn, step, run, done, total)
        _removals(conn, step, run)
        run.flush(conn)
        if step.expected_hash is not None and hash_hex(run.hash or 0) != step.expected_hash:
            raise DatasetHashError(
                "empreinte du jeu de données différente du manifeste : mise à jour annulée"
            )
    _stage(run, "data", conn)
    _demo_gives_way(
        conn, steps, run, any(s.retire_demo for s in steps) and store.get_meta(conn, "demo") == "1"
    )
    last = steps[-1]
    generation = 0
    if not dry_run:
        stamps: dict[str, str] = {}
        for step in steps:
            stamps.update(step.meta)
            if step.trusted_version is not None:
                stamps[TRUSTED_PREFIX + step.meta["dataset_id"]] = str(step.trusted_version)
        if any(s.retire_demo for s in steps):
            stamps["demo"] = "0"
        stamps["dataset_hash"] = hash_hex(run.hash) if run.hash is not None and last.expected_hash else ""
        store.set_meta(conn, stamps)
        # the search index learns the change in this same transaction, before the generation moves on
        if run.index is not None or run.fields is not None or run.rebuild:  # too big for a delta
            indexes.leave_stale(conn)
        else:
            indexes.write_index_delta(conn, run.written, run.removed)
        generation = store.bump_generation(conn)
        run.flush(conn)  # the demo rows retired
        undo.keep(conn, last.source, run.undoable, run.moved, before, generation)
    _stage(run, "commit", conn)
    c = run.counts
    outcome = ApplyOutcome(
        source=last.source,
        mode=last.mode,
        added=c.get("added", 0),
        updated=c.get("updated", 0),
        unchanged=c.get("unchanged", 0),
        deleted=c.get("deleted", 0),
        withdrawn=c.get("withdrawn", 0),
        demo_retired=c.get("demo_retired", 0),
        superseded=c.get("superseded", 0),
        absent=c.get("absent", 0),
        unmatched=c.get("unmatched", 0),
        generation=generation,
        dry_run=dry_run,
    )
    return Applied(outcome, run.written, run.removed, run.index, run.fields, publisher_generation)


# --- the steps ------------------------------------------------------------------------------------------


def _upserts(conn: Connection, step: ChangeSet, run: _Run, done: int, total: int) -> int:
    if step.stream is None:  # all there: refused before anything is written
        ids = [s.id for s in step.upserts]
        if len(set(ids)) != len(ids):
            raise ChangeError("identifiant en double dans les modifications : rien n'a été appliqué")
    tracking = step.expected_hash is not None
    replacing = step.mode == MODE_REPLACE
    run.seen = set()
    for part in step.chunks(CHUNK):
        ids = [s.id for s in part]
        if len(set(ids)) != len(ids) or not run.seen.isdisjoint(ids):  # a stream: the transaction rolls back
            raise ChangeError("identifiant en double dans les modifications : rien n'a été appliqué")
        run.seen.update(ids)
        existing = store.raw_rows(conn, ids)
        rows: list[tuple[Any, ...]] = []  # new rows
        updates: list[tuple[tuple[Any, ...], tuple[int, ...]]] = []  # rows there: (new row, columns changed)
        for s in part:
            old = existing.get(s.id)
            if step.merge is None and s.source_id in run.demo_ids and s.origin == ORIGIN_PUBLISHER:
                run.superseding[s.source_id] = s.id
            if step.merge is not None:  # the upsert completes the record there (read once, this chunk)
                if old is None:
                    run.add("unmatched")
                    continue
                prev = store.from_values(old)
                s = step.merge(prev, s)
                if run.facets_only and s is not prev and not indexes.FieldsBuild.fits(prev, s):
                    run.facets_only = False
            # a preview encodes only what it compares: a new record is "added" without its row
            values = store.to_values(s) if old is not None or not run.dry else None
            live = s.origin == ORIGIN_PUBLISHER and not s.withdrawn
            if tracking and replacing and live:
                run.hash = combine_hashes(run.hash or 0, (record_hash(s),))
            changed = store.changed_columns(old, values) if old is not None and values is not None else None
            if old is not None and not changed:
                run.add("unchanged")
                continue
            run.add("added" if old is None else "updated")
            # a completion's rows all stay to the end of its apply: only what it changes is kept
            run.keep(s.id, old, changed if step.merge is not None else None)
            if values is not None:
                if changed is None:
                    rows.append(values)
                else:
                    updates.append((values, changed))
            if not run.dry:  # a preview counts; it keeps no record
                run.written.append(s)
            if tracking and not replacing:
                gone = [record_hash(store.from_values(old))] if old and store.is_live_publisher(old) else []
                run.hash = combine_hashes(run.hash or 0, [record_hash(s)] if live else [], gone)
        if not run.dry:
            store.update_values(conn, updates)
            store.insert_values(conn, rows)
        run.flush(conn)
        indexing = run.index is not None or run.fields is not None or run.rebuild
        if run.big is not None and (indexing or len(run.written) > run.big):
            _index_as_written(run, step)
        done += len(part)
        _stage(run, "chunk", conn)
        check_cancelled(run.progress)
        run.progress.set_progress(done, total)
    return done


def _index_as_written(run: _Run, step: ChangeSet) -> None:
    """A change past the delta: the records written are indexed chunk by chunk and not kept — their
    facets only when a merge changed nothing else (FieldsBuild), else whole (PublisherBuild)."""
    if run.index is None and run.fields is None and not run.rebuild:
        if step.merge is not None and run.facets_only:
            run.fields = indexes.FieldsBuild()
        else:
            run.index = indexes.PublisherBuild()
    if run.fields is not None and not run.facets_only:  # a merge changed more than facets: rebuild
        run.fields, run.rebuild = None, True
    if run.fields is not None:
        run.fields.add(run.written)
    elif run.index is not None:
        run.index.add(run.written)
    run.written.clear()


def _removals(conn: Connection, step: ChangeSet, run: _Run) -> None:
    """Explicit removals, and in replace mode every publisher record the step does not carry."""
    wanted = list(dict.fromkeys(step.removals))
    if step.mode == MODE_REPLACE:
        wanted += [x for x in store.ids_of_origin(conn, ORIGIN_PUBLISHER) if x not in run.seen]
    rows = {k: v for k, v in store.raw_rows(conn, wanted).items() if v[_ORIGIN] == ORIGIN_PUBLISHER}
    if step.expected_hash is not None and step.mode != MODE_REPLACE:
        live = (record_hash(store.from_values(v)) for v in rows.values() if store.is_live_publisher(v))
        run.hash = combine_hashes(run.hash or 0, (), live)
    user = store.ids_with_user_data(conn, rows)
    run.add("absent", sum(1 for sid, v in rows.items() if sid not in user or not v[_WITHDRAWN]))
    _remove(conn, rows, user, run)


def _demo_gives_way(conn: Connection, steps: Sequence[ChangeSet], run: _Run, retire: bool) -> None:
    """Retire the demo (`retire`), and in any case drop the demo records that a new record replaces.

    A record replaces a demo record when its "identifiant" in the file is the demo record's id (an
    export of it, re-imported). The demo record hands its favourites, notes and list entries over to
    it: no « retirée » demo copy beside the record that replaced it.
    """
    demo = store.raw_rows(conn, store.ids_of_origin(conn, ORIGIN_DEMO))
    if not demo:
        return
    replacing: dict[str, str] = {}
    if retire:
        sql = "SELECT id, source_id FROM structure WHERE origin = ?"
        replacing.update(
            (source_id, sid)
            for sid, source_id in conn.exec_driver_sql(sql, (ORIGIN_PUBLISHER,))
            if source_id in demo
        )
    # the records written that carry a demo id, gathered chunk by chunk (completions replace nothing)
    replacing.update((old, new) for old, new in run.superseding.items() if old in demo)
    rows = demo if retire else {k: v for k, v in demo.items() if k in replacing}
    user = store.ids_with_user_data(conn, rows)
    for old in sorted(user & replacing.keys()):
        if run.dry or store.move_user_data(conn, old, replacing[old]):
            run.moved.append((old, replacing[old]))
    user -= {old for old, _ in run.moved}
    run.add("superseded", sum(1 for k in rows if k in replacing and k not in user))
    if retire:
        run.add("demo_retired", len(demo))
    _remove(conn, rows, user, run)


def _remove(conn: Connection, rows: dict[str, tuple[Any, ...]], user: set[str], run: _Run) -> None:
    """Delete rows, or flag « retirée » those the user has data on (already flagged ones stay so)."""
    gone = [sid for sid in rows if sid not in user]
    flag = [sid for sid in rows if sid in user and not rows[sid][_WITHDRAWN]]
    for sid in gone + flag:
        run.keep(sid, rows[sid])
    run.add("deleted", len(gone))
    run.add("withdrawn", len(flag))
    if run.dry:
        return
    run.removed.extend(gone)
    run.written.extend(replace(store.from_values(rows[sid]), withdrawn=True) for sid in flag)
    store.delete_ids(conn, gone)
    for i in range(0, len(flag), MAX_PARAMS):
        part = tuple(flag[i : i + MAX_PARAMS])
        conn.exec_driver_sql(
            f"UPDATE structure SET withdrawn = 1 WHERE id IN ({','.join('?' * len(part))})", part
        )


# --- rules around the data --------------------------------------------------------------------------


def trusted_version(conn: Connection, dataset_id: str) -> int | None:
    value = store.get_meta(conn, TRUSTED_PREFIX + dataset_id)
    return int(value) if value else None


def _check_trusted(conn: Connection, steps: Sequence[ChangeSet]) -> None:
    for step in steps:
        if step.trusted_version is None:
            continue
        trusted = trusted_version(conn, step.meta.get("dataset_id", ""))
        if trusted is not None and step.trusted_version < trusted:
            raise OlderVersionError(step.trusted_version, trusted)


def _stored_hash(conn: Connection) -> int:
    """The live dataset hash: the one stamped by the last sync, else computed from the rows."""
    value = store.get_meta(conn, "dataset_hash")
    if value:
        return int(value, 16)
    sql = f"SELECT {', '.join(store.COLUMNS)} FROM structure WHERE origin = ? AND withdrawn = 0"
    rows = conn.exec_driver_sql(sql, (ORIGIN_PUBLISHER,))
    return combine_hashes(0, (record_hash(store.from_values(v)) for v in rows))


def _meta_or_none(conn: Connection, key: str) -> str | None:
    value = conn.exec_driver_sql("SELECT value FROM meta WHERE key = ?", (key,)).scalar_one_or_none()
    return None if value is None else str(value)


def _stamp_keys(steps: Sequence[ChangeSet]) -> list[str]:
    keys = dict.fromkeys(_STAMPED_ALWAYS)
    for step in steps:
        keys.update(dict.fromkeys(step.meta))
    return list(keys)
