"""Per-record cost of reading a data·inclusion file: µs per structure, against json.loads of the same lines.

    python -m benchmarks.bench_records [--n 20000] [--runs 3] [--file varied|bench]

`varied`: benchmarks/di_varied.py (every common phone form, distinct numbers, hours, places, v0 names);
`bench`: bench_import's file (one phone number, eight hours strings). Each run is a fresh subprocess (no
cache carried over). Prints, as medians: read_file (wall and CPU time), the anchor json.loads of every
line, and the row encoding (store.to_values) and record hash of the records read, all in µs per structure.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _child(path: Path) -> None:
    from pare_desktop.core import store
    from pare_desktop.core.importers import read_file
    from pare_desktop.core.records import record_hash

    with path.open("rb") as f:
        lines = f.readlines()
    t0 = time.perf_counter()
    for line in lines:
        json.loads(line)
    loads_s = time.perf_counter() - t0
    del lines
    from pare_desktop.core.importers import datainclusion  # noqa: F401  (imports out of the timing)

    t0, c0 = time.perf_counter(), time.process_time()
    batch = read_file(path, "datainclusion")
    read_s, read_cpu_s = time.perf_counter() - t0, time.process_time() - c0
    t0 = time.perf_counter()
    for s in batch.records:
        store.to_values(s)
    values_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for s in batch.records:
        record_hash(s)
    hash_s = time.perf_counter() - t0
    print(json.dumps({"read_s": read_s, "read_cpu_s": read_cpu_s, "loads_s": loads_s, "values_s": values_s,
                      "hash_s": hash_s, "records": len(batch.records), "rejects": len(batch.rejects)}))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--file", choices=("varied", "bench"), default="varied")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        _child(Path(args.child))
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "di.jsonl"
        if args.file == "varied":
            from benchmarks.di_varied import write_varied

            write_varied(path, args.n)
        else:
            from benchmarks.bench_import import write_datainclusion

            write_datainclusion(path, args.n)
        results = []
        for run in range(args.runs):
            out = subprocess.run([sys.executable, __file__, "--child", str(path)], capture_output=True,
                                 text=True, check=True)
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
            print(f"  run {run + 1}: {results[-1]}")
    keys = ("read_s", "read_cpu_s", "loads_s", "values_s", "hash_s")
    med = {k: statistics.median(r[k] for r in results) for k in keys}
    n = args.n
    first = results[0]
    print(f"{args.file} file, {n} structures ({first['records']} read, {first['rejects']} rejected), "
          f"median of {args.runs}, µs per structure: read_file {med['read_s'] / n * 1e6:.1f} "
          f"(CPU {med['read_cpu_s'] / n * 1e6:.1f}) "
          f"(anchor json.loads of the lines {med['loads_s'] / n * 1e6:.1f}); row encoding "
          f"{med['values_s'] / n * 1e6:.1f}; record hash {med['hash_s'] / n * 1e6:.1f}")


if __name__ == "__main__":
    main()
