"""resource_path() finds the same files from a checkout and from a frozen layout (sys._MEIPASS)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from pare_desktop import paths

ROOT = Path(__file__).resolve().parents[2]
FILES = [("referentials", "territories.json"), ("demo", "demo.json"), ("app", "pare-desktop.svg"),
         ("map", "pare-map.js")]


def test_checkout_and_frozen_layout_resolve_the_same_files(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from_checkout = {parts: paths.resource_path(*parts) for parts in FILES}
    for parts, path in from_checkout.items():
        assert path.is_file(), parts
        assert path.is_relative_to(ROOT / "resources")
    meipass = tmp_path / "_internal"
    shutil.copytree(ROOT / "resources", meipass / "resources")  # what pare.spec's datas produce
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(meipass), raising=False)
    for parts, original in from_checkout.items():
        frozen = paths.resource_path(*parts)
        assert frozen.is_relative_to(meipass)
        assert frozen.read_bytes() == original.read_bytes()
