"""The directory's search indexes: the publisher one persisted in SQLite as a base segment plus a small
delta segment written in the same transaction as each publisher change, and the user's local one.

Persisted state (table search_index), valid when its generation is the data's publisher generation:
- PUBLISHER: the base segment, built from every publisher record (a full rebuild);
- DELTA: the records changed since the base (rebuilt at each change: it stays small), the ids whose base
  rows they replace, and the base generation it applies to.
`write_index_delta` writes DELTA inside the caller's transaction, before `store.bump_generation`: it is
stored as "pending" for the current generation and the bump makes it current, so a crash, a rollback or a
writer that skips the index leaves an index that no longer matches (rebuilt at the next load), never a
wrong one. When the delta grows past MERGE_FRACTION of the data, the next load rebuilds the base.
The index is derived data: when it cannot be stored (disk full) it is used from memory and stored later.
"""

from __future__ import annotations

import functools
import io
import json
import logging
import os
import shutil
import sqlite3
import time
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import Connection, Engine, Table, delete, insert, select
from sqlalchemy.exc import OperationalError

from .. import db, store
from ..errors import IndexNotStoredError
from ..models import SearchIndexBlob
from ..reader import supersede_reference
from ..records import ORIGIN_REFERENCE, Structure
from .build import BUILD_CHUNK, IndexBuilder, pack, unpack
from .engine import SearchIndex, TerritoryNames

log = logging.getLogger("pare.search")
BLOB: Table = SearchIndexBlob.__table__  # type: ignore[assignment]
PUBLISHER = "publisher"
DELTA = "publisher_delta"
MERGE_MIN = 500  # a delta segment of up to this many records never forces a rebuild
MERGE_FRACTION = 0.05  # beyond max(MERGE_MIN, this share of the records), the base is rebuilt
_REFERENCE_IDS = ("reference:", "reference;")  # id range of the app's national lines (demo.load_reference)
DISK_FULL_MESSAGE = (
    "espace disque insuffisant : l'index de recherche n'a pas pu être enregistré ; la recherche "
    "fonctionne, il sera enregistré dès que de la place sera libérée"
)


@functools.cache
def territory_names() -> TerritoryNames:
    from ..territories import referential

    ref = referential()
    return TerritoryNames(
        departements={t.code: t.name for t in ref.departements()},
        regions={t.code: t.name for t in ref.regions()},
        region_of={t.code: t.region for t in ref.departements() if t.region},
    )


def publisher_records(engine: Engine) -> list[Structure]:
    with db.read(engine) as c:
        return supersede_reference(store.load_all(c))


def local_records(engine: Engine) -> list[Structure]:
    with db.read(engine) as c:
        return store.load_all(c, store.LOCAL)


def build(records: Sequence[Structure]) -> SearchIndex:
    return SearchIndex.build(records, territory_names())


def pending(generation: int) -> int:
    """The generation a DELTA row is written with before the bump (store.bump_generation promotes it)."""
    return -generation - 1


def is_disk_full(exc: BaseException) -> bool:
    """SQLite's « database or disk is full » (a real full disk, or max_page_count reached)."""
    return isinstance(exc, OperationalError) and "full" in str(exc.orig)


_EMPTY: SearchIndex = SearchIndex.build([], TerritoryNames())


@dataclass(frozen=True)
class PublisherIndex:
    """The publisher index as the engine searches it: the base (changed rows hidden), then the delta."""

    base: SearchIndex
    base_generation: int
    generation: int  # the publisher generation this index matches
    delta: SearchIndex = field(default_factory=lambda: _EMPTY)
    dead: frozenset[str] = frozenset()
    stored: bool = True  # False: could not be persisted (disk full); kept in memory, stored later
    segments: tuple[SearchIndex, SearchIndex] = field(init=False)

    def __post_init__(self) -> None:
        base = self.base.without(self.dead) if self.dead else self.base
        object.__setattr__(self, "segments", (base, self.delta))


