"""The core, sync and map-building packages never import Qt (checked in a clean interpreter)."""

from __future__ import annotations

import subprocess
import sys


def test_core_sync_and_map_import_without_pyside6() -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        "import pare_desktop.core, pare_desktop.sync, pare_desktop.map\n"
        "for pkg in (pare_desktop.core, pare_desktop.sync, pare_desktop.map):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(m.name)\n"
        "bad = sorted(m for m in sys.modules if m.startswith('PySide6'))\n"
        "assert not bad, bad\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
