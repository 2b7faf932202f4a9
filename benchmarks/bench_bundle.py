"""The frozen bundle's figures: size unpacked and as .tar.gz, build time, start to window shown (offscreen).

Start-up is measured from the process being spawned to the window check printing "fenêtre affichée"
(`pare --self-test` with PARE_SELFTEST_ONLY=fenetre), median of 5, in two cases: a first launch (the
database is created from the demo data) and a later one (`--data-dir` with the database already there).
The page cache is warm after the first run (dropping it would disturb the other users of the machine).

Usage: python benchmarks/bench_bundle.py [--build] [--runs 5] [--source]
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

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dist" / "pare"
FIGURES = ROOT / "build" / "bundle-figures.json"
READY = "fenêtre affichée"


def env() -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHONPATH", "VIRTUAL_ENV"))}
    e.update(QT_QPA_PLATFORM="offscreen", PARE_SELFTEST_ONLY="fenetre")
    if os.geteuid() == 0:
        e["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
    return e


def time_to_window(cmd: list[str], extra_env: dict[str, str] | None = None) -> float:
    """Seconds from spawn to the READY line; the process is then left to finish (and must succeed)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env={**env(), **(extra_env or {})}, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    shown = None
    for line in proc.stdout:
        if shown is None and READY in line:
            shown = time.perf_counter() - start
    if proc.wait(timeout=300) != 0 or shown is None:
        raise SystemExit(f"échec du démarrage mesuré : {' '.join(cmd)}")
    return shown


def median_start(cmd: list[str], runs: int, data_dir: Path | None) -> tuple[float, list[float]]:
    args = [*cmd, *(["--data-dir", str(data_dir)] if data_dir else []), "--self-test"]
    times = [time_to_window(args) for _ in range(runs)]
    return statistics.median(times), times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", action="store_true", help="construit le bundle d'abord (make bundle)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--source", action="store_true", help="mesure aussi le démarrage depuis les sources")
    args = parser.parse_args()
    if args.build or not (APP / "pare").is_file():
        subprocess.run([sys.executable, str(ROOT / "scripts" / "bundle.py")], check=True)
    figures = json.loads(FIGURES.read_text()) if FIGURES.is_file() else {}
    unpacked = sum(p.lstat().st_size for p in APP.rglob("*") if p.is_file() or p.is_symlink())
    archives = sorted((ROOT / "dist").glob("pare-desktop-*.tar.gz"))
    print(f"bundle décompressé : {unpacked / 1e6:.1f} Mo (objectif ≤ 450)")
    if archives:
        print(f"archive {archives[-1].name} : {archives[-1].stat().st_size / 1e6:.1f} Mo (objectif ≤ 200)")
    if figures:
        print(f"construction PyInstaller (dernière) : {figures['build_seconds']:.0f} s, "
              f"archive : {figures['archive_seconds']:.0f} s")
        total = sum(r["bytes"] for r in figures["exclusions"].values())
        print(f"exclusions : {total / 1e6:.1f} Mo retirés au total")
        for rule, r in sorted(figures["exclusions"].items(), key=lambda kv: -kv[1]["bytes"]):
            print(f"  {r['bytes'] / 1e6:8.1f} Mo  {r['files']:5d} fichiers  {rule}")
    commands = [("gelé", [str(APP / "pare")])]
    if args.source:
        commands.append(("sources", [sys.executable, "-m", "pare_desktop"]))
    for label, cmd in commands:
        first, t1 = median_start(cmd, args.runs, None)
        with tempfile.TemporaryDirectory(prefix="pare-bench-") as tmp:
            time_to_window([*cmd, "--data-dir", tmp, "--self-test"])  # creates the database once
            later, t2 = median_start(cmd, args.runs, Path(tmp))
        print(f"démarrage jusqu'à la fenêtre ({label}, médiane de {args.runs}, hors écran) : "
              f"premier lancement {first:.2f} s {[f'{t:.2f}' for t in t1]}, "
              f"lancement suivant {later:.2f} s {[f'{t:.2f}' for t in t2]} (objectif ≤ 3 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