# --- the delta, inside the caller's write transaction ------------------------------------------------
def write_index_delta(conn: Connection, upserted: Sequence[Structure], removed_ids: Collection[str]) -> bool:
    """Bring the persisted index in step with publisher rows just written in this transaction.

    Call it inside the write transaction, after the rows are written and BEFORE store.bump_generation.
    `upserted`: the records written (as written); `removed_ids`: ids deleted or marked withdrawn.
    Returns False when the index is left to be rebuilt at the next load (the delta is too large, the
    index was already stale, or the disk is full); the data transaction goes on in every case.
    """
    gen = int(store.get_meta(conn, "publisher_generation", "0"))
    rows = {r.name: r.generation for r in conn.execute(select(BLOB.c.name, BLOB.c.generation))}
    base_gen = rows.get(PUBLISHER)
    changed: set[str] = set()
    if rows.get(DELTA) in (gen, pending(gen)) and base_gen is not None:
        data = conn.execute(select(BLOB.c.data).where(BLOB.c.name == DELTA)).scalar_one()
        try:
            state = _read_delta(data)
        except (ValueError, KeyError, OSError):
            return _stale(conn)
        if state.base_generation != base_gen:
            return _stale(conn)
        changed = set(state.changed)
    elif base_gen != gen:
        return _stale(conn)
    changed.update(s.id for s in upserted)
    changed.update(removed_ids)
    if len(changed) > delta_limit(store.count_structures(conn)):
        return _stale(conn)
    known = {s.id: s for s in upserted}
    records = [*known.values(), *store.load_some(conn, sorted(changed - known.keys()))]
    refs = store.load_some(conn, _reference_ids(conn))
    segment = build([*(s for s in records if s.origin != ORIGIN_REFERENCE), *_unsuperseded(conn, refs)])
    data = _delta_bytes(sorted(changed), base_gen, segment)
    if not _room_for(conn, len(data)):  # SQLite may roll back the whole transaction on a full disk
        log.warning("search index delta not stored (disk full): rebuilt at the next load")
        return _stale(conn)
    try:
        with conn.begin_nested():
            conn.execute(delete(BLOB).where(BLOB.c.name == DELTA))
            conn.execute(insert(BLOB).values(name=DELTA, generation=pending(gen), data=data))
    except OperationalError as exc:
        if not is_disk_full(exc) or not conn.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
            raise
        log.warning("search index delta not stored (disk full): rebuilt at the next load")
        return _stale(conn)
    return True


def _room_for(conn: Connection, nbytes: int) -> bool:
    """Whether `nbytes` more fit in the database (max_page_count) and on its disk (twice: WAL, then file)."""
    pragma = conn.exec_driver_sql
    page_size = int(pragma("PRAGMA page_size").scalar_one())
    used = int(pragma("PRAGMA page_count").scalar_one()) - int(pragma("PRAGMA freelist_count").scalar_one())
    if used + nbytes // page_size + 16 > int(pragma("PRAGMA max_page_count").scalar_one()):
        return False
    path = next((r[2] for r in pragma("PRAGMA database_list") if r[1] == "main"), "")
    if not path:
        return True
    try:
        return shutil.disk_usage(os.path.dirname(path)).free >= 2 * nbytes + (1 << 20)
    except OSError:
        return True


def leave_stale(conn: Connection) -> bool:
    """Leave the index to be rebuilt after this transaction (its caller builds the base itself)."""
    return _stale(conn)


def _stale(conn: Connection) -> bool:
    """Leave the index to the next load: drop a DELTA row this transaction may have written."""
    try:
        with conn.begin_nested():
            conn.execute(delete(BLOB).where(BLOB.c.name == DELTA))
    except OperationalError as exc:
        if not is_disk_full(exc):
            raise
    return False


def _reference_ids(conn: Connection) -> list[str]:
    lo, hi = _REFERENCE_IDS
    t = store.STRUCTURE
    return list(conn.execute(select(t.c.id).where(t.c.id >= lo, t.c.id < hi)).scalars())


