"""The sync history: one row per attempt, whatever its outcome, in its own small transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, Table, desc, insert, select

from . import db
from .models import SyncHistory

HISTORY: Table = SyncHistory.__table__  # type: ignore[assignment]
UPDATED, UP_TO_DATE, FAILED, CANCELLED = "updated", "up_to_date", "failed", "cancelled"


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One sync attempt."""

    started_at: datetime
    finished_at: datetime | None
    outcome: str
    from_version: int | None
    to_version: int | None
    bytes_downloaded: int
    message: str


def append(engine: Engine, entry: HistoryEntry) -> None:
    with db.write(engine) as c:
        c.execute(
            insert(HISTORY).values(
                started_at=entry.started_at,
                finished_at=entry.finished_at,
                outcome=entry.outcome,
                from_version=entry.from_version,
                to_version=entry.to_version,
                bytes_downloaded=entry.bytes_downloaded,
                message=entry.message,
            )
        )


def entries(engine: Engine, limit: int = 500) -> list[HistoryEntry]:
    """The latest attempts first."""
    with db.read(engine) as c:
        rows = c.execute(select(HISTORY).order_by(desc(HISTORY.c.id)).limit(limit))
        return [
            HistoryEntry(
                r.started_at,
                r.finished_at,
                r.outcome,
                r.from_version,
                r.to_version,
                r.bytes_downloaded,
                r.message,
            )
            for r in rows
        ]


def last_success(engine: Engine) -> datetime | None:
    with db.read(engine) as c:
        stmt = select(HISTORY.c.finished_at).where(HISTORY.c.outcome.in_((UPDATED, UP_TO_DATE)))
        value = c.execute(stmt.order_by(desc(HISTORY.c.id)).limit(1)).scalar_one_or_none()
        return value if isinstance(value, datetime) else None
