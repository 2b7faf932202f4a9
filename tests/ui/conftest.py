"""UI test fixtures: Qt warnings fail tests, settings in a temporary place, a real directory file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from pare_desktop.ui.schemes import register_schemes

from .sql_guard import GuiThreadSqlGuard

# QtWebEngine needs its URL schemes registered before any QApplication exists: conftest runs first.
register_schemes()

#: Known harmless noise (Chromium, offscreen platform): anything else Qt warns about fails the test.
HARMLESS_QT_MESSAGES = (
    r".*[Vv]ulkan.*",
    r".*GBM.*",
    r".*QRhi.*",
    r".*RHI.*",
    r".*dbus.*",
    r".*GPUInfo.*",
    r".*[Ss]andbox.*",
    r"This plugin does not support propagateSizeHints.*",
    r"This plugin does not support raise\(\)",
    r"This plugin does not support grabbing the keyboard",
    r"QFont::setPointSize.*",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
            item.add_marker(pytest.mark.qt_log_ignore(*HARMLESS_QT_MESSAGES))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "gui_sql_allowed(*places, reason): UI code under these places (e.g. 'ui/sync/') may still run SQL "
        "on the GUI thread — a known debt, listed so that it is paid, never a way to hide new code",
    )


@pytest.fixture(autouse=True)
def gui_thread_sql_guard(request: pytest.FixtureRequest) -> Iterator[GuiThreadSqlGuard]:
    """Fails the test when UI code ran SQL on the GUI thread (widgets go through the TaskRunner)."""
    allowed: tuple[str, ...] = ()
    for mark in request.node.iter_markers("gui_sql_allowed"):
        allowed += tuple(mark.args)
    guard = GuiThreadSqlGuard(allowed=allowed)
    guard.install()
    try:
        yield guard
    finally:
        guard.uninstall()
    assert not guard.violations, guard.report()


@pytest.fixture(autouse=True, scope="session")
def _temp_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """QSettings never touch the real user's: every scope and format points into a temp folder."""
    root = tmp_path_factory.mktemp("qsettings")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(root / "user"))
        QSettings.setPath(fmt, QSettings.Scope.SystemScope, str(root / "system"))
    yield


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    """A fresh settings file for one test."""
    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def runner(qapp: object) -> Iterator[object]:
    from pare_desktop.ui.tasks import TaskRunner

    r = TaskRunner()
    yield r
    r.shutdown()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "pare.sqlite"


@pytest.fixture
def make_gui(qapp: object, settings: QSettings) -> Iterator[object]:
    """Build the real window on a real SQLite file; every window built is closed at the end."""
    from pare_desktop.app import build_gui

    built: list[object] = []

    def make(path: Path, **kw: object) -> object:
        kw.setdefault("settings", settings)
        kw.setdefault("hook", False)
        gui = build_gui(path, **kw)  # type: ignore[arg-type]
        gui.window.resize(1366, 768)
        gui.window.show()
        gui.runner.wait_idle()
        built.append(gui)
        return gui

    yield make
    for gui in built:
        gui.errors.close_all()  # type: ignore[attr-defined]
        gui.close()  # type: ignore[attr-defined]


@pytest.fixture
def gui(make_gui: object, db_path: Path) -> object:
    return make_gui(db_path)  # type: ignore[operator]
