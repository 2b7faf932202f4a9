"""`pare --self-test` from the sources, in a subprocess (offscreen): exit 0 and the French summary line."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pare_desktop import __version__
from pare_desktop.selftest import Outcome, run_check, summary

ROOT = Path(__file__).resolve().parent.parent


def pare(*args: str, env: dict[str, str] | None = None,
         timeout: float = 420) -> subprocess.CompletedProcess[str]:
    base = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "pare_desktop", *args], env={**base, **(env or {})},
                          capture_output=True, text=True, timeout=timeout, cwd=ROOT)


@pytest.mark.slow
def test_self_test_passes_and_prints_one_summary_line(tmp_path: Path) -> None:
    proc = pare("--data-dir", str(tmp_path / "untouched"), "--self-test")
    assert proc.returncode == 0, proc.stdout + proc.stderr[-4000:]
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1
    assert re.fullmatch(rf"Auto-test PARÉ Desktop {re.escape(__version__)} : 6/6 vérifications réussies "
                        r"en \d+,\d s", lines[0]), lines[0]
    assert not (tmp_path / "untouched").exists()  # a temporary data directory, never the user's


def test_an_unknown_check_is_named() -> None:
    proc = pare("--self-test", env={"PARE_SELFTEST_ONLY": "lune"}, timeout=60)
    assert proc.returncode == 2
    assert "vérification inconnue : lune" in proc.stderr


def test_one_failing_check_does_not_hide_the_others(tmp_path: Path) -> None:
    from pare_desktop.selftest import CheckFailed, Env

    def broken(env: Env) -> str:
        raise CheckFailed("la carte reste blanche")

    def missing(env: Env) -> str:
        import pare_desktop.absent_branch  # type: ignore[import-not-found]  # noqa: F401

        return ""

    env = Env(tmp_path)
    outcomes = [run_check("carte", broken, env), run_check("exports", missing, env),
                run_check("base", lambda e: "ok", env)]
    assert [o.ok for o in outcomes] == [False, False, True]
    assert "module absent : pare_desktop.absent_branch" in outcomes[1].message
    line = summary(outcomes, 4.25)
    head = f"Auto-test PARÉ Desktop {__version__} : 1/3 vérification réussie en 4,2 s — ÉCHEC : "
    assert line.startswith(head)
    assert "carte (la carte reste blanche)" in line and "exports (module absent" in line


def test_summary_wording_when_all_pass() -> None:
    outcomes = [Outcome(n, True, 0.1) for n in "abcdef"]
    expected = f"Auto-test PARÉ Desktop {__version__} : 6/6 vérifications réussies en 4,2 s"
    assert summary(outcomes, 4.2) == expected
