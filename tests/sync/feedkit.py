"""Test helpers: synthetic records, source files, feeds built with pare-publish, local publisher state."""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from pare_desktop.core import db, store
from pare_desktop.core.records import (
    ORIGIN_PUBLISHER,
    Area,
    Phone,
    Structure,
    canonical_json,
    structure_to_dict,
)

TYPES = ("urgence", "justice", "sante-hopital", "association-specialisee")


def record(i: int, *, version: int = 0, pro: bool = False, hidden_address: bool = False) -> Structure:
    """One deterministic publisher record; `version` changes its content."""
    sid = f"{i:06d}"
    return Structure(
        id=f"paris:{sid}",
        source="paris",
        source_id=sid,
        name=f'Structure {i} <b>"v{version}"</b> ${{x}}',
        type=TYPES[i % len(TYPES)],
        description=f"Description {i} v{version}",
        address=f"{i} rue de la Paix",
        postal_code="97600",
        commune="Mamoudzou",
        commune_code="97611",
        departement="976",
        region="06",
        latitude=-12.78 + i * 1e-5,
        longitude=45.22,
        timezone="Indian/Mayotte",
        phones=(
            Phone("+262269610000", "02 69 61 00 00"),
            Phone("+262269610001", "02 69 61 00 01", "direct", confidential=True),
        ),
        emails=(f"s{i}@example.org",),
        supports=("ecoute",),
        publics=("mineurs-victimes",),
        area=Area(departements=("976",)),
        visibility="pro" if pro else "public",
        address_visibility="pro" if hidden_address else "public",
        updated=date(2025, 1, 1 + i % 28),
    )


def records(n: int, *, version: int = 0, start: int = 0) -> list[Structure]:
    return [
        record(i, version=version, pro=i % 17 == 5, hidden_address=i % 13 == 3)
        for i in range(start, start + n)
    ]


def mutate(
    recs: Sequence[Structure], rng: random.Random, version: int, n_change: int, n_add: int, n_remove: int
) -> list[Structure]:
    """A new publisher dataset: some records changed, some added, some removed."""
    out = list(recs)
    for _ in range(min(n_remove, len(out))):
        out.pop(rng.randrange(len(out)))
    for _ in range(min(n_change, len(out))):
        k = rng.randrange(len(out))
        out[k] = replace(out[k], description=f"changé v{version} {rng.random()}")
    top = max((int(s.source_id) for s in out), default=0) + 1
    out += [record(top + j, version=version) for j in range(n_add)]
    return out


def write_source(path: Path, recs: Sequence[Structure]) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for s in recs:
            f.write(json.dumps(structure_to_dict(s), ensure_ascii=False) + "\n")
    return path


def published(recs: Sequence[Structure], tier: str = "public") -> set[bytes]:
    """The dataset a tier publishes, as canonical JSON bytes (comparable with the local state)."""
    from pare_desktop.sync.publish import for_tier

    return {canonical_json(s) for s in for_tier(recs, tier)}


def local_publisher(engine: Engine) -> set[bytes]:
    """The live publisher records in a database, as canonical JSON bytes."""
    t = store.STRUCTURE
    with db.read(engine) as c:
        rows = c.execute(
            store.select_structures().where(t.c.origin == ORIGIN_PUBLISHER, t.c.withdrawn.is_(False))
        )
        return {canonical_json(store.from_row(r._mapping)) for r in rows}


def table_dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table (sorted), to prove a database did not change at all."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {
            n: sorted(conn.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr)
            for n in names
            if n != "sync_history"
        }
    finally:
        conn.close()
