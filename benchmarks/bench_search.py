"""Search benchmark: build, persist, cold load, as-you-type queries with facets, against SQLite baselines."""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from benchmarks.synth import synthetic_structures, territory_names
from pare_desktop.core.records import SearchQuery, Structure
from pare_desktop.core.search.engine import SearchIndex, search

TEXTS = {
    "1 letter": ["a", "e", "m", "s", "r", "j"],
    "2 letters": ["ac", "ec", "ma", "so", "re", "je"],
    "3 letters": ["acc", "eco", "mai", "sou", "reu", "jeu"],
    "word": ["accueil", "ecoute", "maison", "soutien", "reunion", "jeunes"],
    "two words": ["maison ado", "ecoute jeu", "aide vict", "point ecoute", "centre acc", "soutien par"],
}
FILTERS: dict[str, dict[str, object]] = {
    "none": {},
    "overseas": {"territories": ("974", "976")},
    "type": {"types": ("urgence", "sante-ado-psy")},
    "support": {"supports": ("soutien-psychologique",)},
    "open now": {"open_now": True},
    "near 30 km": {"near": (48.86, 2.35), "radius_km": 30.0, "sort": "distance"},
}


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def sqlite_file(records: list[Structure], folder: Path) -> sqlite3.Connection:
    db = sqlite3.connect(folder / "bench.sqlite")
    db.execute("CREATE TABLE s (id INTEGER PRIMARY KEY, name TEXT, description TEXT)")
    rows = ((i, r.name, r.description) for i, r in enumerate(records))
    db.executemany("INSERT INTO s VALUES (?, ?, ?)", rows)
    db.execute("CREATE VIRTUAL TABLE f USING fts5(name, description, content='s', content_rowid='id', "
               "tokenize='unicode61 remove_diacritics 2')")
    db.execute("INSERT INTO f(f) VALUES ('rebuild')")
    db.commit()
    return db


def baselines(db: sqlite3.Connection) -> dict[str, list[float]]:
    words = TEXTS["word"] + ["enfance", "victimes"]
    prefixes = TEXTS["2 letters"] + TEXTS["3 letters"]
    out: dict[str, list[float]] = {k: [] for k in ("LIKE %q% + count", "FTS5 bm25 + count",
                                                   "FTS5 q* bm25 + count")}

    def like(q: str) -> None:
        pat = f"%{q}%"
        db.execute("SELECT id FROM s WHERE name LIKE ? OR description LIKE ? ORDER BY name LIMIT 50",
                   (pat, pat)).fetchall()
        db.execute("SELECT count(*) FROM s WHERE name LIKE ? OR description LIKE ?", (pat, pat)).fetchone()

    def fts(q: str) -> None:
        sql = "SELECT rowid FROM f WHERE f MATCH ? ORDER BY bm25(f, 10.0, 1.0) LIMIT 50"
        db.execute(sql, (q,)).fetchall()
        db.execute("SELECT count(*) FROM f WHERE f MATCH ?", (q,)).fetchone()

    for q in words[:4]:
        out["LIKE %q% + count"].append(timed(partial(like, q)))
    for q in words:
        out["FTS5 bm25 + count"].append(timed(partial(fts, q)))
    for q in prefixes:
        out["FTS5 q* bm25 + count"].append(timed(partial(fts, q + "*")))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--no-sqlite", action="store_true", help="skip the SQLite baselines")
    args = parser.parse_args()
    t0 = time.perf_counter()
    records = synthetic_structures(args.n)
    print(f"synthetic {args.n} records: {time.perf_counter() - t0:.2f} s")
    t0 = time.perf_counter()
    built = SearchIndex.build(records, territory_names())
    print(f"build: {time.perf_counter() - t0:.2f} s")
    t0 = time.perf_counter()
    data = built.to_bytes()
    print(f"to_bytes: {(time.perf_counter() - t0) * 1000:.0f} ms, {len(data) / 1e6:.1f} MB")
    loads = [timed(lambda: SearchIndex.from_bytes(data)) for _ in range(3)]
    print(f"from_bytes (cold load): min {min(loads):.1f} ms, max {max(loads):.1f} ms")
    index = SearchIndex.from_bytes(data)
    index.open_rows()  # first open-now evaluation of the minute (also timed below)
    per_class: dict[str, list[float]] = {}
    for cls, texts in TEXTS.items():
        for fname, kw in FILTERS.items():
            for text in texts:
                q = replace(SearchQuery(text=text, limit=50), **kw)  # type: ignore[arg-type]
                start = time.perf_counter()
                index.search_indices(q)
                per_class.setdefault(cls, []).append((time.perf_counter() - start) * 1000)
                per_class.setdefault(f"filter: {fname}", []).append(per_class[cls][-1])
    every = [t for cls in TEXTS for t in per_class[cls]]
    print("\nas-you-type query + all facet counts (search_indices, limit 50), ms:")
    print(f"{'class':<22}{'n':>5}{'p50':>8}{'p95':>8}{'max':>8}")
    for name, values in [*per_class.items(), ("OVERALL", every)]:
        print(f"{name:<22}{len(values):>5}{pct(values, 50):>8.2f}{pct(values, 95):>8.2f}{max(values):>8.2f}")
    full = SearchQuery()
    print(f"\nempty query, all rows: search_indices {timed(lambda: index.search_indices(full)):.1f} ms; "
          f"search() with a tuple of {len(index)} ids {timed(lambda: search(index, full)):.1f} ms")
    later = datetime.now(UTC) + timedelta(minutes=5)
    print(f"open-now evaluation for a new minute: {timed(lambda: index.open_rows(later)):.1f} ms")
    if args.no_sqlite:
        return
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        db = sqlite_file(records, Path(tmp))
        print(f"\nSQLite file with FTS5: {time.perf_counter() - t0:.1f} s")
        base = baselines(db)
        db.close()
    ours = pct(every, 95)
    print(f"{'baseline (text only)':<26}{'n':>4}{'p50':>9}{'p95':>9}{'p95 / ours':>12}")
    for name, values in base.items():
        p95 = pct(values, 95)
        print(f"{name:<26}{len(values):>4}{pct(values, 50):>9.1f}{p95:>9.1f}{p95 / ours:>11.0f}x")
    print(f"{'ours (with filters+facets)':<26}{len(every):>4}{pct(every, 50):>9.2f}{ours:>9.2f}{1:>11.0f}x")


if __name__ == "__main__":
    main()
