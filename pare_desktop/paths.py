"""Where the application's files live; resource_path() works from a checkout, an install or a frozen build."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from platformdirs.api import PlatformDirsABC


def resources_dir() -> Path:
    """The resources folder: in the frozen bundle, beside the package (checkout, editable install), or
    <prefix>/share/pare-desktop/resources for an installed wheel (pyproject's data-files)."""
    if getattr(sys, "frozen", False):
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent)) / "resources"
    beside = Path(__file__).resolve().parent.parent / "resources"
    if beside.is_dir():
        return beside
    return Path(sys.prefix) / "share" / "pare-desktop" / "resources"


def resource_path(*parts: str) -> Path:
    """Path of a bundled resource, found the same way in a checkout, a wheel install and the bundle."""
    return resources_dir().joinpath(*parts)


APP_NAME = "pare-desktop"
APP_AUTHOR = "DroitDEnfance"


def default_data_dir(dirs: type[PlatformDirsABC] | None = None) -> Path:
    """The user's data directory (platformdirs; `dirs` picks another platform's rules, for tests): where the
    database and logs live by default. Never roaming on Windows: %LOCALAPPDATA%\\DroitDEnfance\\pare-desktop
    (a SQLite database must not be copied around by roaming profiles)."""
    if dirs is None:
        from platformdirs import PlatformDirs

        dirs = PlatformDirs
    return Path(dirs(APP_NAME, APP_AUTHOR, roaming=False).user_data_dir)


def database_path(data_dir: Path) -> Path:
    return data_dir / "pare.sqlite"


def log_dir(data_dir: Path) -> Path:
    return data_dir / "logs"
