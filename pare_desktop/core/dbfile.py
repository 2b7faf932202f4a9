"""Another directory database file read as records, read-only (pare-publish can publish from one)."""

from __future__ import annotations

import sqlite3
from pathlib import Path, PurePath

from sqlalchemy import create_engine

from . import store
from .records import Structure


def readonly_uri(path: PurePath) -> str:
    """SQLite's read-only URI for an absolute path: percent-encoded (spaces, #, ?, %, accents) and with
    forward slashes and the drive letter on Windows (file:///C:/...), never the raw path pasted in."""
    return f"{path.as_uri()}?mode=ro"


def read_records(path: Path) -> list[Structure]:
    """Every publisher and local record of a directory database, the file left untouched."""
    uri = readonly_uri(Path(path).resolve())
    engine = create_engine(
        "sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False))
    try:
        with engine.connect() as c:
            return store.load_all(c, store.STRUCTURE) + store.load_all(c, store.LOCAL)
    finally:
        engine.dispose()
