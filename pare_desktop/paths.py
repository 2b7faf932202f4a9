"""Where the application's files live; resource_path() works from a checkout, an install or a frozen build."""

from __future__ import annotations

import sys
from pathlib import Path


def resource_path(*parts: str) -> Path:
    """Path of a bundled resource: <_MEIPASS>/resources/... when frozen, else <project>/resources/...."""
    if getattr(sys, "frozen", False):
        base = Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))
    else:
        base = Path(__file__).resolve().parent.parent
    return base.joinpath("resources", *parts)


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
