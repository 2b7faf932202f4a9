"""The facade over one directory database: search, records, dataset state, imports and user data.

Widgets, the CLI, exports and sync go through a `Directory`; none of them builds queries or holds a
session. It returns frozen dataclasses (records.Structure...), never live ORM objects.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Protocol

from sqlalchemy import Engine, select
from sqlalchemy.exc import OperationalError

from . import db, store, synclog, undo, writes
from .changes import MODE_ADD, ApplyOutcome, ChangeError, ChangeSet, DiskFullError, UndoOutcome
from .errors import IndexNotStoredError
from .gcpause import collector_paused
from .imports import ImportPreview, import_changes
from .progress import NullProgress, Progress
from .records import (
    ORIGIN_DEMO,
    ORIGIN_LOCAL,
    ORIGIN_PUBLISHER,
    SearchQuery,
    SearchResult,
    Structure,
)
from .search import indexes
from .search.engine import SearchIndex, search_many, search_many_indices
from .search.results import ResultRows
from .userdata import UserData

log = logging.getLogger("pare.directory")


class BatchLike(Protocol):
    """What an importer hands over (importers.ImportBatch)."""

    @property
    def source(self) -> str: ...

    @property
    def records(self) -> Sequence[Structure]: ...


@dataclass(frozen=True, slots=True)
class DatasetInfo:
    """What the status bar and exports say about the data."""

    dataset_id: str
    version: int | None
    published: date | None
    last_sync: datetime | None
    expires: datetime | None
    is_demo: bool
    count: int
    local_count: int
    generation: int
    visible: int = -1  # what the search shows in this mode (the one count the window and CLI give)


class Directory:
    """One open directory database. Thread-safe for reads; writes are serialised by SQLite."""

    def __init__(self, path: Path, engine: Engine, *, pro_mode: bool = False) -> None:
        self.path = path
        self.engine = engine
        self.pro_mode = pro_mode
        self.user = UserData(engine, on_local_change=self._reload_local_index)
        self._lock = threading.Lock()
        self._publisher = indexes.load_publisher(engine)
        self._indexes: tuple[SearchIndex, ...] = (
            *self._publisher.segments,
            indexes.build(indexes.local_records(engine)),
        )

    # --- opening ----------------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path, *, pro_mode: bool = False, seed_demo: bool = True) -> Directory:
        """Open (creating or upgrading) the database file; load the demo data into an empty one."""
        path.parent.mkdir(parents=True, exist_ok=True)
        db.upgrade(path)
        engine = db.create_db_engine(path)
        if seed_demo:
            _seed_if_empty(engine)
        return cls(path, engine, pro_mode=pro_mode)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Directory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- reading ----------------------------------------------------------------------------------------
    def search(self, query: SearchQuery) -> SearchResult:
        """Matching ids (a page when query.limit is set), distances and facet counts."""
        return search_many(self._current_indexes(), query, self.pro_mode)

    def search_rows(self, query: SearchQuery) -> ResultRows:
        """The same matches as `search`, without materialising ids: for lazy views of 100k rows."""
        ix = self._current_indexes()
        return ResultRows(ix, search_many_indices(ix, query, self.pro_mode), query)

    def _current_indexes(self) -> tuple[SearchIndex, ...]:
        with self._lock:
            return self._indexes

    def get(self, structure_id: str) -> Structure | None:
        found = self.get_many([structure_id])
        return found[0] if found else None

    def get_many(self, ids: Sequence[str]) -> list[Structure]:
        """Records in the order asked (unknown ids skipped); pro-only ones hidden outside pro mode."""
        by_id: dict[str, Structure] = {}
        with db.read(self.engine) as c:
            for table in (store.STRUCTURE, store.LOCAL):
                by_id.update((s.id, s) for s in store.load_some(c, list(ids), table))
        out = [by_id[x] for x in ids if x in by_id]
        return [self._visible(s) for s in out if self.pro_mode or s.visibility == "public"]

    def _visible(self, s: Structure) -> Structure:
        return s if self.pro_mode else s.for_public()

    def all_structures(self) -> list[Structure]:
        """Every record the search sees (publisher, reference not superseded, local), pro data included."""
        return indexes.publisher_records(self.engine) + indexes.local_records(self.engine)

    def dataset_info(self) -> DatasetInfo:
        with db.read(self.engine) as c:
            meta = {r.key: r.value for r in c.execute(select(store.META))}
            count = store.count_structures(c)
            local = c.execute(select(store.LOCAL.c.id)).all()
        return DatasetInfo(
            dataset_id=meta.get("dataset_id", ""),
            version=int(meta["version"]) if meta.get("version") else None,
            published=date.fromisoformat(meta["published"]) if meta.get("published") else None,
            last_sync=datetime.fromisoformat(meta["last_sync"]) if meta.get("last_sync") else None,
            expires=datetime.fromisoformat(meta["expires"]) if meta.get("expires") else None,
            is_demo=meta.get("demo") == "1",
            count=count,
            local_count=len(local),
            generation=int(meta.get("data_generation", "0")),
            visible=len(self.search_rows(SearchQuery())),
        )

    def meta(self, key: str, default: str = "") -> str:
        with db.read(self.engine) as c:
            return store.get_meta(c, key, default)

    def set_meta(self, values: Mapping[str, str]) -> None:
        with db.write(self.engine) as c:
            store.set_meta(c, values)

    # --- publisher data ---------------------------------------------------------------------------------
    def import_batch(
        self, batch: BatchLike, progress: Progress | None = None, *, mode: str = MODE_ADD
    ) -> ApplyOutcome:
        """Import a file's records at once (no preview): see preview_import and apply_changes.

        One pass: the counts are the apply's own (no dry run first). Local records (origin "local") go
        to the user's contacts instead.
        """
        records = () if hasattr(batch, "chunks") else batch.records  # a streamed batch: publisher records
        if any(s.origin == ORIGIN_LOCAL for s in records):
            n = self.user.save_locals(list(records))
            return ApplyOutcome(batch.source, mode, added=n)
        return self.apply_changes(self._import_changes(batch, mode), progress)

    def preview_import(self, batch: BatchLike, mode: str = MODE_ADD) -> ImportPreview:
        """What importing the batch in this mode would do, nothing written: the change set and its counts."""
        changes = self._import_changes(batch, mode)
        with collector_paused():  # a streamed file is read (its records built) by this dry run
            counts = self.preview_changes(changes)
        # after the counts: a streamed batch knows its rejects from the reading the dry run made
        total = getattr(batch, "total_rows", None)
        return ImportPreview(
            changes,
            counts,
            tuple(getattr(batch, "rejects", ())),
            int(total if total is not None else len(batch.records)),
            str(getattr(batch, "fmt", "")),
            counts.unmatched,
        )

    def _import_changes(self, batch: BatchLike, mode: str) -> ChangeSet:
        """The change set of a batch. A data·inclusion services file completes the structures already
        there: merged onto them as the change is previewed or applied, chunk by chunk (writes.apply)."""
        merge = None
        columns: tuple[str, ...] = ()
        if getattr(batch, "services_only", False):
            from .importers.datainclusion import SERVICES_COLUMNS, merge_services

            if mode != MODE_ADD:
                raise ChangeError(
                    "un fichier de services data·inclusion complète les structures déjà importées : "
                    "il ne peut pas remplacer l'annuaire"
                )
            merge, columns = merge_services, SERVICES_COLUMNS
        chunks = getattr(batch, "chunks", None)
        if chunks is not None:  # a streamed file (importers.streamed): its records built as written
            return import_changes(batch.source, (), mode, dataset_id=self.meta("dataset_id"), merge=merge,
                                  merge_columns=columns, stream=chunks,
                                  stream_size=int(getattr(batch, "size_hint", 0)))
        return import_changes(batch.source, tuple(batch.records), mode, dataset_id=self.meta("dataset_id"),
                              merge=merge, merge_columns=columns)

    def preview_changes(self, changes: ChangeSet) -> ApplyOutcome:
        """The counts applying `changes` would give now (a dry run in a read transaction)."""
        with db.read(self.engine) as c:
            return writes.apply(c, (changes,), NullProgress(), dry_run=True).outcome

    def apply_changes(
        self, changes: ChangeSet | Sequence[ChangeSet], progress: Progress | None = None
    ) -> ApplyOutcome:
        """THE write path of publisher data (imports and syncs): one BEGIN IMMEDIATE transaction, then
        the search index. Several change sets (a chain of deltas) are applied in order, all or nothing."""
        steps = (changes,) if isinstance(changes, ChangeSet) else tuple(changes)
        progress = progress or NullProgress()
        with collector_paused():  # bulk work: see gcpause.py
            try:
                with db.write(self.engine) as c:
                    done = writes.apply(c, steps, progress)
            except OperationalError as exc:
                if "full" not in str(exc.orig):
                    raise
                raise DiskFullError(
                    "espace disque insuffisant : rien n'a été modifié, les données précédentes sont intactes"
                ) from exc
            progress.set_status("Mise à jour de la recherche…")
            if done.fields is not None:  # a big change of facets only: spliced into the base
                self._swap_publisher(indexes.spliced_publisher(
                    self.engine, self._publisher, done.fields, done.before, done.outcome.generation))
            elif done.index is not None:  # a big change: the base was built as its rows were written
                generation = done.outcome.generation
                self._swap_publisher(indexes.built_publisher(self.engine, done.index, generation))
            else:
                self._index_after_change(done.written, done.removed_ids)
        return done.outcome

    def undo_last_import(self, progress: Progress | None = None) -> UndoOutcome:
        """The publisher data exactly as before the last import; user data stays (moved back if needed)."""
        with db.write(self.engine) as c:
            done = undo.undo(c)
        (progress or NullProgress()).set_status("Mise à jour de la recherche…")
        if done.index is not None:  # a big import undone: the base was built as its rows were put back
            self._swap_publisher(indexes.built_publisher(self.engine, done.index, done.generation))
        else:
            self._index_after_change(done.restored, done.removed)
        return done.outcome

    def last_import(self) -> undo.LastImport | None:
        """The import that `undo_last_import` would undo, if any."""
        with db.read(self.engine) as c:
            return undo.last_import(c)

    def trusted_version(self, dataset_id: str) -> int | None:
        """The highest feed version ever installed for this dataset (rollback protection)."""
        with db.read(self.engine) as c:
            return writes.trusted_version(c, dataset_id)

    # --- sync history and health ------------------------------------------------------------------------
    def record_sync(self, entry: synclog.HistoryEntry) -> None:
        synclog.append(self.engine, entry)

    def sync_history(self, limit: int = 500) -> list[synclog.HistoryEntry]:
        return synclog.entries(self.engine, limit)

    def last_sync_success(self) -> datetime | None:
        return synclog.last_success(self.engine)

    def integrity_ok(self) -> bool:
        return db.integrity_ok(self.path)

    # --- search index -----------------------------------------------------------------------------------
    def _index_after_change(self, upserted: Sequence[Structure], removed_ids: Sequence[str]) -> None:
        """Publisher rows written or flagged (`upserted`) or deleted (`removed_ids`): the delta segment was
        written in the data's transaction (writes.apply, undo.undo); load it, or rebuild when left stale."""
        self.reload_index(known=upserted)

    def refresh(self, known: Sequence[Structure] = ()) -> None:
        """Rebuild the publisher index from the data as it is and persist it, then swap it in.

        `known`: publisher records just written, so that they need not be read back.
        """
        self._swap_publisher(indexes.rebuild_publisher(self.engine, known))

    def reload_index(self, known: Sequence[Structure] = ()) -> None:
        """Publisher data changed (import, sync apply): load the index written with it (cheap: the base
        stays, the small delta segment is read), or rebuild it when it was left stale."""
        self._swap_publisher(indexes.load_publisher(self.engine, self._publisher, known))

    @property
    def storage_problem(self) -> IndexNotStoredError | None:
        """Set when the search index could not be stored (disk full): searching works, from memory."""
        return indexes.storage_problem(self._publisher)

    def _swap_publisher(self, publisher: indexes.PublisherIndex) -> None:
        with self._lock:
            self._publisher = publisher
            self._indexes = (*publisher.segments, self._indexes[-1])

    def _reload_local_index(self) -> None:
        local = indexes.build(indexes.local_records(self.engine))
        with self._lock:
            self._indexes = (*self._indexes[:-1], local)


def _seed_if_empty(engine: Engine) -> None:
    from .demo import load_demo, load_reference

    with db.read(engine) as c:  # opening never takes the write lock when there is nothing to write
        if store.get_meta(c, "seeded") == "1":
            return
    with db.write(engine) as c:
        if store.get_meta(c, "seeded") == "1":
            return
        records = tuple(load_reference() + load_demo(date.today()))
        seed = ChangeSet(records, source="demo", meta={"seeded": "1", "demo": "1", "dataset_id": "demo"})
        writes.apply(c, (seed,), NullProgress())


__all__ = ["ORIGIN_DEMO", "ORIGIN_PUBLISHER", "ApplyOutcome", "DatasetInfo", "Directory"]
