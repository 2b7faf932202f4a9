"""Another directory database file read as records, read-only (pare-publish can publish from one)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine

from . import store
from .records import Structure


def read_records(path: Path) -> list[Structure]:
    """Every publisher and local record of a directory database, the file left untouched."""
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        with engine.connect() as c:
            return store.load_all(c, store.STRUCTURE) + store.load_all(c, store.LOCAL)
    finally:
        engine.dispose()
