"""CPU of the first pass over data·inclusion files (scan_datainclusion) and of the second pass's reading
(the structures' lines read again, nothing built), this checkout against another commit.

    python -m benchmarks.bench_scan [--n 100000] [--runs 3] [--base main] [--dir DIR] [--files F ...]

Files (made in DIR unless there): bench_import's one file (structures and services interleaved), its
structures alone, its services alone, and di_varied's file (v0 names, refused items; n/5 structures); or
the --files given. Each run times both checkouts, one fresh subprocess each, the collector off as the
real import runs, and prints CPU seconds (time.process_time) as medians; the base's code is
`git archive BASE pare_desktop` in a temporary folder. Every Scan must be the same in both (rejects with
locations and raw values, structures, services' offers, source, total rows, services_only), and so must
what the second pass reads: a digest of each is compared, a difference stops the benchmark. The floor is
printed too: every line of the file read once by json_lines, nothing else (the scan reads each line
once, the second pass each structure's line again).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_CHILD = """
import gc, hashlib, json, sys, time
from pathlib import Path
from pare_desktop.core.importers.datainclusion import scan_datainclusion
from pare_desktop.core.importers.jsonio import json_lines
out = {}
for name in sys.argv[1:]:
    path = Path(name)
    gc.disable()
    c0 = time.process_time()
    scan = scan_datainclusion(path, source=None, origin="bench")
    c1 = time.process_time()
    for _ in scan.file.items(scan.structures):  # the second pass's reading, nothing built
        pass
    c2 = time.process_time()
    for _ in json_lines(path):  # the floor: every line read once, nothing else
        pass
    c3 = time.process_time()
    gc.enable()
    read = hashlib.sha256()  # what that reading gives, read once more (not timed)
    for pair in scan.file.items(scan.structures):
        read.update(repr(pair).encode())
    content = repr((scan.source, scan.origin, scan.rejects, scan.structures, scan.services, scan.total_rows,
                    scan.services_only, read.hexdigest()))
    out[path.name] = {"cpu": c1 - c0, "second": c2 - c1, "parse": c3 - c2,
                      "digest": hashlib.sha256(content.encode()).hexdigest()[:16],
                      "rejects": len(scan.rejects), "structures": len(scan.structures),
                      "services": sum(len(g) for g in scan.services.values())}
print(json.dumps(out))
"""


def _files(folder: Path, n: int) -> list[Path]:
    from benchmarks.bench_import import split_datainclusion, write_datainclusion
    from benchmarks.di_varied import write_varied

    folder.mkdir(parents=True, exist_ok=True)
    one, structures, services, varied = (folder / f for f in ("di.jsonl", "s.jsonl", "v.jsonl",
                                                              "varied.jsonl"))
    if not one.exists():
        write_datainclusion(one, n)
    if not services.exists():
        split_datainclusion(one, structures, services)
    if not varied.exists():
        write_varied(varied, max(n // 5, 1))
    return [one, structures, services, varied]


def _run(root: Path, files: list[Path]) -> dict[str, dict[str, float | str]]:
    out = subprocess.run([sys.executable, "-c", _CHILD, *map(str, files)], capture_output=True, text=True,
                         check=True, cwd=root, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"})
    result: dict[str, dict[str, float | str]] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--base", default="main")
    ap.add_argument("--dir", type=Path, default=None)
    ap.add_argument("--files", type=Path, nargs="+", default=None, help="these files instead")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = args.files or _files(args.dir or Path(tmp) / "files", args.n)
        base = Path(tmp) / "base"
        base.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.base, "pare_desktop"],
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(base)], input=archive, check=True)
        runs: dict[str, list[dict[str, dict[str, float | str]]]] = {"base": [], "this": []}
        for run in range(args.runs):
            for label, root in (("base", base), ("this", ROOT)):
                runs[label].append(_run(root, files))
            print(f"  run {run + 1}: " + ", ".join(
                f"{label} " + " ".join(f"{f}={r[f]['cpu']:.2f}+{r[f]['second']:.2f}s" for f in r)
                for label, r in ((k, v[-1]) for k, v in runs.items())), flush=True)
    for f in (p.name for p in files):
        digests = {r[f]["digest"] for rs in runs.values() for r in rs}
        if len(digests) != 1:
            sys.exit(f"{f}: the scans differ between {args.base} and this checkout")
        scan, second, parse = ({label: statistics.median(float(r[f][part]) for r in rs)
                                for label, rs in runs.items()} for part in ("cpu", "second", "parse"))
        before, after = scan["base"] + second["base"], scan["this"] + second["this"]
        first = runs["this"][0][f]
        print(f"{f}: scan CPU {scan['base']:.2f} s ({args.base}) -> {scan['this']:.2f} s (this), "
              f"x{scan['base'] / scan['this']:.2f}; the second pass's reading {second['base']:.2f} -> "
              f"{second['this']:.2f} s; both {before:.2f} -> {after:.2f} s, x{before / after:.2f}; "
              f"medians of {args.runs}; same Scan and reading ({first['structures']} structures, "
              f"{first['services']} services, {first['rejects']} rejects); every line read once, nothing "
              f"else: {parse['base']:.2f} -> {parse['this']:.2f} s")


if __name__ == "__main__":
    main()
