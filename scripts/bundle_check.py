"""`make bundle-check`: the frozen dist/pare works — every linked library is found, `--version` and
`--self-test` pass offscreen, `pare screenshot` renders the window to PNG files, and the commands (search,
every export, the map page, imports) work frozen (bundle_commands.py). Fails on any error."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bundle_commands

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dist" / "pare"
EXE = APP / "pare"
SHOTS = ROOT / "build" / "frozen-screenshots"


def frozen_env() -> dict[str, str]:
    """A display-less environment that cannot reach the project's sources or virtualenv."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["QT_QPA_PLATFORM"] = "offscreen"
    if os.geteuid() == 0:
        env["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
    env["HOME"] = str(ROOT / "build" / "frozen-home")  # settings and data of the screenshot run stay here
    Path(env["HOME"]).mkdir(parents=True, exist_ok=True)
    return env


def missing_libraries() -> list[str]:
    """ELF files of the bundle with a dependency that neither the bundle nor the system provides."""
    internal = APP / "_internal"
    env = dict(os.environ, LD_LIBRARY_PATH=f"{internal}:{internal / 'PySide6' / 'Qt' / 'lib'}")
    problems = []
    for path in sorted(APP.rglob("*")):
        if not path.is_file() or path.is_symlink() or not (".so" in path.name or path.name in ("pare",
                                                                                           "QtWebEngineProcess")):
            continue
        with path.open("rb") as f:
            if f.read(4) != b"\x7fELF":
                continue
        out = subprocess.run(["ldd", str(path)], env=env, capture_output=True, text=True).stdout
        problems += [f"{path.relative_to(APP)} : {line.strip()}"
                     for line in out.splitlines() if "not found" in line]
    return problems


def run(args: list[str], timeout: float) -> tuple[int, str, float]:
    start = time.perf_counter()
    proc = subprocess.run([str(EXE), *args], env=frozen_env(), capture_output=True, text=True,
                          timeout=timeout)
    return proc.returncode, proc.stdout + proc.stderr, time.perf_counter() - start


def main() -> int:
    if not EXE.is_file():
        raise SystemExit(f"pas de bundle : {EXE} (lancez « make bundle »)")
    failures: list[str] = []
    missing = missing_libraries()
    print(f"bibliothèques liées : {'toutes trouvées' if not missing else f'{len(missing)} manquante(s)'}")
    failures += missing[:20]

    code, out, _ = run(["--version"], 60)
    print(out.strip().splitlines()[-1] if out.strip() else "(--version muet)")
    if code != 0:
        failures.append(f"--version : code {code}")

    code, out, secs = run(["--self-test"], 600)
    summary = [line for line in out.splitlines() if line.startswith("Auto-test")]
    print(f"{summary[-1] if summary else '(pas de ligne de résumé)'}  [processus gelé : {secs:.1f} s]")
    if code != 0 or not summary:
        failures.append(f"--self-test : code {code}\n{out[-3000:]}")

    code, out, secs = run(["screenshot", str(SHOTS)], 300)
    shots = sorted(SHOTS.glob("*.png"))
    big_enough = [p for p in shots if p.stat().st_size > 10_000]
    print(f"captures de la fenêtre gelée : {len(big_enough)} dans {SHOTS}  [{secs:.1f} s]")
    if code != 0 or not big_enough:
        failures.append(f"screenshot : code {code}, {len(shots)} image(s)\n{out[-3000:]}")

    print("commandes gelées (recherche, exports, carte, imports) :")
    failures += bundle_commands.check(EXE, frozen_env())

    if failures:
        print("bundle-check : ÉCHEC\n" + "\n".join(failures), file=sys.stderr)
        return 1
    print("bundle-check : le bundle gelé fonctionne")
    return 0


if __name__ == "__main__":
    sys.exit(main())
