"""The GUI-thread SQL guard of the UI suite can fail: UI code querying on the GUI thread is caught."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from pare_desktop.core.directory import Directory
from pare_desktop.ui.dialogs.export import dataset_version

from .sql_guard import GuiThreadSqlGuard


def test_ui_code_on_the_gui_thread_is_caught(tmp_path: Path, gui_thread_sql_guard: GuiThreadSqlGuard,
                                             runner: Any) -> None:
    with Directory.open(tmp_path / "p.sqlite") as directory:  # test set-up: not UI code, allowed
        assert not gui_thread_sql_guard.violations
        assert dataset_version(directory) == "démonstration"  # UI code, GUI thread: caught
        caught = list(gui_thread_sql_guard.violations)
        gui_thread_sql_guard.violations.clear()
        assert caught and all("ui/dialogs/export.py" in where for _sql, where in caught)
        task = runner.submit(dataset_version, directory)  # the same code on the worker: fine
        assert runner.wait_idle() and task.error is None
    assert not gui_thread_sql_guard.violations


def test_raw_sqlite3_on_the_gui_thread_is_caught(tmp_path: Path,
                                                 gui_thread_sql_guard: GuiThreadSqlGuard) -> None:
    from pare_desktop.ui.dialogs import files

    conn = sqlite3.connect(tmp_path / "x.sqlite")
    try:
        # stands for UI code: a function whose code object says it comes from pare_desktop/ui
        run = type(files.start_folder)(compile("conn.execute('SELECT 1')", files.__file__, "eval"),
                                       {"conn": conn})
        run()
    finally:
        conn.close()
    caught = list(gui_thread_sql_guard.violations)
    gui_thread_sql_guard.violations.clear()
    assert caught and caught[0][0] == "SELECT 1"
