"""A directory database file through raw sqlite3, read-only: its schema version, its records (pare-publish
can publish from another file; `pare export` reads through reader.py). No SQLAlchemy here."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path, PurePath

from .errors import DatabaseBusyError, DatabaseFileError
from .records import Structure
from .rows import SELECT_COLUMNS, from_values

log = logging.getLogger("pare.db")

#: Ids per `IN (...)` statement: under SQLite's host-parameter limit (999 in older builds). The one place
#: (db.MAX_PARAMS is this one).
MAX_PARAMS = 900

#: How long a connection waits for another process's lock (db.BUSY_TIMEOUT_S starts from it; tests lower
#: that one).
BUSY_TIMEOUT_S = 30.0


def readonly_uri(path: PurePath) -> str:
    """SQLite's read-only URI for an absolute path: percent-encoded (spaces, #, ?, %, accents) and with
    forward slashes and the drive letter on Windows (file:///C:/...), never the raw path pasted in."""
    return f"{path.as_uri()}?mode=ro"


def connect_readonly(path: Path, timeout: float = BUSY_TIMEOUT_S) -> sqlite3.Connection:
    """A read-only connection (mode=ro, query_only), transactions left to the caller (BEGIN ... COMMIT)."""
    conn = sqlite3.connect(readonly_uri(Path(path).resolve()), uri=True, timeout=timeout,
                           isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA query_only=ON")
    return conn


def is_busy_error(exc: BaseException) -> bool:
    """SQLite's "database is locked" / "database is busy" (a raw sqlite3 error)."""
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc))


def not_usable(path: Path, exc: sqlite3.DatabaseError) -> DatabaseFileError:
    log.warning("database %s unusable: %s", path, exc)
    return DatabaseFileError(
        f"le fichier « {path.name} » n'est pas un annuaire PARÉ lisible (ce n'est pas une base SQLite, "
        "ou elle est endommagée) ; il n'a pas été modifié. Choisissez un autre dossier de données "
        "(--data-dir) ou restaurez une sauvegarde.", path=str(path))


def schema_version(path: Path, timeout: float = BUSY_TIMEOUT_S) -> int:
    """The file's PRAGMA user_version (read only); DatabaseFileError when it is not an SQLite database."""
    conn = sqlite3.connect(path, timeout=timeout)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.OperationalError as exc:
        if is_busy_error(exc):
            raise DatabaseBusyError() from exc
        if "unable to open" in str(exc):
            raise DatabaseFileError(f"impossible d'ouvrir le fichier « {path.name} » (droits d'accès ?).",
                                    path=str(path)) from exc
        raise not_usable(path, exc) from exc
    except sqlite3.DatabaseError as exc:  # "file is not a database", "database disk image is malformed"
        raise not_usable(path, exc) from exc
    finally:
        conn.close()


def read_records(path: Path) -> list[Structure]:
    """Every publisher and local record of a directory database, the file left untouched."""
    conn = connect_readonly(path)
    try:
        conn.execute("BEGIN")
        return [from_values(v) for table in ("structure", "local_structure")
                for v in conn.execute(f"SELECT {SELECT_COLUMNS} FROM {table}")]
    finally:
        conn.close()
