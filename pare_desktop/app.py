"""Composition root of the window: args -> paths -> logging -> Directory -> TaskRunner -> MainWindow."""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from .core.directory import Directory
from .core.errors import PareError
from .core.territories import referential
from .paths import resource_path
from .ui.errors import ErrorPresenter
from .ui.main_window import MainWindow
from .ui.schemes import register_schemes
from .ui.settings import APPLICATION, KEY_PRO, ORGANISATION, app_settings, load_bool
from .ui.tasks import TaskRunner
from .ui.workspace import Workspace

log = logging.getLogger("pare.app")


@dataclass
class Gui:
    """Everything the running window is made of, so tests, screenshots and shutdown can reach it."""

    app: QApplication
    directory: Directory
    runner: TaskRunner
    errors: ErrorPresenter
    window: MainWindow
    workspace: Workspace

    def close(self) -> None:
        self.workspace.shutdown()
        self.window.save_state()
        self.window.close()
        self.runner.shutdown()
        self.errors.uninstall_excepthook()
        self.directory.close()


def prepare_platform() -> None:
    """What must happen before the QApplication exists: the map's URL scheme, the sandbox as root."""
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "QTWEBENGINE_DISABLE_SANDBOX" not in os.environ:
        # Chromium refuses to run its sandbox as root (CI, containers): run the map without it.
        log.warning("running as root: the web engine's sandbox is disabled")
        os.environ["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
    register_schemes()


def install_translations(app: QApplication) -> list[QTranslator]:
    """Qt's own words (OK, Annuler, file dialogs...) in French, and the app's if a catalogue exists.

    Our strings are written in French in the code and pass through tr(): a catalogue for another
    language (resources/translations/pare_<lang>.qm) would be loaded here.
    """
    QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
    installed: list[QTranslator] = []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folder in (("qtbase_fr", qt_dir), ("pare_fr", str(resource_path("translations")))):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            installed.append(translator)
    return installed


def ensure_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        prepare_platform()
        app = QApplication(argv or [sys.argv[0]])
        install_translations(app)
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
    workspace = Workspace(window, directory, runner, settings)
    runner.set_dialog_parent(window)
    if hook:
        errors.install_excepthook()
    window.start(restore=restore)
    return Gui(app, directory, runner, errors, window, workspace)


def run(database: Path, *, pro: bool | None = None) -> int:
    try:
        gui = build_gui(database, pro=pro)
    except PareError as exc:  # busy, newer or not an SQLite file: say it in a window, not only on stderr
        QMessageBox(QMessageBox.Icon.Critical, APPLICATION, exc.message).exec()
        raise
    gui.window.show()
    gui.window.my_territory.ask_first_time()
    log.info("window shown on %s", database)
    try:
        return gui.app.exec()
    finally:
        gui.workspace.shutdown()
        gui.runner.shutdown()
        gui.errors.uninstall_excepthook()
        gui.directory.close()
