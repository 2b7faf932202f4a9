"""Search benchmark: build, persist, cold load, as-you-type queries with facets, against SQLite baselines."""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import numpy as np

from benchmarks import report
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
FORGIVING = {  # issue 10.3: the same workload with typos (as typed, then whole) and the field's acronyms
    "typo, typing": ["ecuo", "mayot", "guyann", "psycolo", "adolecen", "acceuil"],
    "typo, word": ["mayote", "guyanne", "ecuote", "psycologue", "maison adolecents", "soutein"],
    "acronym": ["ase", "mda", "crip", "psy", "ado", "cmpp"],
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
    parser.add_argument("--runs", type=int, default=3, help="each query's time is the median of this many")
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
    first = timed(lambda: index.search_indices(SearchQuery(text="a", limit=50)))
    first_typo = timed(lambda: index.search_indices(SearchQuery(text="mayote", limit=50)))
    print(f"first query after loading (lazy bitsets): {first:.1f} ms; first typo (prefix sets): "
          f"{first_typo:.1f} ms")
    per_class: dict[str, list[float]] = {}
    bare: list[float] = []
    for cls, texts in {**TEXTS, **FORGIVING}.items():
        for fname, kw in FILTERS.items():
            for text in texts:
                q = replace(SearchQuery(text=text, limit=50), **kw)  # type: ignore[arg-type]
                took = statistics.median(timed(partial(index.search_indices, q)) for _ in range(args.runs))
                per_class.setdefault(cls, []).append(took)
                if cls in TEXTS:
                    per_class.setdefault(f"filter: {fname}", []).append(per_class[cls][-1])
            # anchor: a bare in-memory inverted index (prefix postings, AND, no filters, facets or ranking)
            words = text.split()
            bare_once = partial(lambda w: np.flatnonzero(index._text(w, ())[0]), words)
            bare.append(statistics.median(timed(bare_once) for _ in range(args.runs)))
    every = [t for cls in TEXTS for t in per_class[cls]]
    forgiving = [t for cls in FORGIVING for t in per_class[cls]]
    print("\nas-you-type query + all facet counts (search_indices, limit 50), ms:")
    print(f"{'class':<22}{'n':>5}{'p50':>8}{'p95':>8}{'max':>8}")
    rows = [*per_class.items(), ("OVERALL exact", every), ("OVERALL forgiving", forgiving),
            ("bare index", bare)]
    for name, values in rows:
        print(f"{name:<22}{len(values):>5}{pct(values, 50):>8.2f}{pct(values, 95):>8.2f}{max(values):>8.2f}")
    anchor = f"bare index p95 {pct(bare, 95):.2f} ms"
    full = SearchQuery()
    print(f"\nempty query, all rows: search_indices {timed(lambda: index.search_indices(full)):.1f} ms; "
          f"search() with a tuple of {len(index)} ids {timed(lambda: search(index, full)):.1f} ms")
    later = datetime.now(UTC) + timedelta(minutes=5)
    print(f"open-now evaluation for a new minute: {timed(lambda: index.open_rows(later)):.1f} ms")
    if args.no_sqlite:
        _report(every, forgiving, anchor)
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
    fts = pct(base["FTS5 q* bm25 + count"], 95)
    _report(every, forgiving, f"{anchor}, FTS5 prefix p95 {fts:.1f} ms (text only)")


def _report(every: list[float], forgiving: list[float], anchor: str) -> None:
    report.add("search: as-you-type + 7 facets, p50", pct(every, 50), "ms", 1.5, anchor)
    report.add("search: as-you-type + 7 facets, p95", pct(every, 95), "ms", 5.0, anchor)
    report.add("search: typos and acronyms + facets, p95", pct(forgiving, 95), "ms", 10.0,
               f"exact p95 {pct(every, 95):.2f} ms (same run)")


if __name__ == "__main__":
    main()