def _unsuperseded(conn: Connection, refs: list[Structure]) -> list[Structure]:
    """The reference lines whose numbers the other records do not all list (supersede_reference, in SQL)."""
    refs = [s for s in refs if s.origin == ORIGIN_REFERENCE]
    numbers = sorted({p.number for s in refs for p in s.phones})
    if not numbers:
        return refs
    found: set[str] = set()
    where = " OR ".join("instr(phones, ?) > 0" for _ in numbers)
    sql = f"SELECT phones FROM structure WHERE origin != ? AND ({where})"
    for (phones,) in conn.exec_driver_sql(sql, (ORIGIN_REFERENCE, *(json.dumps(n) for n in numbers))):
        found.update(p.get("number", "") for p in json.loads(phones or "[]") if isinstance(p, dict))
        if found.issuperset(numbers):
            break
    return [s for s in refs if not {p.number for p in s.phones} <= found]


@dataclass(frozen=True, slots=True)
class _Delta:
    changed: list[str]
    base_generation: int
    index: SearchIndex


def _delta_bytes(changed: Sequence[str], base_generation: int, index: SearchIndex) -> bytes:
    buf = io.BytesIO()
    np.savez(
        buf,
        changed=pack(changed),
        base_generation=np.array([base_generation], dtype=np.int64),
        index=np.frombuffer(index.to_bytes(), dtype=np.uint8),
    )
    return buf.getvalue()


def _read_delta(data: bytes) -> _Delta:
    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        return _Delta(
            unpack(npz["changed"]),
            int(npz["base_generation"][0]),
            SearchIndex.from_bytes(npz["index"].tobytes()),
        )


# --- loading, after the transaction -----------------------------------------------------------------
def load_publisher(
    engine: Engine, cached: PublisherIndex | None = None, known: Sequence[Structure] = ()
) -> PublisherIndex:
    """The persisted index when it matches the data (reusing `cached`'s base when it is the same); else
    rebuild it (and try to persist it). `known`: publisher records just written (saves reading them)."""
    with db.read(engine) as c:
        gen = int(store.get_meta(c, "publisher_generation", "0"))
        rows = {r.name: r.generation for r in c.execute(select(BLOB.c.name, BLOB.c.generation))}
        base_gen = rows.get(PUBLISHER)
        if cached is not None and not cached.stored and cached.generation == gen:
            return _persist(engine, cached)  # stored later: the disk may have room now
        try:
            if base_gen is not None and rows.get(DELTA) == gen:
                state = _read_delta(c.execute(select(BLOB.c.data).where(BLOB.c.name == DELTA)).scalar_one())
                if state.base_generation == base_gen:
                    base = _base(c, cached, base_gen)
                    dead = frozenset(state.changed) | frozenset(_reference_ids(c))
                    return PublisherIndex(base, base_gen, gen, state.index, dead)
            elif base_gen == gen:
                return PublisherIndex(_base(c, cached, base_gen), base_gen, gen)
        except (ValueError, KeyError, OSError) as exc:  # older format or damaged: rebuild
            log.warning("persisted search index unusable (%s): rebuilding", exc)
    return rebuild_publisher(engine, known)


def _base(c: Connection, cached: PublisherIndex | None, base_gen: int) -> SearchIndex:
    if cached is not None and cached.base_generation == base_gen and cached.stored:
        return cached.base
    return SearchIndex.from_bytes(c.execute(select(BLOB.c.data).where(BLOB.c.name == PUBLISHER)).scalar_one())


