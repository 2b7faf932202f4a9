"""Database rows to records, typed for mypy (RowMapping is not a Mapping[str, Any] to it)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from sqlalchemy import Row

from pare_desktop.core import store
from pare_desktop.core.records import Structure


def as_structure(row: Row[Any]) -> Structure:
    return store.from_row(cast("Mapping[str, Any]", row._mapping))
