"""Sync benchmark: 100,000 structures, full first sync and a 1 % delta from a loopback server (medians).

Run: python -m benchmarks.bench_sync [--n 100000] [--runs 3]
Targets (issue 5): first sync <= 30 s and peak RSS <= 500 MB; delta <= 5 % of the snapshot, applied <= 2 s.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from datetime import date
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import report  # noqa: E402
from pare_desktop.core.records import Area, Phone, Structure, structure_to_dict  # noqa: E402


def synthetic(n: int) -> list[Structure]:
    """benchmarks/synth.py (branch search) when present, else a local deterministic generator."""
    try:
        from benchmarks.synth import synthetic_structures  # type: ignore[import-not-found]

        return list(synthetic_structures(n))
    except ImportError:
        pass
    rng = random.Random(42)
    deps = ["75", "13", "69", "971", "972", "973", "974", "976", "987", "988", "2A"]
    out = []
    for i in range(n):
        dep = deps[i % len(deps)]
        out.append(
            Structure(
                id=f"bench:{i:07d}",
                source="bench",
                source_id=f"{i:07d}",
                name=f"Structure {i} {rng.random():.6f}",
                type="association-specialisee",
                description="Accueil et écoute des jeunes, orientation. " * 3,
                address=f"{i} rue de la République",
                postal_code="75001",
                commune="Commune",
                departement=dep,
                latitude=43 + rng.random(),
                longitude=2 + rng.random(),
                phones=(Phone("+33199000000", "01 99 00 00 00"),),
                emails=(f"s{i}@example.org",),
                supports=("ecoute", "orientation"),
                publics=("mineurs-victimes",),
                area=Area(departements=(dep,)),
                updated=date(2025, 1 + i % 12, 1 + i % 28),
            )
        )
    return out


def write_source(path: Path, recs: list[Structure]) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for s in recs:
            f.write(json.dumps(structure_to_dict(s), ensure_ascii=False) + "\n")
    return path


CHILD = """
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from pare_desktop.core.directory import Directory
from pare_desktop.sync import apply
from pare_desktop.sync.client import SyncClient
from pare_desktop.sync.settings import SyncSettings
db, url, key = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
def peak_mb():
    # VmHWM is this process's own peak; ru_maxrss keeps the forking parent's peak across exec on Linux
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
t_apply = []
real = apply.apply_plan
def timed(*a, **k):
    t = time.perf_counter(); r = real(*a, **k)
    t_apply.append(time.perf_counter() - t - mark.get("refresh", 0.0)); return r  # the index apart
import pare_desktop.sync.client as c; c.apply_plan = timed
d = Directory.open(db)
mark = {{}}
real_reload = d.reload_index
def reload_index(*a, **k):  # called inside Directory.apply_changes, after COMMIT
    mark["rss_before_refresh"] = peak_mb()
    mark["sync"] = time.perf_counter() - t0
    t = time.perf_counter(); real_reload(*a, **k); mark["refresh"] = time.perf_counter() - t
d.reload_index = reload_index
from pare_desktop.core.search import indexes
real_built = indexes.built_publisher
def built_publisher(*a, **k):  # a first sync (100k new records): its base index built as written
    mark["rss_before_refresh"] = peak_mb()
    mark["sync"] = time.perf_counter() - t0
    t = time.perf_counter(); r = real_built(*a, **k); mark["refresh"] = time.perf_counter() - t
    return r
indexes.built_publisher = built_publisher
from pare_desktop.core.records import SearchQuery
t0 = time.perf_counter()
out = SyncClient(d, SyncSettings(feed_url=url, cache_dir=db.parent / "cache", key_paths=(key,))).run()
d.search(SearchQuery(text="modifie", limit=50))  # the first search on the new data
total = time.perf_counter() - t0
if len(sys.argv) > 4:  # the anchor: a full rebuild of the same index, in the same process
    t = time.perf_counter(); d.refresh(); mark["full_rebuild"] = time.perf_counter() - t
