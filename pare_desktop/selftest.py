"""`pare --self-test`: checks an installation (a checkout or the frozen bundle) end to end, offscreen.

Each check runs in isolation in a temporary data directory, so one failure never hides another; the run
prints one French summary line and exits 0, or non-zero naming what failed. A watchdog ends a run that
hangs (a Chromium that never paints) with a clear message instead of blocking CI.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__

if TYPE_CHECKING:
    from .cli.common import Context

WATCHDOG_S = float(os.environ.get("PARE_SELFTEST_TIMEOUT", "300"))


class CheckFailed(Exception):
    """A check found something wrong; the message is French and names it."""


@dataclass(frozen=True, slots=True)
class Outcome:
    name: str
    ok: bool
    seconds: float
    message: str = ""
    details: str = ""


@dataclass
class Env:
    """What the checks share: a scratch folder, the demo database, and (once made) the Qt application."""

    tmp: Path
    data_dir: Path | None = None  # `--only fenetre --data-dir X`: the window opens this data (benchmarks)
    report: Callable[[str], None] = print

    @property
    def database(self) -> Path:
        return (self.data_dir or self.tmp / "donnees") / "pare.sqlite"


def _fr_seconds(s: float) -> str:
    return f"{s:.1f}".replace(".", ",")


def missing_part(exc: ImportError) -> str:
    """A French sentence for a module that is not there (a branch not merged, a bundle missing a module)."""
    return f"module absent : {exc.name or exc} — cette partie de l'application n'est pas installée"


def run_check(name: str, check: Callable[[Env], str], env: Env) -> Outcome:
    start = time.perf_counter()
    try:
        message = check(env)
    except CheckFailed as exc:
        return Outcome(name, False, time.perf_counter() - start, str(exc))
    except ImportError as exc:
        return Outcome(name, False, time.perf_counter() - start, missing_part(exc), traceback.format_exc())
    except Exception as exc:  # a check must never take the others down
        return Outcome(name, False, time.perf_counter() - start, f"erreur inattendue : {exc!r}",
                       traceback.format_exc())
    return Outcome(name, True, time.perf_counter() - start, message)


def summary(outcomes: Sequence[Outcome], seconds: float) -> str:
    passed = sum(o.ok for o in outcomes)
    plural = "s" if passed > 1 else ""  # French: « 1/3 vérification réussie », « 6/6 vérifications réussies »
    line = (f"Auto-test PARÉ Desktop {__version__} : {passed}/{len(outcomes)} vérification{plural} "
            f"réussie{plural} en {_fr_seconds(seconds)} s")
    failed = [o for o in outcomes if not o.ok]
    if failed:
        line += " — ÉCHEC : " + " ; ".join(f"{o.name} ({o.message})" for o in failed)
    return line


def _prepare_environment(verbose: bool) -> None:
    """Offscreen, always; QtWebEngine refuses to start as root without its sandbox disabled.

    The app's loggers (and the map page's console, which the no-network proof makes complain) stay off
    stderr unless --verbose: the outcome is the summary line.
    """
    import logging

    for name in ("pare", "map"):
        logger = logging.getLogger(name)
        logger.addHandler(logging.StreamHandler() if verbose else logging.NullHandler())
        logger.propagate = False
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")


def _watchdog(current: list[str]) -> threading.Timer:
    def fire() -> None:
        what = current[0] if current else "démarrage"
        sys.stderr.write(f"Auto-test PARÉ Desktop {__version__} : ÉCHEC — bloqué plus de {WATCHDOG_S:.0f} s "
                         f"pendant « {what} »\n")
        sys.stderr.flush()
        os._exit(3)

    timer = threading.Timer(WATCHDOG_S, fire)
    timer.daemon = True
    timer.start()
    return timer


def selected(only: str | None) -> list[tuple[str, Callable[[Env], str]]]:
    from .selftest_checks import CHECKS

    if not only:
        return [(name, fn) for _, name, fn in CHECKS]
    wanted = {w.strip() for w in only.split(",") if w.strip()}
    known = {key for key, _, _ in CHECKS}
    unknown = wanted - known
    if unknown:
        raise ValueError(f"vérification inconnue : {', '.join(sorted(unknown))} "
                         f"(possibles : {', '.join(known)})")
    return [(name, fn) for key, name, fn in CHECKS if key in wanted]


def run(ctx: Context, args: argparse.Namespace) -> int:
    """Run the checks (all, or those named by `--only` / PARE_SELFTEST_ONLY) and print the summary."""
    only = getattr(args, "only", None) or os.environ.get("PARE_SELFTEST_ONLY")
    try:
        checks = selected(only)
    except ValueError as exc:
        sys.stderr.write(f"pare : {exc}\n")
        return 2
    verbose = bool(getattr(args, "verbose", False))
    _prepare_environment(verbose)
    current: list[str] = []
    timer = _watchdog(current)
    start = time.perf_counter()
    outcomes: list[Outcome] = []
    try:
        with tempfile.TemporaryDirectory(prefix="pare-autotest-") as tmp:
            data_dir = Path(args.data_dir).expanduser() if only and getattr(args, "data_dir", None) else None
            # Progress lines ("fenêtre affichée", read by benchmarks/bench_bundle.py) only for a subset:
            # a full run prints its one summary line.
            report = (lambda s: print(s, flush=True)) if only else (lambda s: None)
            env = Env(Path(tmp), data_dir=data_dir, report=report)
            for name, fn in checks:
                current[:] = [name]
                outcome = run_check(name, fn, env)
                outcomes.append(outcome)
                if verbose or not outcome.ok:
                    mark = "ok" if outcome.ok else "ÉCHEC"
                    took = _fr_seconds(outcome.seconds)
                    sys.stderr.write(f"  [{mark}] {name} ({took} s) : {outcome.message}\n")
                    if outcome.details and not outcome.ok:
                        sys.stderr.write(outcome.details)
            from .selftest_checks import shutdown_qt

            shutdown_qt()
    finally:
        timer.cancel()
    print(summary(outcomes, time.perf_counter() - start), flush=True)
    return 0 if outcomes and all(o.ok for o in outcomes) else 1
