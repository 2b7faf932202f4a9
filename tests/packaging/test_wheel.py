"""An installed wheel finds its resources like a checkout and the frozen bundle do (real build, real venv)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_installed_wheel_finds_every_resource(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # a checkout on the path would win
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = wheels.glob("pare_desktop-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", str(wheel)],
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    names = [
        "referentials/territories.json",
        "referentials/communes.json.gz",
        "demo/demo.json",
        "map/pare-map.js",
        "keys/pare-feed.pub",
        "app/licenses.json",
        "app/feed.json",
        "help/guide.md",
    ]
    code = (
        "import sys; from pare_desktop.paths import resource_path, resources_dir\n"
        "print(resources_dir())\n"
        f"missing = [n for n in {names!r} if not resource_path(*n.split('/')).is_file()]\n"
        "sys.exit(1 if missing else 0)\n"
    )
    out = subprocess.run([str(python), "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                         env=env)
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.strip() == str(venv / "share" / "pare-desktop" / "resources")