class PublisherBuild:
    """The publisher base index built from records as they come — an import's chunks as they are
    written, then the rows it did not write read back chunk by chunk — so that no record needs to stay
    in memory once indexed. The app's reference lines are held back until every number is known
    (supersede_reference)."""

    def __init__(self) -> None:
        self._builder = IndexBuilder(territory_names())
        self._ids: set[str] = set()
        self._refs: list[Structure] = []
        self._numbers: set[str] = set()

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, records: Sequence[Structure]) -> None:
        """Records as they are (or will be) in the database; each id once."""
        self._ids.update([s.id for s in records])
        refs = [s for s in records if s.origin == ORIGIN_REFERENCE]
        kept = [s for s in records if s.origin != ORIGIN_REFERENCE] if refs else records
        self._refs.extend(refs)
        self._numbers.update([p.number for s in kept for p in s.phones])
        self._builder.add(kept)

    def finish(self, conn: Connection) -> SearchIndex:
        """The index, once the rows not added yet are read back (chunk by chunk) from `conn`. Which they
        are, every id says (the primary key's index, no row read; the build cannot know which rows the
        database holds beside those it was given): read straight from the driver's cursor, they are
        only checked against those held, never kept."""
        raw: sqlite3.Connection = conn.connection.dbapi_connection  # type: ignore[assignment]
        held = self._ids
        rest = [i for (i,) in raw.execute("SELECT id FROM structure") if i not in held]
        for i in range(0, len(rest), BUILD_CHUNK):
            self.add(store.load_some(conn, rest[i : i + BUILD_CHUNK]))
        refs, self._refs = self._refs, []
        self._builder.add([s for s in refs if not {p.number for p in s.phones} <= self._numbers])
        return SearchIndex(self._builder.arrays())


class FieldsBuild:
    """A big change of facets only — types, supports, publics, modalities, areas: what a data·inclusion
    services file completes (writes._completions) — reduced as it is written to each record's facets (no
    text is read), then spliced into the base index (SearchIndex.spliced) instead of a rebuild of every
    record's words. Its records are views that hold the facet columns and what the facets derive from
    (where the record is, its phones), nothing else: the base keeps every other array of theirs."""

    #: the columns whose change it splices
    COLUMNS = frozenset(("type", "supports", "publics", "modalities", "area"))
    #: the arrays that depend on nothing it is given: the base's are kept (positions, dates, hours, mode)
    _KEPT = frozenset(("lat", "lon", "updated", "pro", "hours_code", "hours_values"))

    def __init__(self) -> None:
        self._builder = IndexBuilder(territory_names(), text=False)

    def __len__(self) -> int:
        return len(self._builder)

    @classmethod
    def splices(cls, columns: Iterable[str]) -> bool:
        """Whether a change of these columns alone can be spliced (else the index is rebuilt)."""
        return set(columns) <= cls.COLUMNS

    def add(self, records: Sequence[Structure]) -> None:
        """Views of the records as written (facet columns, departement, commune_code, region, phones);
        each id once."""
        self._builder.add(records)

    def apply(self, base: SearchIndex) -> SearchIndex | None:
        """The base with the new facets; None when it does not hold every record changed."""
        part = {k: v for k, v in self._builder.arrays().items() if k not in self._KEPT}
        return base.spliced(part)


def spliced_publisher(engine: Engine, cached: PublisherIndex, fields: FieldsBuild, before: int,
                      generation: int) -> PublisherIndex:
    """The index after a change of facets only (writes.apply, generation `before` -> `generation`): the
    cached base spliced when it was the whole index of the data before the change, then persisted; else
    rebuilt from the data."""
    t0 = time.perf_counter()
    whole = (cached.stored and cached.generation == cached.base_generation == before and not cached.dead
             and len(cached.delta) == 0)
    index = fields.apply(cached.base) if whole else None
    if index is None:
        return load_publisher(engine)
    log.info("search index: %d records' facets spliced in %.1f s", len(fields), time.perf_counter() - t0)
    return _persist(engine, PublisherIndex(index, generation, generation, stored=False))


def rebuild_publisher(engine: Engine, known: Sequence[Structure] = ()) -> PublisherIndex:
    """Build the base from the publisher data as it is now and try to persist it with its generation.

    `known`: records the caller just wrote (an import): only the others are read back from the file.
    A list given is emptied as its records are indexed, so that they can be freed meanwhile.
    """
    t0 = time.perf_counter()
    build = PublisherBuild()
    with db.read(engine) as c:
        generation = int(store.get_meta(c, "publisher_generation", "0"))
        if isinstance(known, list):
            while known:
                build.add(known[-BUILD_CHUNK:])
                del known[-BUILD_CHUNK:]
        else:
            for i in range(0, len(known), BUILD_CHUNK):
                build.add(known[i : i + BUILD_CHUNK])
        index = build.finish(c)
    log.info("search index: %d records built in %.1f s", len(index), time.perf_counter() - t0)
    return _persist(engine, PublisherIndex(index, generation, generation, stored=False))


