"""Per-record cost of reading a data·inclusion file: µs per structure, against json.loads of the same lines.

    python -m benchmarks.bench_records [--n 20000] [--runs 3] [--file varied|bench]
    python -m benchmarks.bench_records --chunks [--before REF] [--side-by-side] --file bench --n 100000
    python -m benchmarks.bench_records --chunks --before main --path /tmp/b/st.jsonl

`varied`: benchmarks/di_varied.py (every common phone form, distinct numbers, hours, places, v0 names);
`bench`: bench_import's file (one phone number, eight hours strings); --path: a file already written (read
only, never removed; --n then only divides the times, its structures counted when not given). Each run is a
fresh subprocess (no cache carried over). Prints, as medians: read_file (wall and CPU time), the anchor
json.loads of every line, and the row encoding (store.to_values) and record hash of the records read, all in
µs per structure.

--chunks: the second pass of a streamed import alone, as the import runs it (the file checked first, then
StreamedBatch.chunks timed in CPU with the collector paused, numpy already imported as the index has it):
CPU seconds and µs per structure. With --before REF (a git revision, main for instance), the code of REF
(pare_desktop extracted to a temporary folder) is measured in the same run, each of its runs next to one of
this checkout's (--side-by-side: at the same time, so that both meet the same load on a shared machine).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: the code measured: this checkout, or (--before) the extracted code of another revision
sys.path.insert(0, os.environ.get("PARE_BENCH_ROOT") or str(ROOT))


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


def _chunks_child(path: Path) -> None:
    import numpy  # noqa: F401  (loaded by the search index before a real import reads its records)

    from pare_desktop.core.gcpause import collector_paused
    from pare_desktop.core.importers.streamed import stream_datainclusion

    batch = stream_datainclusion(path, source=None, origin="import")  # the first pass, not timed
    with collector_paused():
        c0 = time.process_time()
        count = sum(len(chunk) for chunk in batch.chunks())
        cpu_s = time.process_time() - c0
    print(json.dumps({"chunks_cpu_s": cpu_s, "records": count, "rejects": len(batch.rejects),
                      "warnings": len(batch.warnings)}))


def _extract(ref: str, folder: Path) -> Path:
    """pare_desktop as it is at git revision `ref`, in `folder` (the resources are this checkout's)."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "pare_desktop"], capture_output=True,
                             check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    (folder / "resources").symlink_to(ROOT / "resources")
    return folder


def _chunks(path: Path, n: int, runs: int, before: str | None, side_by_side: bool) -> None:
    roots = {"this checkout": ROOT}
    with tempfile.TemporaryDirectory() as tmp:
        if before:
            roots = {f"before ({before})": _extract(before, Path(tmp)), **roots}
        found: dict[str, list[float]] = {label: [] for label in roots}

        def start(root: Path) -> subprocess.Popen[str]:
            return subprocess.Popen([sys.executable, __file__, "--chunks-child", str(path)],
                                    stdout=subprocess.PIPE, text=True,
                                    env={**os.environ, "PARE_BENCH_ROOT": str(root)})

        for run in range(runs):
            # side by side: all started at once; else one after the other
            started = {label: start(root) for label, root in roots.items()} if side_by_side else {}
            line = f"  run {run + 1}:"
            for label, root in roots.items():
                child = started.get(label) or start(root)
                out, _ = child.communicate()
                if child.returncode:
                    raise SystemExit(f"{label}: the child failed")
                result = json.loads(out.strip().splitlines()[-1])
                found[label].append(result["chunks_cpu_s"])
                line += (f" {label} {result['chunks_cpu_s']:.2f} s ({result['records']} records, "
                         f"{result['rejects']} rejects, {result['warnings']} warnings);")
            print(line)
    med = {label: statistics.median(times) for label, times in found.items()}
    print(f"StreamedBatch.chunks, {n} structures, CPU (median of {runs}"
          f"{', side by side' if side_by_side else ''}): "
          + "; ".join(f"{label} {s:.2f} s = {s / n * 1e6:.1f} µs a structure" for label, s in med.items()))
    if before:
        old, new = med[f"before ({before})"], med["this checkout"]
        print(f"  {old / new:.2f}× cheaper (runs: "
              + ", ".join(f"{a / b:.2f}×" for a, b in zip(*found.values(), strict=True)) + ")")


def _structures(path: Path) -> int:
    """The structures of a JSON lines file (its lines that are not services)."""
    with path.open("rb") as f:
        return sum(1 for line in f if line.strip() and b'"structure_id"' not in line)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--file", choices=("varied", "bench"), default="varied")
    ap.add_argument("--path", type=Path, help="an existing data·inclusion file instead of --file's")
    ap.add_argument("--chunks", action="store_true", help="time StreamedBatch.chunks alone (CPU)")
    ap.add_argument("--before", help="with --chunks: also the code of this git revision, in the same run")
    ap.add_argument("--side-by-side", action="store_true", help="with --before: both at the same time")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--chunks-child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        _child(Path(args.child))
        return
    if args.chunks_child:
        _chunks_child(Path(args.chunks_child))
        return
    if args.path:
        n = args.n if "--n" in sys.argv else _structures(args.path)
        if args.chunks:
            _chunks(args.path, n, args.runs, args.before, args.side_by_side)
            return
        raise SystemExit("--path goes with --chunks")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "di.jsonl"
        if args.file == "varied":
            from benchmarks.di_varied import write_varied

            write_varied(path, args.n)
        else:
            from benchmarks.bench_import import write_datainclusion

            write_datainclusion(path, args.n)
        if args.chunks:
            _chunks(path, args.n, args.runs, args.before, args.side_by_side)
            return
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
