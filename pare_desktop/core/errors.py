"""Typed errors of the core: each carries a French message the UI can show as it is."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pare_desktop.core.importers.batch import ImportBatch, Reject


class PareError(Exception):
    """Base of every error the core raises on purpose; `message` is a French sentence for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ImportFormatError(PareError):
    """A file that cannot be read at all: unreadable, not JSON, unknown format, missing columns."""

    def __init__(self, message: str, *, path: str = "", line: int | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.line = line


class ImportValidationError(PareError):
    """Some records of an import were rejected and the user did not ask to skip them."""

    def __init__(self, batch: ImportBatch) -> None:
        n = len(batch.rejects)
        first = batch.rejects[0]
        more = f" (et {n - 1} autre(s) problème(s))" if n > 1 else ""
        super().__init__(f"{first.location}, champ « {first.field} » : {first.reason}{more}")
        self.batch = batch

    @property
    def rejects(self) -> tuple[Reject, ...]:
        return self.batch.rejects


def require_valid(batch: ImportBatch) -> None:
    """Raise ImportValidationError when the batch holds rejects (the caller's skip_invalid=False path)."""
    if batch.rejects:
        raise ImportValidationError(batch)


class DiskFullError(PareError):
    """Derived data (the search index) could not be stored for lack of disk space; the data is intact."""
