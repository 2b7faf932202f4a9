"""UI benchmark: cold start to a usable window (demo data), keystroke to results shown at 100k, GUI blocking.

Run: QT_QPA_PLATFORM=offscreen python benchmarks/bench_ui.py [--n 100000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import report  # noqa: E402  (after the path: run as a script too)

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

_CHILD = """
import sys, time
t0 = time.perf_counter()
from pathlib import Path
from PySide6.QtCore import QSettings
from pare_desktop.app import build_gui
db = Path(sys.argv[1])
g = build_gui(db, settings=QSettings(str(db.parent / "ui.ini"), QSettings.Format.IniFormat), hook=False)
g.window.resize(1366, 768)
g.window.show()
g.runner.wait_idle(60_000)
g.app.processEvents()
g.window.results.table.viewport().repaint()
assert g.window.model.rowCount() > 0
print("READY", time.perf_counter() - t0, flush=True)
g.close()
"""


def cold_start(runs: int) -> None:
    """Each run a fresh process; the first run seeds the demo data, the next ones reopen the file."""
    with tempfile.TemporaryDirectory(prefix="pare-bench-") as tmp:
        db = Path(tmp) / "pare.sqlite"
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        times, inner = [], []
        for i in range(runs + 1):
            start = time.perf_counter()
            out = subprocess.run([sys.executable, "-c", _CHILD, str(db)], capture_output=True, text=True,
                                 env=env, timeout=300, check=True)
            wall = time.perf_counter() - start
            line = next(x for x in out.stdout.splitlines() if x.startswith("READY"))
            if i == 0:
                print(f"cold start, first run (creates the database, seeds the demo): {wall:.2f} s")
                continue
            times.append(wall)
            inner.append(float(line.split()[1]))
        print(f"cold start to usable window (demo data, process launch included): "
              f"median {statistics.median(times):.2f} s over {runs} runs {[round(t, 2) for t in times]}; "
              f"in-process part median {statistics.median(inner):.2f} s")
        report.add(f"cold start to usable window (median of {runs})", statistics.median(times), "s", None,
                   f"in-process part {statistics.median(inner):.2f} s")


@dataclass
class _Sample:
    key: float
    start: float = 0.0
    shown: float = 0.0


def directory_file(n: int) -> Path:
    """A database of n synthetic structures, built once and cached in the temp folder."""
    from benchmarks.synth import synthetic_structures
    from pare_desktop.core.directory import Directory

    cache = Path(tempfile.gettempdir()) / f"pare-bench-ui-{n}"
    db = cache / "pare.sqlite"
    if not db.exists():
        t0 = time.perf_counter()
        cache.mkdir(parents=True, exist_ok=True)

        @dataclass
        class Batch:
            source: str
            records: list[Any]

        with Directory.open(db) as d:
            d.import_batch(Batch("synth", synthetic_structures(n)))
        print(f"(database of {n:,} synthetic structures created in {time.perf_counter() - t0:.1f} s)")
    return db


def typing_at_scale(n: int, words: list[str]) -> None:
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QSettings, Qt, QTimer
    from PySide6.QtTest import QTest

    from pare_desktop.app import build_gui

    db = directory_file(n)
    cache = db.parent
    t0 = time.perf_counter()
    gui = build_gui(db, settings=QSettings(str(cache / "ui.ini"), QSettings.Format.IniFormat), hook=False,
                    restore=False)
    w = gui.window
    w.resize(1366, 768)
    w.show()
    gui.runner.wait_idle(120_000)
    print(f"window usable on {n:,} structures in {time.perf_counter() - t0:.1f} s")

    samples: list[_Sample] = []
    run = w.search.run

    def timed_run() -> None:
        if samples and not samples[-1].start:
            samples[-1].start = time.perf_counter()
        run()

    w.search.run = timed_run  # type: ignore[method-assign]  # set_text and the coalescing call self.run()

    worker_ms: list[float] = []
    gui_ms: list[float] = []
    original_show = w._show_results

    def show_timed(outcome: object) -> None:
        t = time.perf_counter()
        original_show(outcome)  # type: ignore[arg-type]
        gui_ms.append((time.perf_counter() - t) * 1000)
        worker_ms.append(outcome.elapsed_ms)  # type: ignore[attr-defined]

    w.search.results_ready.disconnect(w._show_results)
    w.search.results_ready.connect(show_timed)

    def shown(_outcome: object) -> None:
        w.results.table.viewport().repaint()  # results painted, not just delivered
        if samples and not samples[-1].shown:
            samples[-1].shown = time.perf_counter()

    w.search.results_ready.connect(shown, Qt.ConnectionType.QueuedConnection)

    # heartbeat: how late does a 5 ms timer fire while the user types?
    lateness: list[float] = []
    clock = QElapsedTimer()
    beat = QTimer()
    beat.setInterval(5)
    beat.setTimerType(Qt.TimerType.PreciseTimer)
    last = [0]

    def tick() -> None:
        now = clock.elapsed()
        lateness.append(now - last[0] - 5)
        last[0] = now

    beat.timeout.connect(tick)
    clock.start()
    beat.start()
    w.search_field.setFocus()
    loop = QEventLoop()
    keys = [(c, False) for word in words for c in list(word) + ["\b"] * len(word)]

    def press(i: int) -> None:
        if i >= len(keys):
            QTimer.singleShot(400, loop.quit)
            return
        char, _ = keys[i]
        samples.append(_Sample(time.perf_counter()))
        if char == "\b":
            QTest.keyClick(w.search_field, Qt.Key.Key_Backspace)
        else:
            QTest.keyClicks(w.search_field, char)
        QTimer.singleShot(260, lambda: press(i + 1))  # a pause longer than the debounce: every key searches

    QTimer.singleShot(0, lambda: press(0))
    loop.exec()
    beat.stop()
    done = [s for s in samples if s.shown and s.start]
    search_to_shown = sorted((s.shown - s.start) * 1000 for s in done)
    key_to_shown = sorted((s.shown - s.key) * 1000 for s in done)

    def pct(values: list[float], p: float) -> float:
        return values[min(len(values) - 1, round(p * (len(values) - 1)))]

    print(f"keystrokes: {len(samples)}, searches shown: {len(done)}")
    print(f"search start (debounce {w.search._timer.interval()} ms, coalesced) to results painted: "
          f"p50 {pct(search_to_shown, .5):.1f} ms, p95 {pct(search_to_shown, .95):.1f} ms, "
          f"max {search_to_shown[-1]:.1f} ms")
    print(f"keystroke to results painted (debounce included): p50 {pct(key_to_shown, .5):.1f} ms, "
          f"p95 {pct(key_to_shown, .95):.1f} ms")
    print(f"  of which worker (search + first page of records): p50 {pct(sorted(worker_ms), .5):.1f} ms, "
          f"p95 {pct(sorted(worker_ms), .95):.1f} ms; GUI thread model/facets update p50 "
          f"{pct(sorted(gui_ms), .5):.1f} ms, p95 {pct(sorted(gui_ms), .95):.1f} ms")
    print(f"GUI thread max block during typing (5 ms heartbeat lateness): {max(lateness):.0f} ms, "
          f"p99 {pct(sorted(lateness), .99):.0f} ms")
    report.add(f"keystroke to results painted, {n // 1000}k, p50", pct(key_to_shown, .5), "ms", None,
               f"p95 {pct(key_to_shown, .95):.0f} ms; debounce {w.search._timer.interval()} ms included")
    report.add(f"search start to results painted, {n // 1000}k, p95", pct(search_to_shown, .95), "ms", None,
               f"p50 {pct(search_to_shown, .5):.1f} ms")
    report.add(f"GUI thread max block while typing, {n // 1000}k", max(lateness), "ms")
    gui.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if args.runs:
        cold_start(args.runs)
    words = ["mayotte", "maison ado", "ecoute", "victimes paris", "cegidd"]
    typing_at_scale(args.n, words)


if __name__ == "__main__":
    main()
