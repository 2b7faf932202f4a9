"""One door to the data: outside core/, no module imports SQLAlchemy or sqlite3 or touches an Engine."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "pare_desktop"
#: MBTiles files are SQLite files of map tiles, not the directory database: map/ reads them itself.
ALLOWED = {PACKAGE / "map" / "mbtiles.py": {"sqlite3"}}


def _offences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    allowed = ALLOWED.get(path, set())
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        for name in names:
            root = name.split(".")[0]
            if root in ("sqlalchemy", "sqlite3") and root not in allowed:
                found.append(f"{path.name}:{node.lineno} imports {name}")
        if isinstance(node, ast.ImportFrom):
            module = (node.module or "").split(".")
            inner = [module[-1]] if module[-1] in ("db", "store") else []
            if module[-1] == "core":
                inner += [a.name for a in node.names if a.name in ("db", "store")]
            found += [f"{path.name}:{node.lineno} imports core.{name}" for name in inner]
        if isinstance(node, ast.Attribute) and node.attr == "engine":
            found.append(f"{path.name}:{node.lineno} reads .engine")
    return found


def test_nothing_outside_core_reaches_the_database() -> None:
    outside = [p for p in PACKAGE.rglob("*.py") if "core" not in p.relative_to(PACKAGE).parts]
    assert any(p.parts[-2] == "sync" for p in outside) and any("ui" in p.parts for p in outside)
    offences = [o for p in outside for o in _offences(p)]
    assert offences == [], offences


def test_the_check_sees_an_offence(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import sqlite3\nfrom sqlalchemy import select\nfrom pare_desktop.core import store\nx = d.engine\n"
    )
    assert len(_offences(bad)) == 4
