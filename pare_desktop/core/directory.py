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

from . import db, store
from .errors import DiskFullError
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


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    source: str
    added: int
    updated: int
    demo_retired: int
    withdrawn: int
    unmatched: int = 0  # services whose structure is not in the directory (services-only files)


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
        )

    def meta(self, key: str, default: str = "") -> str:
        with db.read(self.engine) as c:
            return store.get_meta(c, key, default)

    def set_meta(self, values: Mapping[str, str]) -> None:
        with db.write(self.engine) as c:
            store.set_meta(c, values)

    # --- publisher data ---------------------------------------------------------------------------------
    def import_batch(self, batch: BatchLike, progress: Progress | None = None) -> ImportOutcome:
        """Add or update the batch's records in one transaction; other sources are left alone.

        The first real import retires the demo records (those the user has data on stay, withdrawn).
        """
        progress = progress or NullProgress()
        records = list(batch.records)
        if any(s.origin == ORIGIN_LOCAL for s in records):
            n = self.user.save_locals(records)
            return ImportOutcome(batch.source, n, 0, 0, 0)
        progress.set_status("import")
        if getattr(batch, "services_only", False):
            return self._merge_services(batch.source, records)
        with db.write(self.engine) as c:
            retired, withdrawn = (0, 0)
            demo_ids: list[str] = []
            if store.get_meta(c, "demo") == "1":
                t = store.STRUCTURE
                demo_ids = list(c.execute(select(t.c.id).where(t.c.origin == ORIGIN_DEMO)).scalars())
                retired, withdrawn = store.retire_demo(c)
            added, updated = store.upsert_structures(c, records)
            indexes.write_index_delta(c, records, demo_ids)
            store.bump_generation(c)
            store.set_meta(c, {"last_import": datetime.now().replace(microsecond=0).isoformat()})
            if not store.get_meta(c, "dataset_id") or store.get_meta(c, "dataset_id") == "demo":
                store.set_meta(c, {"dataset_id": f"import:{batch.source}"})
        progress.set_status("index")
        self.reload_index(known=records)
        return ImportOutcome(batch.source, added, updated, retired, withdrawn)

    def _merge_services(self, source: str, enrichments: list[Structure]) -> ImportOutcome:
        """A services-only data·inclusion file completes structures imported before it."""
        from .importers.datainclusion import merge_services

        with db.write(self.engine) as c:
            ids = [e.id for e in enrichments]
            existing = {
                s.id: s
                for i in range(0, len(ids), db.MAX_PARAMS)
                for s in (
                    store.from_row(r._mapping)
                    for r in c.execute(
                        store.select_structures().where(store.STRUCTURE.c.id.in_(ids[i : i + db.MAX_PARAMS]))
                    )
                )
            }
            merged = [merge_services(existing[e.id], e) for e in enrichments if e.id in existing]
            store.upsert_structures(c, merged)
            indexes.write_index_delta(c, merged, ())
            store.bump_generation(c)
        self.reload_index(known=merged)
        return ImportOutcome(source, 0, len(merged), 0, 0, unmatched=len(enrichments) - len(merged))

    # --- search index -----------------------------------------------------------------------------------
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
    def storage_problem(self) -> DiskFullError | None:
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

    with db.write(engine) as c:
        if store.get_meta(c, "seeded") == "1":
            return
        records = load_reference() + load_demo(date.today())
        store.upsert_structures(c, records)
        store.set_meta(c, {"seeded": "1", "demo": "1", "dataset_id": "demo"})
        store.bump_generation(c)


__all__ = ["ORIGIN_DEMO", "ORIGIN_PUBLISHER", "DatasetInfo", "Directory", "ImportOutcome"]
