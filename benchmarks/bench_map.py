"""Map benchmark: N markers ready and painted, refilters swapping all N, a pan and a zoom — our grid
clustering and Leaflet.markercluster (the anchor) measured in the same run.

Run: QT_QPA_PLATFORM=offscreen QTWEBENGINE_DISABLE_SANDBOX=1 python benchmarks/bench_map.py [N ...] [--runs 3]
Records are synthetic, placed at real communes of every territory (so clusters look like real ones).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pare_desktop.core import vocabulary
from pare_desktop.core.records import Phone, Structure
from pare_desktop.core.territories import referential
from pare_desktop.ui.schemes import register_schemes


def synthetic(n: int, seed: int = 4) -> list[Structure]:
    """n structures at communes of every département and collectivité, of every type."""
    rnd = random.Random(seed)
    ref = referential()
    communes = [c for t in ref.departements() for c in ref.communes_of(t.code)[:60]]
    types = vocabulary.slugs("type")
    out = []
    for i in range(n):
        c = rnd.choice(communes)
        exact = rnd.random() < 0.6
        jitter = 0.01 if exact else 0.0
        out.append(
            Structure(
                id=f"bench:{i}",
                source="bench",
                source_id=str(i),
                name=f"Structure {i} (démo)",
                type=rnd.choice(types),
                commune=c.name,
                commune_code=c.code,
                departement=c.departement,
                latitude=c.latitude + rnd.uniform(-jitter, jitter),
                longitude=c.longitude + rnd.uniform(-jitter, jitter),
                position_exact=exact,
                phones=(Phone("+33199000000", "01 99 00 00 00"),),
                opening_hours="Mo-Fr 09:00-17:00" if i % 3 else "",
            )
        )
    return out


def measure(n: int, records: list[Structure], clusterer: str, runs: int) -> dict[str, Any]:
    """Ready and painted times for n markers, then `runs` full swaps of the shown set (refilters)."""
    from PySide6.QtCore import QEventLoop, QTimer

    from pare_desktop.ui.map.view import MapPanel

    def spin(ms: int = 10) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def painted(panel: MapPanel) -> bool:
        img = panel.view.grab().toImage().scaled(200, 140)
        colours = {img.pixel(x, y) for x in range(0, 200, 4) for y in range(0, 140, 4)}
        return len(colours) > 12  # the outlines, clusters and boxes, not a blank or single-colour frame

    first, second = [r.id for r in records[:n]], [r.id for r in records[n:]]
    counts: list[int] = []
    panel = MapPanel(clusterer=clusterer)
    panel.markers_shown.connect(counts.append)
    panel.resize(1200, 800)
    panel.show()
    while not panel.is_ready or not counts:  # the empty page reports its 0 markers first
        spin()

    def outlines_drawn() -> bool:
        out: list[Any] = []
        panel.run_js("PareMap.state()", out.append)
        while not out:
            spin(1)
        return bool(json.loads(out[0])["ready"])

    while not outlines_drawn():  # the base map is loaded (as when the user opens the tab, then searches)
        spin(20)
    spin(300)
    counts.clear()
    t0 = time.perf_counter()
    panel.set_records(records[:n])
    while not counts:
        spin(1)
    assert counts == [n], counts
    t_ready = time.perf_counter() - t0
    while not painted(panel):
        spin()
    t_painted = time.perf_counter() - t0
    # the records of the next filters are known to the page (as after a first search)
    panel.add_records(records[n:])
    panel.show_results(first + second)
    while len(counts) < 2:
        spin()
    changes = []
    for k in range(runs):
        ids = second if k % 2 == 0 else first
        before = len(counts)
        t1 = time.perf_counter()
        panel.show_results(ids)
        while len(counts) == before:
            spin(1)
        changes.append(time.perf_counter() - t1)
    pans = []
    if clusterer == "grid":  # a pan and a zoom: the cells in view are drawn again
        for script in ("PareMap.fit(1.0, 47.0, 4.0, 49.5)", "PareMap.fit(-2.0, 43.0, 7.0, 50.0)"):
            out: list[Any] = []
            t2 = time.perf_counter()
            panel.run_js(f"{script}, JSON.stringify(1)", out.append)
            while not out:
                spin(1)
            pans.append(time.perf_counter() - t2)
    panel.close()
    panel.deleteLater()
    spin(300)
    return {
        "ready": t_ready,
        "painted": t_painted,
        "refilter": statistics.median(changes),
        "refilters": changes,
        "pan": max(pans) if pans else None,
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3, help="refilters measured (median reported)")
    parser.add_argument("--no-anchor", action="store_true", help="skip Leaflet.markercluster")
    args = parser.parse_args(argv)
    register_schemes()
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    assert app is not None
    targets = {10_000: (2.0, 0.3), 100_000: (2.0, 1.0)}
    head = f"{'markers':>8} {'clusters':<14} {'ready':>8} {'painted':>8} {'refilter':>9} {'pan/zoom':>9}"
    print(head + "  target")
    for n in args.sizes:
        records = synthetic(2 * n)
        engines = ("grid",) if args.no_anchor else ("grid", "markercluster")
        results: dict[str, dict[str, Any]] = {}
        for clusterer in engines:
            r = results[clusterer] = measure(n, records, clusterer, args.runs)
            ready_t, refilter_t = targets.get(n, (2.0, 1.0))
            target = f"ready ≤ {ready_t:.0f} s, refilter ≤ {refilter_t * 1000:.0f} ms"
            if clusterer != "grid":
                target = "anchor"
            pan = f"{r['pan'] * 1000:7.0f}ms" if r["pan"] is not None else "        –"
            print(
                f"{n:>8} {clusterer:<14} {r['ready'] * 1000:6.0f}ms {r['painted'] * 1000:6.0f}ms "
                f"{r['refilter'] * 1000:7.0f}ms {pan}  {target}  "
                f"(refilters: {', '.join(f'{c * 1000:.0f}' for c in r['refilters'])} ms)",
                flush=True,
            )
        _report(n, results, targets.get(n, (2.0, 1.0)))


def _report(n: int, results: dict[str, dict[str, Any]], targets: tuple[float, float]) -> None:
    """The grid's figures into the one report table, Leaflet.markercluster of the same run as anchor."""
    from benchmarks import report

    grid, anchor = results["grid"], results.get("markercluster")

    def beside(key: str, scale: float, unit: str) -> str:
        return f"markercluster {anchor[key] * scale:.{0 if unit == 'ms' else 2}f} {unit}" if anchor else ""

    report.add(f"map {n // 1000}k markers ready", grid["ready"], "s", targets[0], beside("ready", 1, "s"))
    report.add(f"map {n // 1000}k refilter (median of {len(grid['refilters'])})", grid["refilter"] * 1000,
               "ms", targets[1] * 1000, beside("refilter", 1000, "ms"))
    if grid["pan"] is not None:
        report.add(f"map {n // 1000}k pan/zoom (slowest)", grid["pan"] * 1000, "ms")


if __name__ == "__main__":
    main(sys.argv[1:])
