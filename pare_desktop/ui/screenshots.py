"""`pare screenshot`: the main views rendered offscreen to PNG, on a fresh demo database."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from ..core.records import SearchQuery


def _settle(app: QApplication, gui_wait: Callable[[], bool], ms: int = 300) -> None:
    gui_wait()
    end = time.monotonic() + ms / 1000
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)
    gui_wait()


def _wait_for(app: QApplication, condition: Callable[[], bool], timeout_ms: int) -> bool:
    end = time.monotonic() + timeout_ms / 1000
    while time.monotonic() < end:
        if condition():
            return True
        app.processEvents()
        time.sleep(0.01)
    return condition()


def render_screenshots(outdir: Path, size: tuple[int, int] = (1366, 768)) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ..app import build_gui

    outdir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="pare-shots-") as tmp:
        settings = QSettings(str(Path(tmp) / "ui.ini"), QSettings.Format.IniFormat)
        gui = build_gui(Path(tmp) / "pare.sqlite", pro=False, settings=settings, restore=False, hook=False)
        w, app = gui.window, gui.app
        w.resize(*size)
        w.show()

        def wait() -> bool:
            return gui.runner.wait_idle(20_000)

        def shot(name: str) -> None:
            _settle(app, wait)
            path = outdir / f"{name}.png"
            w.grab().save(str(path))
            written.append(path)

        try:
            # 1. the list with filters: a text and two filters
            w.search_field.setText("enfance")
            w.set_query(replace(SearchQuery(text="enfance"), regions=("11",),
                                types=("protection-enfance", "ligne-ecoute-nationale")))
            _settle(app, wait)
            w.filters.toolbox.setCurrentIndex(1)
            shot("01-liste-filtres")
            # 2. the detail pane of a structure with phones and hours
            w.set_query(SearchQuery(text="maison des adolescents"))
            _settle(app, wait)
            w.filters.toolbox.setCurrentIndex(0)
            w.results.table.setFocus()
            row = next((r for r in range(w.model.rowCount())
                        if (s := w.model.structure_at(r)) is not None and s.phones and s.opening_hours
                        and not s.is_national), 0)
            w.results.table.selectRow(row)
            shot("02-fiche")
            # 3. an overseas search: Mayotte, where the national lines show too
            w.set_query(SearchQuery(territories=("976",)))
            _settle(app, wait)
            w.filters.toolbox.setCurrentIndex(0)
            w.results.table.selectRow(min(2, max(0, w.model.rowCount() - 1)))
            shot("03-outre-mer-mayotte")
            # 4. the map of the same search (wait for the page to report its markers)
            shown: list[int] = []
            gui.workspace.map.markers_shown.connect(shown.append)
            w.tabs.setCurrentIndex(gui.workspace.map_tab)
            _wait_for(app, lambda: bool(shown), 20_000)
            gui.workspace.map.jump_to("976")
            _settle(app, wait, 1500)
            shot("05-carte-mayotte")
            # 5. the coverage dashboard for the whole directory
            w.set_query(SearchQuery())
            w.tabs.setCurrentIndex(gui.workspace.dashboard_tab)
            _settle(app, wait, 800)
            shot("06-tableau-de-bord")
            # 6. the empty state
            w.tabs.setCurrentIndex(0)
            w.set_query(SearchQuery(text="zzzz introuvable", territories=("78",)))
            shot("04-aucun-resultat")
            # 7. the journey on a small screen (1024×600)
            from .screenshots_small import render_small_screen

            written += render_small_screen(gui, outdir, lambda: _settle(app, wait))
        finally:
            gui.close()
    return written
