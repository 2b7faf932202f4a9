"""Where the application's files live; resource_path() works from a checkout, an install or a frozen build."""

from __future__ import annotations

import sys
from pathlib import Path


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


def default_data_dir() -> Path:
    """The user's data directory (platformdirs): where the database and logs live by default."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, APP_AUTHOR))


def database_path(data_dir: Path) -> Path:
    return data_dir / "pare.sqlite"


def log_dir(data_dir: Path) -> Path:
    return data_dir / "logs"
