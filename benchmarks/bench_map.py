"""Map benchmark: page ready and painted with N markers, and a filter change re-rendering N markers.

Run: QT_QPA_PLATFORM=offscreen QTWEBENGINE_DISABLE_SANDBOX=1 python benchmarks/bench_map.py [N ...]
Records are synthetic, placed at real communes of every territory (so clusters look like real ones).
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

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


def main(sizes: list[int]) -> None:
    register_schemes()
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from pare_desktop.ui.map.view import MapPanel

    app = QApplication.instance() or QApplication([])
    assert app is not None

    def spin(ms: int = 10) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def painted(panel: MapPanel) -> bool:
        img = panel.view.grab().toImage().scaled(200, 140)
        colours = {img.pixel(x, y) for x in range(0, 200, 4) for y in range(0, 140, 4)}
        return len(colours) > 12  # the outlines, clusters and boxes, not a blank or single-colour frame

    for n in sizes:
        records = synthetic(2 * n)
        first, second = [r.id for r in records[:n]], [r.id for r in records[n:]]
        counts: list[int] = []
        t0 = time.perf_counter()
        panel = MapPanel()
        panel.markers_shown.connect(counts.append)
        panel.resize(1200, 800)
        panel.show()
        panel.set_records(records[:n])
        while not counts:
            spin()
        t_ready = time.perf_counter() - t0
        while not painted(panel):
            spin()
        t_painted = time.perf_counter() - t0
        # the records of the next two filters are known to the page (as after a first search)
        panel.show_results(first + second)
        while len(counts) < 2:
            spin()
        changes = []
        for ids in (second, first, second):
            before = len(counts)
            t1 = time.perf_counter()
            panel.show_results(ids)
            while len(counts) == before:
                spin(1)
            changes.append(time.perf_counter() - t1)
        print(
            f"{n:>7} markers: data on the map {t_ready * 1000:7.0f} ms, painted {t_painted * 1000:7.0f} ms; "
            f"filter change re-rendering {n} markers: "
            + ", ".join(f"{c * 1000:.0f}" for c in changes)
            + " ms",
            flush=True,
        )
        panel.close()
        panel.deleteLater()
        spin(200)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 100_000])
