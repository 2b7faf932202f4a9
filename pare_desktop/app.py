"""Composition root of the window: args -> paths -> logging -> Directory -> TaskRunner -> MainWindow."""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from .core.directory import Directory
from .core.territories import referential
from .ui.errors import ErrorPresenter
from .ui.main_window import MainWindow
from .ui.pyside_fixes import keep_singletons_alive
from .ui.settings import APPLICATION, KEY_PRO, ORGANISATION, app_settings, load_bool
from .ui.tasks import TaskRunner

log = logging.getLogger("pare.app")


@dataclass
class Gui:
    """Everything the running window is made of, so tests, screenshots and shutdown can reach it."""

    app: QApplication
    directory: Directory
    runner: TaskRunner
    errors: ErrorPresenter
    window: MainWindow

    def close(self) -> None:
        self.window.save_state()
        self.window.close()
        self.runner.shutdown()
        self.errors.uninstall_excepthook()
        self.directory.close()


def ensure_app(argv: list[str] | None = None) -> QApplication:
    keep_singletons_alive()
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv or [sys.argv[0]])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APPLICATION)
    return app


def build_gui(database: Path, *, pro: bool | None = None, settings: QSettings | None = None,
              restore: bool = True, hook: bool = True) -> Gui:
    """Open the directory and build the window (not shown). `pro=None` takes the saved setting."""
    app = ensure_app()
    settings = settings or app_settings()
    pro_mode = load_bool(settings, KEY_PRO) if pro is None else pro
    directory = Directory.open(database, pro_mode=pro_mode)
    window_ref: list[MainWindow] = []
    errors = ErrorPresenter(lambda: window_ref[0] if window_ref else None)
    runner = TaskRunner(error_handler=errors.report)
    window = MainWindow(directory, runner, referential(), settings, errors)
    window_ref.append(window)
    runner.set_dialog_parent(window)
    if hook:
        errors.install_excepthook()
    window.start(restore=restore)
    return Gui(app, directory, runner, errors, window)


def run(database: Path, *, pro: bool | None = None) -> int:
    gui = build_gui(database, pro=pro)
    gui.window.show()
    log.info("window shown on %s", database)
    try:
        return gui.app.exec()
    finally:
        gui.runner.shutdown()
        gui.errors.uninstall_excepthook()
        gui.directory.close()
