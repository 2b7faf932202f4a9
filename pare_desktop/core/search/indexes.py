"""The directory's search indexes: the publisher one persisted in SQLite per data generation, and a
small one for the user's local structures, rebuilt in memory."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Sequence

from sqlalchemy import Engine, Table, delete, insert, select

from .. import db, store
from ..models import SearchIndexBlob
from ..records import ORIGIN_REFERENCE, Structure
from .engine import SearchIndex, TerritoryNames

log = logging.getLogger("pare.search")
BLOB: Table = SearchIndexBlob.__table__  # type: ignore[assignment]
PUBLISHER = "publisher"


@functools.cache
def territory_names() -> TerritoryNames:
    from ..territories import referential

    ref = referential()
    return TerritoryNames(
        departements={t.code: t.name for t in ref.departements()},
        regions={t.code: t.name for t in ref.regions()},
        region_of={t.code: t.region for t in ref.departements() if t.region},
    )


def supersede_reference(records: list[Structure]) -> list[Structure]:
    """Drop the app's reference national lines when real data lists the same numbers itself."""
    numbers = {p.number for s in records if s.origin != ORIGIN_REFERENCE for p in s.phones}
    return [s for s in records if s.origin != ORIGIN_REFERENCE or not {p.number for p in s.phones} <= numbers]


def publisher_records(engine: Engine) -> list[Structure]:
    with db.read(engine) as c:
        return supersede_reference(store.load_all(c))


def local_records(engine: Engine) -> list[Structure]:
    with db.read(engine) as c:
        return store.load_all(c, store.LOCAL)


def build(records: Sequence[Structure]) -> SearchIndex:
    return SearchIndex.build(records, territory_names())


def load_publisher_index(engine: Engine) -> SearchIndex:
    """The persisted index when it matches the data generation; else rebuild and persist it."""
    with db.read(engine) as c:
        generation = int(store.get_meta(c, "publisher_generation", "0"))
        row = c.execute(select(BLOB.c.generation, BLOB.c.data).where(BLOB.c.name == PUBLISHER)).first()
    if row is not None and row.generation == generation:
        try:
            return SearchIndex.from_bytes(row.data)
        except (ValueError, KeyError, OSError) as exc:  # older format or damaged: rebuild
            log.warning("persisted search index unusable (%s): rebuilding", exc)
    return rebuild_publisher_index(engine)


def rebuild_publisher_index(engine: Engine, known: Sequence[Structure] = ()) -> SearchIndex:
    """Build the index of the publisher data as it is now and persist it with its generation.

    `known`: records the caller just wrote (an import): only the others are read back from the file.
    """
    t0 = time.perf_counter()
    with db.read(engine) as c:
        generation = int(store.get_meta(c, "publisher_generation", "0"))
        if known:
            known_ids = {s.id for s in known}
            all_ids = c.exec_driver_sql("SELECT id FROM structure").scalars().all()
            others = [i for i in all_ids if i not in known_ids]
            records = supersede_reference([*known, *store.load_some(c, others)])
            del known_ids, all_ids
        else:
            records = supersede_reference(store.load_all(c))
    index = build(records)
    data = index.to_bytes()
    with db.write(engine) as c:
        # Another writer may have changed the data meanwhile: only store what matches the generation.
        if int(store.get_meta(c, "publisher_generation", "0")) == generation:
            c.execute(delete(BLOB).where(BLOB.c.name == PUBLISHER))
            c.execute(insert(BLOB).values(name=PUBLISHER, generation=generation, data=data))
    log.info(
        "search index: %d records built in %.1f s (%.1f MB)",
        len(records),
        time.perf_counter() - t0,
        len(data) / 1e6,
    )
    return index
