"""A test guard: any SQL statement issued on the GUI thread from code in pare_desktop/ui is recorded.

Two hooks: SQLAlchemy's `before_cursor_execute` on every Engine, and a trace callback on every sqlite3
connection opened while the guard is on (raw sqlite3 use included).

The composition root (app.py opening the Directory before the window exists) and test code setting up
data are not UI code; a widget, model or controller reaching the database from the GUI thread is.
"""

from __future__ import annotations

import sqlite3
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

import pare_desktop

UI_DIR = str(Path(pare_desktop.__file__).parent / "ui")


@dataclass
class GuiThreadSqlGuard:
    """Collects (statement, UI frame) for every statement run on the main thread below UI code."""

    allowed: tuple[str, ...] = ()  # places ("ui/sync/") whose SQL is a known, listed debt
    _connect: Any = None
    violations: list[tuple[str, str]] = field(default_factory=list)
    enabled: bool = True

    def check(self, statement: str) -> None:
        if not self.enabled or threading.current_thread() is not threading.main_thread():
            return
        frame = sys._getframe(1)
        while frame is not None:
            filename = frame.f_code.co_filename
            if filename.startswith(UI_DIR):
                place = filename[len(UI_DIR) - 2:]
                if self.allowed and f"{place} in {frame.f_code.co_name}".startswith(self.allowed):
                    return
                where = f"{place}:{frame.f_lineno} in {frame.f_code.co_name}"
                self.violations.append((statement.split("\n")[0][:80], where))
                return
            frame = frame.f_back  # type: ignore[assignment]

    def install(self) -> None:
        event.listen(Engine, "before_cursor_execute", self._listener)
        original = self._connect = sqlite3.connect

        def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
            conn = original(*args, **kwargs)
            conn.set_trace_callback(self.check)
            return conn

        sqlite3.connect = connect  # type: ignore[assignment]

    def uninstall(self) -> None:
        event.remove(Engine, "before_cursor_execute", self._listener)
        sqlite3.connect = self._connect  # type: ignore[assignment]

    def _listener(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.check(statement)

    def report(self) -> str:
        seen = dict.fromkeys(f"  {where}: {sql}" for sql, where in self.violations)
        return "SQL run on the GUI thread from UI code:\n" + "\n".join(seen)
