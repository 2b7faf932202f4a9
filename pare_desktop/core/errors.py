"""Typed errors of the core: each carries a French message the UI can show as it is."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from .migrations import SCHEMA_VERSION

if TYPE_CHECKING:
    from pare_desktop.core.importers.batch import ImportBatch, Reject


class PareError(Exception):
    """Base of every error the core raises on purpose; `message` is a French sentence for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class DatabaseBusyError(PareError):
    """Another process holds the directory's write lock longer than we wait (an import, a sync...)."""

    def __init__(self) -> None:
        super().__init__("l'annuaire est occupé par une autre opération (import ou synchronisation en "
                         "cours dans une autre fenêtre ou commande) ; réessayez dans un instant.")


class DatabaseFileError(PareError):
    """The database file cannot be used: not an SQLite file, damaged, or written by a newer version."""

    def __init__(self, message: str, *, path: str = "") -> None:
        super().__init__(message)
        self.path = path


_OS_REASONS = {
    "EACCES": "accès refusé", "EPERM": "opération non permise", "ENOENT": "fichier ou dossier introuvable",
    "ENOSPC": "disque plein", "EROFS": "support en lecture seule", "EISDIR": "c'est un dossier",
    "ENOTDIR": "un élément du chemin n'est pas un dossier", "EEXIST": "le fichier existe déjà",
    "ENAMETOOLONG": "nom de fichier trop long", "EMFILE": "trop de fichiers ouverts",
    "EIO": "erreur de lecture ou d'écriture",
    "EBUSY": "fichier occupé", "EDQUOT": "quota disque dépassé", "ETXTBSY": "fichier occupé",
}


def os_reason(exc: OSError) -> str:
    """Why a file operation failed, in French (the system's own text is often English)."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    return _OS_REASONS.get(name, "erreur d'accès au fichier")


class ImportFormatError(PareError):
    """A file that cannot be read at all: unreadable, not JSON, unknown format, missing columns."""

    def __init__(self, message: str, *, path: str = "", line: int | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.line = line


class MissingNameColumn(ImportFormatError):
    """A spreadsheet none of whose headers names the structure: the user can say which column it is."""

    def __init__(self, message: str, *, path: str, headers: list[str]) -> None:
        super().__init__(message, path=path, line=1)
        self.headers = headers


class ImportValidationError(PareError):
    """Some records of an import were rejected and the user did not ask to skip them."""

    def __init__(self, batch: ImportBatch) -> None:
        n = len(batch.rejects)
        first = batch.rejects[0]
        more = f" (et {n - 1} autre(s) problème(s))" if n > 1 else ""
        from pare_desktop.core.text import shorten

        super().__init__(f"{shorten(first.location)}, champ « {shorten(first.field, 40)} » : "
                         f"{shorten(first.reason, 300)}{more}")
        self.batch = batch

    @property
    def rejects(self) -> tuple[Reject, ...]:
        return self.batch.rejects


def require_valid(batch: ImportBatch) -> None:
    """Raise ImportValidationError when the batch holds rejects (the caller's skip_invalid=False path)."""
    if batch.rejects:
        raise ImportValidationError(batch)


class SchemaTooNewError(DatabaseFileError):
    """The file was written by a newer PARÉ Desktop: we refuse to touch it."""

    def __init__(self, path: Path, found: int) -> None:
        super().__init__(
            f"le fichier « {path.name} » a été écrit par une version plus récente de PARÉ Desktop "
            f"(schéma {found}, cette version lit jusqu'au schéma {SCHEMA_VERSION}) : mettez l'application "
            "à jour ; le fichier n'a pas été modifié.", path=str(path))
        self.found = found


def is_locked(exc: BaseException) -> bool:
    """True when `exc` (or what caused it) is SQLite's "database is locked": another writer held on."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, sqlite3.OperationalError) and "locked" in str(seen):
            return True
        seen = seen.__cause__ or getattr(seen, "orig", None)
        if seen is exc:
            break
    return False


class IndexNotStoredError(PareError):
    """Derived data (the search index) could not be stored for lack of disk space; the data is intact."""
