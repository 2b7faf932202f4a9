"""The directory read without its search index, for quick commands (`pare export` of everything): raw
sqlite3, read-only, no SQLAlchemy, no numpy. It gives what `Directory.search` + `get_many` give for an
empty query: the same records, the same privacy rule, the same order (name order)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from . import dbfile
from .errors import DatabaseBusyError, SchemaTooNewError
from .migrations import SCHEMA_VERSION
from .records import ORIGIN_REFERENCE, VISIBILITY_PUBLIC, Structure
from .rows import SELECT_COLUMNS, from_values
from .text import fold_letters

_PACKING_SEPARATOR = "\x1f"  # search.build folds it to a space in the names it sorts
_RS = "\x1d"  # between names folded in one pass (search.build._fold_many)


def supersede_reference(records: list[Structure]) -> list[Structure]:
    """Drop the app's reference national lines when real data lists the same numbers itself."""
    numbers = {p.number for s in records if s.origin != ORIGIN_REFERENCE for p in s.phones}
    return [s for s in records if s.origin != ORIGIN_REFERENCE or not {p.number for p in s.phones} <= numbers]


def by_name(records: list[Structure]) -> list[Structure]:
    """The search's name order (search.build.build_arrays sorts its rows so): folded name, then id.

    The names are folded in one pass over their concatenation, as the index folds them (much faster)."""
    names = [s.name for s in records]
    joined = _RS.join(names)
    if joined.count(_RS) == max(len(names) - 1, 0):
        folded = fold_letters(joined).replace(_PACKING_SEPARATOR, " ").split(_RS)
    else:
        folded = [fold_letters(n).replace(_PACKING_SEPARATOR, " ") for n in names]
    order = sorted(range(len(records)), key=lambda i: (folded[i], records[i].id))
    return [records[i] for i in order]


class DirectoryReader:
    """One consistent read (a WAL snapshot: never waits for a writer) of a directory database."""

    def __init__(self, path: Path, conn: sqlite3.Connection, pro_mode: bool) -> None:
        self.path = path
        self._conn = conn
        self.pro_mode = pro_mode

    @classmethod
    def open(cls, path: Path, *, pro_mode: bool = False) -> DirectoryReader | None:
        """The file read-only; None when it must first be created, upgraded or seeded (Directory.open).

        A file that is not SQLite, or that a newer version wrote, is refused as Directory.open refuses it.
        """
        if not path.is_file():
            return None
        found = dbfile.schema_version(path)
        if found > SCHEMA_VERSION:
            raise SchemaTooNewError(path, found)
        if found < SCHEMA_VERSION:
            return None
        try:
            conn = dbfile.connect_readonly(path)
        except sqlite3.Error:  # the Directory opens it, or says why it cannot
            return None
        try:
            conn.execute("BEGIN")
            seeded = conn.execute("SELECT value FROM meta WHERE key = 'seeded'").fetchone()
        except sqlite3.Error as exc:  # e.g. no -shm file and a read-only folder: the Directory's turn
            conn.close()
            if dbfile.is_busy_error(exc):
                raise DatabaseBusyError() from exc
            return None
        except BaseException:
            conn.close()
            raise
        if seeded is None or seeded[0] != "1":
            conn.close()
            return None
        return cls(path, conn, pro_mode)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> DirectoryReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def meta(self, key: str, default: str = "") -> str:
        with _errors(self.path):
            row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return default if row is None else str(row[0])

    def dataset_version(self) -> str:
        """What an export says of the data: the feed version, « démonstration », or nothing."""
        version = self.meta("version")
        if version:
            return str(int(version))
        return "démonstration" if self.meta("demo") == "1" else ""

    def all_visible(self) -> list[Structure]:
        """What `Directory.search(SearchQuery())` then `get_many` give: every record the search sees in
        this mode (withdrawn and closed ones included), by name, each as this mode may see it."""
        publisher = supersede_reference(self._load("structure"))
        records = [*publisher, *self._load("local_structure")]
        if not self.pro_mode:
            records = [s.for_public() for s in records if s.visibility == VISIBILITY_PUBLIC]
        return by_name(records)

    def get_many(self, ids: Sequence[str]) -> list[Structure]:
        """What `Directory.get_many` gives: records in the order asked (unknown ids skipped), pro-only ones
        hidden outside pro mode, each as this mode may see it."""
        by_id: dict[str, Structure] = {}
        for table in ("structure", "local_structure"):
            for i in range(0, len(ids), dbfile.MAX_PARAMS):
                part = tuple(ids[i : i + dbfile.MAX_PARAMS])
                where = f" WHERE id IN ({','.join('?' * len(part))})"
                by_id.update((s.id, s) for s in self._load(table, where, part))
        found = [by_id[x] for x in ids if x in by_id]
        if self.pro_mode:
            return found
        return [s.for_public() for s in found if s.visibility == VISIBILITY_PUBLIC]

    # --- the user's lists and favourites (userdata.UserData reads them the same way) -----------------
    def lists(self) -> list[tuple[int, str]]:
        """(id, name) of every contact list, in the user's order."""
        with _errors(self.path):
            return [(int(r[0]), str(r[1])) for r in
                    self._conn.execute("SELECT id, name FROM contact_list ORDER BY position, id")]

    def list_by_name(self, name: str) -> tuple[int, str] | None:
        """(id, name) of the list called `name`, case ignored (as UserData.list_by_name)."""
        wanted = name.strip().casefold()
        return next(((i, n) for i, n in self.lists() if n.casefold() == wanted), None)

    def list_ids(self, list_id: int) -> list[str]:
        """The structure ids of a list, in the user's order."""
        with _errors(self.path):
            return [str(r[0]) for r in self._conn.execute(
                "SELECT structure_id FROM contact_list_item WHERE list_id = ? ORDER BY position", (list_id,))]

    def favourite_ids(self) -> frozenset[str]:
        with _errors(self.path):
            return frozenset(str(r[0]) for r in self._conn.execute("SELECT structure_id FROM favourite"))

    def _load(self, table: str, where: str = "", params: tuple[str, ...] = ()) -> list[Structure]:
        with _errors(self.path):
            return [from_values(v) for v in
                    self._conn.execute(f"SELECT {SELECT_COLUMNS} FROM {table}{where}", params)]


@contextmanager
def _errors(path: Path) -> Iterator[None]:
    """sqlite3 errors as the core's French ones (busy, not a readable directory)."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        if dbfile.is_busy_error(exc):
            raise DatabaseBusyError() from exc
        raise dbfile.not_usable(path, exc) from exc
    except sqlite3.DatabaseError as exc:
        raise dbfile.not_usable(path, exc) from exc