print(json.dumps({{"status": out.status, "path": out.path, "message": out.message, "total": total,
                  "apply": t_apply[0] if t_apply else None, "bytes": out.bytes_downloaded,
                  "maxrss_mb": peak_mb(), **mark}}))
"""


def child(db: Path, url: str, key: Path, anchor: bool = False) -> dict[str, object]:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD.format(root=str(ROOT)), str(db), url, str(key), *(["anchor"] * anchor)],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["status"] == "updated", result
    return result


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    from pare_desktop.sync import keys
    from pare_desktop.sync.publish import build

    tmp = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    try:
        priv, pub = keys.generate(tmp / "keys")
        t = time.perf_counter()
        recs = synthetic(args.n)
        print(f"generated {len(recs)} structures in {time.perf_counter() - t:.1f} s")
        feed = tmp / "feed"
        t = time.perf_counter()
        m1 = build([write_source(tmp / "v1.pare.jsonl", recs)], priv, feed).manifest
        print(
            f"pare-publish build v1: {time.perf_counter() - t:.1f} s, snapshot {m1.snapshot.length:,} bytes"
        )
        handler = partial(SimpleHTTPRequestHandler, directory=str(feed))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        SimpleHTTPRequestHandler.log_message = lambda *a: None  # type: ignore[method-assign]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}"
        firsts = []
        for r in range(args.runs):
            db = tmp / f"first-{r}" / "pare.sqlite"
            firsts.append(child(db, url, pub))
        rng = random.Random(7)
        changed = list(recs)
        for k in rng.sample(range(len(changed)), len(changed) // 100):
            changed[k] = replace(changed[k], description=f"modifié {rng.random()}")
        t = time.perf_counter()
        m2 = build([write_source(tmp / "v2.pare.jsonl", changed)], priv, feed).manifest
        print(f"pare-publish build v2: {time.perf_counter() - t:.1f} s")
        delta = m2.deltas[-1].file.length
        deltas = []
        for r in range(args.runs):
            db = tmp / f"delta-{r}" / "pare.sqlite"
            db.parent.mkdir()
            for suffix in ("", "-wal", "-shm"):
                src = tmp / "first-0" / f"pare.sqlite{suffix}"
                if src.exists():
                    shutil.copy(src, db.parent / src.name)
            deltas.append(child(db, url, pub, anchor=r == 0))
        server.shutdown()
        med = lambda rows, key: statistics.median(float(x[key]) for x in rows)  # noqa: E731
        print(
            f"first sync ({args.n} structures, {args.runs} runs): median "
            f"{med(firsts, 'sync'):.1f} s download+verify+apply "
            f"(apply {med(firsts, 'apply'):.1f} s), peak RSS {med(firsts, 'rss_before_refresh'):.0f} MB "
            f"[targets 30 s, 500 MB]; then the search index rebuilt and persisted (snapshot) "
            f"{med(firsts, 'refresh'):.1f} s, peak RSS with it {med(firsts, 'maxrss_mb'):.0f} MB"
        )
        print(
            f"delta 1 %: {delta:,} bytes = {100 * delta / m1.snapshot.length:.2f} % of the snapshot "
            f"[target 5 %]; path {deltas[0]['path']}; applied in median {med(deltas, 'apply'):.2f} s; "
            f"index reload {med(deltas, 'refresh'):.2f} s; end to end (download, verify, apply, index, "
            f"first search) {med(deltas, 'total'):.2f} s [target 2 s], peak RSS "
            f"{med(deltas, 'maxrss_mb'):.0f} MB [target 300 MB]; anchor: full index rebuild "
            f"{float(deltas[0]['full_rebuild']):.1f} s"
        )
        report.add("sync: 1 % delta end to end", med(deltas, "total"), "s", 2.0,
                   f"full rebuild {float(deltas[0]['full_rebuild']):.1f} s")
        report.add("sync: 1 % delta peak RSS", med(deltas, "maxrss_mb"), "MB", 300.0)
        report.add("sync: first sync (snapshot)", med(firsts, "total"), "s", 30.0)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
