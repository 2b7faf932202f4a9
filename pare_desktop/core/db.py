"""The SQLite engine: pragmas, explicit transactions, schema upgrades with a backup first."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError

from . import dbfile
from .errors import DatabaseBusyError, SchemaTooNewError
from .migrations import SCHEMA_VERSION, STEPS

#: Ids per `IN (...)` statement: under SQLite's host-parameter limit (999 in older builds). The one place.
MAX_PARAMS = dbfile.MAX_PARAMS

log = logging.getLogger("pare.db")

#: How long a write waits for another process's write lock before DatabaseBusyError (tests lower it).
BUSY_TIMEOUT_S = dbfile.BUSY_TIMEOUT_S


def is_busy(exc: BaseException) -> bool:
    """SQLite's "database is locked" / "database is busy", raw or wrapped by SQLAlchemy."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    return orig is not None and dbfile.is_busy_error(orig)


@dataclass(frozen=True, slots=True)
class UpgradeOutcome:
    from_version: int
    to_version: int
    backup: Path | None


def create_db_engine(path: Path) -> Engine:
    """An engine on one SQLite file: WAL, foreign keys, synchronous=FULL, transactions we control.

    pysqlite's own transaction handling is turned off (isolation_level=None) so that every transaction
    starts with an explicit BEGIN: DEFERRED for reads, IMMEDIATE for writes (see `write()`).
    """
    timeout = BUSY_TIMEOUT_S
    # URL.create, not an "sqlite:///..." string: a path with ?, # or %xx (any OS) is never parsed as a URL.
    url = URL.create("sqlite", database=str(path))
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": timeout})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


@contextmanager
def write(engine: Engine) -> Iterator[Connection]:
    """One write transaction (BEGIN IMMEDIATE ... COMMIT); any exception rolls it back.

    Another process's write lock held past BUSY_TIMEOUT_S raises DatabaseBusyError (nothing written).
    """
    try:
        with engine.connect() as conn:
            conn.execution_options(sqlite_begin="IMMEDIATE")
            with conn.begin():
                yield conn
    except (DBAPIError, sqlite3.OperationalError) as exc:
        if is_busy(exc):
            raise DatabaseBusyError() from exc
        raise


@contextmanager
def read(engine: Engine) -> Iterator[Connection]:
    """One read transaction: a consistent snapshot (WAL) that never blocks writers."""
    with engine.connect() as conn, conn.begin():
        yield conn


def schema_version(path: Path) -> int:
    """The file's PRAGMA user_version (read only); DatabaseFileError when it is not an SQLite database."""
    return dbfile.schema_version(path, BUSY_TIMEOUT_S)


def backup_file(path: Path, version: int) -> Path:
    """A consistent copy of the database (SQLite backup API, safe while it is open) beside it."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.v{version}-{stamp}.bak.sqlite")
    src = sqlite3.connect(path)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


def upgrade(path: Path) -> UpgradeOutcome:
    """Bring the file to SCHEMA_VERSION: back it up, then apply every missing step in one transaction."""
    found = schema_version(path) if path.exists() else 0
    if found > SCHEMA_VERSION:
        raise SchemaTooNewError(path, found)
    if found == SCHEMA_VERSION:
        return UpgradeOutcome(found, found, None)
    backup = backup_file(path, found) if found > 0 else None
    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_S)
    try:
        _upgrade_steps(conn, found)
    except sqlite3.OperationalError as exc:
        if is_busy(exc):
            raise DatabaseBusyError() from exc
        raise
    finally:
        conn.close()
    if backup:
        log.info("database upgraded from v%s to v%s; backup at %s", found, SCHEMA_VERSION, backup)
    return UpgradeOutcome(found, SCHEMA_VERSION, backup)


def _upgrade_steps(conn: sqlite3.Connection, found: int) -> None:
    """Every missing step and the new user_version, in one transaction."""
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("BEGIN IMMEDIATE")
    try:
        for step in STEPS[found:]:
            for statement in _statements(step):
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def integrity_ok(path: Path) -> bool:
    with sqlite3.connect(path) as conn:
        return bool(conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok")