def built_publisher(engine: Engine, build: PublisherBuild, generation: int) -> PublisherIndex:
    """The base an apply built while it wrote (writes.apply), completed with the rows it did not write
    and persisted; rebuilt from the data if another change came in between."""
    t0 = time.perf_counter()
    with db.read(engine) as c:
        if int(store.get_meta(c, "publisher_generation", "0")) != generation:
            return load_publisher(engine)
        index = build.finish(c)
    log.info("search index: %d records built in %.1f s", len(index), time.perf_counter() - t0)
    return _persist(engine, PublisherIndex(index, generation, generation, stored=False))


def delta_limit(count: int) -> int:
    """The most records the delta segment holds for a directory of `count` records (then: rebuild)."""
    return max(MERGE_MIN, int(count * MERGE_FRACTION))


def _persist(engine: Engine, index: PublisherIndex) -> PublisherIndex:
    """Store a freshly built base (the DELTA row goes); on a full disk, keep it in memory, unstored."""
    size = index.base.stored_size()
    try:
        with db.write(engine) as c:
            # Another writer may have changed the data meanwhile: only store what matches the generation.
            if not _room_for(c, size):
                raise OperationalError("store search index", {}, sqlite3.OperationalError("disk is full"))
            if int(store.get_meta(c, "publisher_generation", "0")) == index.generation:
                c.execute(delete(BLOB).where(BLOB.c.name.in_((PUBLISHER, DELTA))))
                _write_blob(c, PUBLISHER, index.generation, index.base, size)
    except OperationalError as exc:
        if not is_disk_full(exc):
            raise
        log.warning("search index not stored (disk full, %.1f MB): kept in memory", size / 1e6)
        return PublisherIndex(index.base, index.base_generation, index.generation, stored=False)
    return PublisherIndex(index.base, index.generation, index.generation)


class _BlobFile:
    """An SQLite blob as the seekable file np.savez writes to (sqlite3.Blob has no flush)."""

    def __init__(self, blob: sqlite3.Blob) -> None:
        self._blob = blob

    def write(self, data: bytes) -> int:
        self._blob.write(data)
        return memoryview(data).nbytes

    def tell(self) -> int:
        return self._blob.tell()

    def seek(self, offset: int, whence: int = 0) -> int:
        self._blob.seek(offset, whence)
        return self._blob.tell()

    def read(self, n: int = -1) -> bytes:
        return self._blob.read(n)

    def flush(self) -> None:
        pass


def _write_blob(c: Connection, name: str, generation: int, index: SearchIndex, size: int) -> None:
    """The index's bytes written into its row in place, array by array (incremental blob I/O): never
    one more copy of the whole index in memory, nor in SQLite's statement."""
    sql = "INSERT INTO search_index (name, generation, data) VALUES (?, ?, zeroblob(?))"
    c.exec_driver_sql(sql, (name, generation, size))
    rowid = c.exec_driver_sql("SELECT rowid FROM search_index WHERE name = ?", (name,)).scalar_one()
    raw: sqlite3.Connection = c.connection.dbapi_connection  # type: ignore[assignment]
    try:
        with raw.blobopen("search_index", "data", rowid) as blob:
            index.write_to(_BlobFile(blob))
            if blob.tell() != size:  # np.savez writes the same bytes each time: never happens
                raise ValueError("search index bytes shorter than announced")
    except sqlite3.OperationalError as exc:  # the same errors as through SQLAlchemy (disk full...)
        raise OperationalError("store search index", {}, exc) from exc


def storage_problem(index: PublisherIndex) -> IndexNotStoredError | None:
    """The error to show (French) when the index could not be stored, else None."""
    return None if index.stored else IndexNotStoredError(DISK_FULL_MESSAGE)

