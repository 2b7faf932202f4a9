"""The map tab of the real window, offscreen, on the demo data: France, Mayotte, Guyane and a popup.

Run: QT_QPA_PLATFORM=offscreen QTWEBENGINE_DISABLE_SANDBOX=1 \
     python scripts/map_screenshots.py OUTDIR [WxH ...]
Writes map-<view>-<W>x<H>.png for each size (1024x600 and 1366x768 by default).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QSettings

from pare_desktop.core.records import SearchQuery
from pare_desktop.ui.schemes import register_schemes


def main(outdir: Path, sizes: list[tuple[int, int]]) -> None:
    register_schemes()
    outdir.mkdir(parents=True, exist_ok=True)
    for width, height in sizes:
        render(outdir, width, height)


def render(outdir: Path, width: int, height: int) -> None:
    """The four pictures at one window size."""
    from pare_desktop.app import build_gui

    with tempfile.TemporaryDirectory(prefix="pare-map-shots-") as tmp:
        settings = QSettings(str(Path(tmp) / "ui.ini"), QSettings.Format.IniFormat)
        gui = build_gui(
            Path(tmp) / "pare.sqlite", pro=False, settings=settings, restore=False, hook=False
        )
        w, app = gui.window, gui.app
        w.resize(width, height)
        w.show()

        def wait_for(condition: Callable[[], bool], ms: int = 20_000) -> None:
            end = time.monotonic() + ms / 1000
            while time.monotonic() < end and not condition():
                app.processEvents()
                time.sleep(0.01)

        def pause(ms: int) -> None:
            wait_for(lambda: False, ms)

        def js(script: str) -> Any:
            out: list[Any] = []
            gui.workspace.map.run_js(script, out.append)
            wait_for(lambda: bool(out))
            return out[0] if out else None

        def ask(query: SearchQuery) -> None:
            shown: list[int] = []
            gui.workspace.map.markers_shown.connect(shown.append)
            w.set_query(query)
            wait_for(lambda: bool(shown))
            gui.workspace.map.markers_shown.disconnect(shown.append)
            gui.runner.wait_idle(20_000)
            pause(1200)

        def shot(name: str) -> None:
            path = outdir / f"map-{name}-{width}x{height}.png"
            w.grab().save(str(path))
            print(path)

        try:
            w.tabs.setCurrentIndex(gui.workspace.map_tab)
            wait_for(lambda: gui.workspace.map.is_ready)
            ask(SearchQuery())
            shot("france")
            ask(SearchQuery(territories=("976",)))
            shot("mayotte")
            ask(SearchQuery(regions=("03",)))
            shot("guyane")
            ask(SearchQuery(territories=("976",)))
            records = gui.directory.get_many(w.model.ids())
            ids = [s.id for s in records if s.has_position and not s.is_national]
            for sid in ids:
                if js(f"PareMap.markerPoint({json.dumps(sid)})") != "null":
                    w.select_structure(sid)
                    break
            pause(1500)
            shot("popup")
        finally:
            gui.close()


if __name__ == "__main__":
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    dims = [tuple(int(v) for v in a.split("x")) for a in args[1:]] or [(1024, 600), (1366, 768)]
    main(Path(args[0]), [(d[0], d[1]) for d in dims])
