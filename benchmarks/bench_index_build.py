"""CPU of building the publisher search index (PublisherBuild.add chunk by chunk, then IndexBuilder.arrays),
this checkout against another revision's code, in the same process, and the arrays compared to the byte.

    python -m benchmarks.bench_index_build [--n 100000] [--runs 3] [--records synth|di] [--old main]
        [--cache DIR] [--memory]

`synth`: benchmarks/synth.py's structures; `di`: the structures an import of bench_import's data·inclusion
file reads. The old code (core/text.py, core/search/build.py, core/search/token_codes.py when it has one, and
PublisherBuild of core/search/indexes.py at revision --old) is loaded from git under other module names.
Collector off, as the import runs. Prints CPU seconds (time.process_time), medians of --runs, old then new
alternating.
"""

from __future__ import annotations

import argparse
import gc
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import types
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _module(name: str, source: str, package: str) -> types.ModuleType:
    mod = types.ModuleType(name)
    mod.__package__ = package
    sys.modules[name] = mod
    exec(compile(source, f"<{name}>", "exec"), mod.__dict__)  # our own code, from git
    return mod


def old_publisher_build(rev: str) -> type:
    """PublisherBuild of revision `rev`, over that revision's text folding and index builder."""

    def show(path: str) -> str:
        return subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:{path}"], capture_output=True,
                              text=True, check=True).stdout

    _module("old_text", show("pare_desktop/core/text.py"), "")
    build = show("pare_desktop/core/search/build.py").replace("from pare_desktop.core.text import",
                                                              "from old_text import")
    if "from .token_codes import" in build:  # the token coding of that revision too
        _module("old_token_codes", show("pare_desktop/core/search/token_codes.py"), "")
        build = build.replace("from .token_codes import", "from old_token_codes import")
    _module("old_build", build, "")
    indexes = show("pare_desktop/core/search/indexes.py").replace("from .build import",
                                                                  "from old_build import")
    return _module("old_indexes", indexes, "pare_desktop.core.search").PublisherBuild  # type: ignore[no-any-return]


def records_of(kind: str, n: int, cache: Path | None = None) -> list[Any]:
    """The records to index; kept pickled in `cache` (a folder) when given, for the next runs."""
    if cache is not None:
        path = cache / f"records-{kind}-{n}.pickle"
        if not path.is_file():
            path.write_bytes(pickle.dumps(records_of(kind, n), protocol=pickle.HIGHEST_PROTOCOL))
        return pickle.loads(path.read_bytes())  # type: ignore[no-any-return]
    if kind == "synth":
        from benchmarks.synth import synthetic_structures

        return synthetic_structures(n)
    from benchmarks.bench_import import write_datainclusion
    from pare_desktop.core.importers import read_file

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "di.jsonl"
        write_datainclusion(path, n)
        return list(read_file(path, "datainclusion").records)


def build_once(cls: Callable[[], Any], records: Sequence[Any], chunk: int) -> tuple[float, float, dict]:
    """(CPU of the adds, CPU of arrays(), the arrays)."""
    gc.collect()
    gc.disable()
    try:
        build = cls()
        c0 = time.process_time()
        for i in range(0, len(records), chunk):
            build.add(records[i : i + chunk])
        c1 = time.process_time()
        arrays = build._builder.arrays()
        c2 = time.process_time()
    finally:
        gc.enable()
    return c1 - c0, c2 - c1, arrays


def memory_once(cls: Callable[[], Any], records: Sequence[Any], chunk: int) -> tuple[float, float]:
    """(MB the build holds after the adds, MB at its peak, arrays() included), by tracemalloc."""
    gc.collect()
    tracemalloc.start()
    try:
        build = cls()
        for i in range(0, len(records), chunk):
            build.add(records[i : i + chunk])
        held = tracemalloc.get_traced_memory()[0]
        build._builder.arrays()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return held / 2**20, peak / 2**20


def same_arrays(old: dict[str, np.ndarray], new: dict[str, np.ndarray]) -> list[str]:
    """The keys whose arrays differ (dtype, shape or bytes)."""
    keys = sorted(set(old) | set(new))
    return [k for k in keys if k not in old or k not in new or old[k].dtype != new[k].dtype
            or old[k].shape != new[k].shape or old[k].tobytes() != new[k].tobytes()]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--records", choices=("synth", "di"), default="synth")
    ap.add_argument("--old", default="main")
    ap.add_argument("--cache", type=Path, help="folder keeping the records between runs")
    ap.add_argument("--memory", action="store_true", help="then the memory of one build each (tracemalloc)")
    args = ap.parse_args()
    from pare_desktop.core.search.build import BUILD_CHUNK
    from pare_desktop.core.search.indexes import PublisherBuild, territory_names

    old_cls = old_publisher_build(args.old)
    territory_names()  # loaded once, out of the timings
    records = records_of(args.records, args.n, args.cache)
    times: dict[str, list[tuple[float, float]]] = {"old": [], "new": []}
    for run in range(args.runs):
        order = [("old", old_cls), ("new", PublisherBuild)]
        if run % 2:
            order.reverse()
        built = {}
        for name, cls in order:
            add_s, arrays_s, built[name] = build_once(cls, records, BUILD_CHUNK)
            times[name].append((add_s, arrays_s))
            print(f"  run {run + 1} {name}: add {add_s:.2f} s, arrays {arrays_s:.2f} s CPU", flush=True)
        differ = same_arrays(built["old"], built["new"])
        if differ:
            raise SystemExit(f"arrays differ from {args.old}'s: {differ}")
        del built
    med = {k: (statistics.median(a for a, _ in v), statistics.median(b for _, b in v))
           for k, v in times.items()}
    print(f"{args.records} records, {len(records)}, median of {args.runs}, CPU s: "
          f"old ({args.old}) add {med['old'][0]:.2f} + arrays {med['old'][1]:.2f} = {sum(med['old']):.2f}; "
          f"new add {med['new'][0]:.2f} + arrays {med['new'][1]:.2f} = {sum(med['new']):.2f} "
          f"(x{sum(med['old']) / max(sum(med['new']), 1e-9):.2f}); arrays identical")
    if args.memory:
        for name, cls in (("old", old_cls), ("new", PublisherBuild)):
            held, peak = memory_once(cls, records, BUILD_CHUNK)
            print(f"{name}: {held:.1f} MB held after the adds, peak {peak:.1f} MB (tracemalloc)")


if __name__ == "__main__":
    main()
