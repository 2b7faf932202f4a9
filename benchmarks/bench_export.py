"""Export and dashboard timings: `python -m benchmarks.bench_export` (medians of a few runs)."""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks import report
from benchmarks.synth import synthetic_structures
from pare_desktop.core.export import export
from pare_desktop.core.records import SearchQuery

BUDGET_S = {"csv": 1.0, "vcard": 1.0, "xlsx": 5.0, "pdf": 15.0, "geojson": 1.0}


def median_time(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median wall time and median CPU time (the latter is what a busy shared machine does not inflate)."""
    wall, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return statistics.median(wall), statistics.median(cpu)


def bench_exports(n: int = 10_000) -> None:
    records = synthetic_structures(n)
    folder = Path(tempfile.mkdtemp())
    export(records[:50], "pdf", folder / "warm.pdf")  # imports and font registration
    for fmt, budget in BUDGET_S.items():
        runs = 3 if fmt == "pdf" else 5
        t, cpu = median_time(lambda fmt=fmt: export(records, fmt, folder / f"out.{fmt}"), runs)
        size = (folder / f"out.{fmt}").stat().st_size / 1e6
        print(
            f"export {fmt:8} {n} structures: wall {t:6.2f} s, cpu {cpu:6.2f} s (budget {budget:g} s) "
            f"{size:5.1f} Mo {'OK' if cpu <= budget else 'OVER'}",
            flush=True,
        )


def bench_cli_exports(n: int = 10_000, runs: int = 3) -> None:
    """`pare export` end to end (a new process: start-up, open, read, write), median of `runs`, with the
    bare interpreter start-up (`python -c pass`) measured in the same loop as the anchor.

    The whole directory is read without SQLAlchemy, numpy or the search index (core/reader.py). Bytecode
    is compiled once beforehand, as an installed application has it (even under PYTHONDONTWRITEBYTECODE).
    """
    from dataclasses import dataclass

    from pare_desktop.core.directory import Directory

    @dataclass
    class Batch:
        source: str
        records: tuple[object, ...]

    folder = Path(tempfile.mkdtemp())
    records = synthetic_structures(n)
    with Directory.open(folder / "pare.sqlite") as d:
        d.import_batch(Batch("bench", tuple(records)))  # type: ignore[arg-type]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(PYTHONPATH=str(Path(__file__).resolve().parents[1]), PYTHONPYCACHEPREFIX=str(folder / "pyc"))

    def timed(cmd: list[str]) -> tuple[float, float]:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, env=env)
        wall = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime

    for fmt in ("csv", "vcard", "geojson", "xlsx", "pdf"):
        cmd = [sys.executable, "-m", "pare_desktop", "--data-dir", str(folder), "export", "--format", fmt,
               "-o", str(folder / f"cli.{fmt}")]
        timed(cmd)  # bytecode written once
        walls, cpus, anchor_walls, anchor_cpus = [], [], [], []
        for _ in range(runs):
            wall, cpu = timed([sys.executable, "-c", "pass"])
            anchor_walls.append(wall)
            anchor_cpus.append(cpu)
            wall, cpu = timed(cmd)
            walls.append(wall)
            cpus.append(cpu)
        wall, cpu = statistics.median(walls), statistics.median(cpus)
        bare, bare_cpu = statistics.median(anchor_walls), statistics.median(anchor_cpus)
        anchor = f"`python -c pass` {bare:.2f} s (cpu {bare_cpu:.2f})"
        alone, _cpu = median_time(lambda fmt=fmt: export(records, fmt, folder / f"alone.{fmt}"), runs)
        target = 1.0 if fmt in ("csv", "vcard", "geojson") else None
        print(f"pare export --format {fmt:8} {n} structures, end to end: median {wall:.2f} s, "
              f"cpu {cpu:.2f} s (target {target or '-'} s); the writer alone {alone:.2f} s; {anchor}",
              flush=True)
        report.add(f"pare export {fmt}, {n // 1000}k, end to end", wall, "s", target,
                   f"process CPU {cpu:.2f} s; writer alone {alone:.2f} s; {anchor}")
    shutil.rmtree(folder, ignore_errors=True)


def bench_dashboard(n: int = 100_000) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from pare_desktop.core.stats import CoverageIndex
    from pare_desktop.ui.dashboard.panel import DashboardWidget

    app = QApplication.instance() or QApplication([])
    records = synthetic_structures(n)
    t = time.perf_counter()
    index = CoverageIndex(records)
    print(f"dashboard index build, {n} structures: {time.perf_counter() - t:.2f} s (once per data change)")
    all_ids = [s.id for s in records]
    reunion = [s.id for s in records if s.departement == "974" or s.is_national]
    lyon = [s.id for s in records if s.region == "84" or s.is_national]

    class _Service:
        def compute(self, q: SearchQuery) -> object:
            return index.compute(all_ids)

    w = DashboardWidget(_Directory(), _Runner())
    w._service = _Service()  # type: ignore[assignment]
    w.resize(1300, 900)
    w.show()
    w.show_stats(index.compute(all_ids))
    app.processEvents()
    times, cpus = [], []
    for i in range(12):
        ids = (all_ids, reunion, lyon)[i % 3]
        t, c = time.perf_counter(), time.process_time()
        w.show_stats(index.compute(ids))
        w.content.repaint()
        app.processEvents()
        times.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    print(
        f"dashboard redraw after a filter change, {n} structures: "
        f"median wall {statistics.median(times) * 1000:.0f}"
        f" ms, cpu {statistics.median(cpus) * 1000:.0f} ms, max wall {max(times) * 1000:.0f} ms "
        "(budget 200 ms; figures + charts + paint)",
        flush=True,
    )
    w.close()
    os._exit(0)  # skip interpreter teardown of Qt objects (a PySide6 refcount crash at exit)


class _Directory:
    def search(self, q: SearchQuery) -> object: ...
    def all_structures(self) -> list[object]:
        return []

    def dataset_info(self) -> object:
        return None


class _Runner:
    def submit(self, fn: Callable[..., object], *args: object, **kw: object) -> None: ...


if __name__ == "__main__":
    bench_cli_exports()
    if "--cli" not in sys.argv[1:]:  # `python -m benchmarks.bench_export --cli`: `pare export` alone
        bench_exports()
        bench_dashboard()
