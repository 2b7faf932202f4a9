"""The one write path for publisher rows: change sets from imports and syncs, and their preview.

Inside one write transaction (the caller's `db.write`): upserts in store's encoding (unchanged rows are
not rewritten), removals that keep what the user has data on (flagged « retirée »), the demo retired,
the dataset hash checked, meta stamped, the generation bumped and the inverse kept for undo.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
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
    ORIGIN_REFERENCE,
    Structure,
    combine_hashes,
    hash_hex,
    record_hash,
)
from .rows import columns_reader
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
    #: past the delta, but neither built nor spliced as written: the index is rebuilt after COMMIT
    rebuild: bool = False
    seen: set[str] = field(default_factory=set)  # the ids of the step being applied (chunks may stream)
    demo_ids: frozenset[str] = frozenset()  # the demo records before the apply
    #: demo id -> id of the record that replaces it (its "identifiant" in the file), gathered as written
    superseding: dict[str, str] = field(default_factory=dict)

    def add(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    def keep(self, sid: str, old: tuple[Any, ...] | str | None) -> None:
        """Keep the row `old` of `sid` for undo (None: the id is new; a text: the values before of the
        columns a completion changes, undo.kept_columns)."""
        if self.undoable and sid not in self.kept:
            self.kept.add(sid)
            self.pending.append((sid, old))

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
    if step.merge is not None:
        return _completions(conn, step, run, done, total)
    tracking = step.expected_hash is not None
    replacing = step.mode == MODE_REPLACE
    run.seen = set()
    for part in step.chunks(CHUNK):
        ids = _ids_once(part, run)
        existing = store.raw_rows(conn, ids)
        rows: list[tuple[Any, ...]] = []  # new rows
        updates: list[tuple[tuple[Any, ...], tuple[int, ...]]] = []  # rows there: (new row, columns changed)
        for s in part:
            old = existing.get(s.id)
            if s.source_id in run.demo_ids and s.origin == ORIGIN_PUBLISHER:
                run.superseding[s.source_id] = s.id
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
            run.keep(s.id, old)
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
        if run.big is not None and (run.index is not None or len(run.written) > run.big):
            # past the delta: the records written are indexed chunk by chunk, not kept
            run.index = run.index or indexes.PublisherBuild()
            run.index.add(run.written)
            run.written.clear()
        done = _chunk_done(conn, run, done + len(part), total)
    return done


def _ids_once(part: Sequence[Structure], run: _Run) -> list[str]:
    """The ids of a chunk, none seen before in the step (a stream: the transaction rolls back)."""
    ids = [s.id for s in part]
    if len(set(ids)) != len(ids) or not run.seen.isdisjoint(ids):
        raise ChangeError("identifiant en double dans les modifications : rien n'a été appliqué")
    run.seen.update(ids)
    return ids


def _chunk_done(conn: Connection, run: _Run, done: int, total: int) -> int:
    _stage(run, "chunk", conn)
    check_cancelled(run.progress)
    run.progress.set_progress(done, total)
    return done


#: what a completion reads besides the columns it completes, for the facets of the records it changes
#: (indexes.FieldsBuild): where they are, and their phones (the national ones rank by them)
_FACETS_READ = ("departement", "commune_code", "region", "phones", "origin")
#: a completion's merge runs once per distinct (values there, values brought): at most this many kept
_MERGES_KEPT = 10_000

#: a merge's outcome (_merge_once)
_Merged = tuple[tuple[int, ...], tuple[Any, ...], str, tuple[Any, ...]]


def _completions(conn: Connection, step: ChangeSet, run: _Run, done: int, total: int) -> int:
    """Upserts that complete the records there (ChangeSet.merge): only the columns the merge completes
    are read and written (and what the index needs of the records it changes), and the merge runs once
    per distinct pair of (values there, values brought), which a services file repeats. The rows stay to
    the end of the apply: undo keeps the old values of the columns changed only. Past the delta, the
    changed records' facets are spliced into the index (FieldsBuild) when the merge completes nothing
    but facets, else the index is rebuilt; below it, the records changed are read whole for the delta."""
    assert step.merge is not None
    merge, columns = step.merge, step.merge_columns
    read = ("id", *columns, *(c for c in _FACETS_READ if c not in columns))
    view = columns_reader(read, frozenset(columns))  # what the index reads of a record changed
    merging = columns_reader(columns)  # what the merge reads: one view per distinct values there
    n = len(columns)
    brought = operator.attrgetter(*columns) if n > 1 else (lambda s: (getattr(s, columns[0]),))
    origin = read.index("origin")
    big = run.big is not None and step.size > run.big
    if big:
        if indexes.FieldsBuild.splices(columns):
            run.fields = indexes.FieldsBuild()
        else:
            run.rebuild = True
    merged: dict[tuple[Any, ...], _Merged] = {}
    views: dict[tuple[Any, ...], Structure] = {}
    changed_ids: list[str] = []  # below the delta: read whole once written, for the delta
    run.seen = set()
    for part in step.chunks(CHUNK):
        there = store.raw_rows(conn, _ids_once(part, run), read)
        groups: dict[tuple[int, ...], list[tuple[Any, ...]]] = {}
        facets: list[Structure] = []
        unchanged = 0
        for s in part:
            old = there.get(s.id)
            if old is None:
                continue
            there_values = old[1 : n + 1]
            key = (there_values, brought(s))
            hit = merged.get(key)
            if hit is None:
                if len(merged) >= _MERGES_KEPT:
                    merged.clear()
                    views.clear()
                before = views.get(there_values)
                if before is None:
                    before = views[there_values] = merging(there_values)
                hit = merged[key] = _merge_once(merge, before, s, columns, there_values)
            changed, head, kept, after = hit
            if not changed:
                unchanged += 1
                continue
            run.keep(s.id, kept)
            if run.dry:
                continue
            groups.setdefault(changed, []).append((*head, s.id))
            if run.fields is not None and old[origin] == ORIGIN_REFERENCE:  # indexed apart: rebuilt
                run.fields, run.rebuild = None, True
            if run.fields is not None:
                facets.append(view((s.id, *after, *old[n + 1 :])))
            elif not big:
                changed_ids.append(s.id)
        run.add("unmatched", len(part) - len(there))  # (ids are once in a chunk)
        run.add("unchanged", unchanged)
        run.add("updated", len(there) - unchanged)
        if not run.dry:
            store.update_columns(conn, groups)
        run.flush(conn)
        if run.fields is not None:
            run.fields.add(facets)
        done = _chunk_done(conn, run, done + len(part), total)
    run.written.extend(store.load_some(conn, changed_ids))
    return done


def _merge_once(
    merge: Callable[[Structure, Structure], Structure],
    before: Structure,
    s: Structure,
    columns: Sequence[str],
    old: Sequence[Any],
) -> _Merged:
    """A completion's merge of `s` onto `before` (a view of the record there: its raw values `old` of the
    `columns` completed): (the positions in store.COLUMNS of the columns that change, their new raw
    values, what undo keeps of them, the fields of the columns completed after it)."""
    after = merge(before, s)
    at = [store.COLUMNS.index(c) for c in columns]
    if after is not before:
        others, now = list(store.columns_of(before)), store.columns_of(after)
        for i in at:
            others[i] = now[i]
        if tuple(others) != now:
            raise ValueError("a merge changed a column it does not complete (ChangeSet.merge_columns)")
    new = store.to_values(after)
    values = tuple(new[i] for i in at)
    before_values = {i: was for i, value, was in zip(at, values, old, strict=True) if value != was}
    changed = tuple(before_values)
    return (changed, tuple(new[i] for i in changed), undo.kept_columns(before_values),
            tuple(getattr(after, c) for c in columns))


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
