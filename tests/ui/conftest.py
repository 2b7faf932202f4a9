"""UI test fixtures: Qt warnings fail tests, settings in a temporary place, a real directory file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

#: Known harmless noise (Chromium, offscreen platform): anything else Qt warns about fails the test.
HARMLESS_QT_MESSAGES = (
    r".*[Vv]ulkan.*",
    r".*GBM.*",
    r".*[Rr]hi.*",
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
