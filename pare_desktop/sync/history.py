"""The sync history, read and written through the Directory (the core owns the table)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from pare_desktop.core.synclog import CANCELLED, FAILED, UP_TO_DATE, UPDATED, HistoryEntry

if TYPE_CHECKING:
    from pare_desktop.core.directory import Directory

__all__ = [
    "CANCELLED",
    "FAILED",
    "UPDATED",
    "UP_TO_DATE",
    "HistoryEntry",
    "append",
    "entries",
    "last_success",
]


def append(directory: Directory, entry: HistoryEntry) -> None:
    directory.record_sync(entry)


def entries(directory: Directory, limit: int = 500) -> list[HistoryEntry]:
    """The latest attempts first."""
    return directory.sync_history(limit)


def last_success(directory: Directory) -> datetime | None:
    return directory.last_sync_success()
