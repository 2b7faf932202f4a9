"""Cold open of an N-structure database to the first search result, and the database size.

    python benchmarks/bench_open.py [--n 100000] [--runs 5]

The database is made once (synthetic records imported through Directory.import_batch, which builds and
persists the search index). Each measured run is a fresh interpreter: the time counts Directory.open
(schema check, index load) and a first as-you-type search with facet counts; module imports are
reported apart. The OS page cache is warm after the first run (we cannot drop it without root tools).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


@dataclass(frozen=True)
class _Batch:
    source: str
    records: tuple[object, ...]


def _child(db_path: Path) -> None:
    t0 = time.perf_counter()
    from pare_desktop.core.directory import Directory
    from pare_desktop.core.records import SearchQuery

    t1 = time.perf_counter()
    directory = Directory.open(db_path, seed_demo=False)
    t2 = time.perf_counter()
    result = directory.search(SearchQuery(text="mai", limit=50))
    first = directory.get_many(result.ids[:50])
    t3 = time.perf_counter()
    assert result.total > 0 and first
    print(
        json.dumps({"imports_s": t1 - t0, "open_s": t2 - t1, "first_result_s": t3 - t2, "total_s": t3 - t1})
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        _child(Path(args.child))
        return
    from benchmarks.synth import synthetic_structures
    from pare_desktop.core.directory import Directory

    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "pare.sqlite"
        records = synthetic_structures(args.n)
        t0 = time.perf_counter()
        with Directory.open(db_path, seed_demo=False) as d:
            d.import_batch(_Batch("bench", tuple(records)))  # type: ignore[arg-type]
        build_s = time.perf_counter() - t0
        size_mb = sum(p.stat().st_size for p in Path(tmp).glob("pare.sqlite*")) / 1e6
        print(f"{args.n} structures imported + index built in {build_s:.1f} s; database {size_mb:.1f} MB")
        runs = []
        for _ in range(args.runs):
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(db_path)],
                capture_output=True,
                text=True,
                check=True,
            )
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        print(
            f"cold open to first result (median of {args.runs}): {med['total_s'] * 1000:.0f} ms "
            f"(open {med['open_s'] * 1000:.0f} ms + first search {med['first_result_s'] * 1000:.0f} ms; "
            f"target ≤ 1000 ms); module imports {med['imports_s'] * 1000:.0f} ms"
        )
        from benchmarks import report

        report.add(f"cold open to first result, {args.n // 1000}k", med["total_s"], "s", 1.0,
                   f"module imports {med['imports_s']:.2f} s")


if __name__ == "__main__":
    main()
