"""Change sets: what an import or a sync hands to the Directory, and what applying one did."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from .errors import PareError
from .records import Structure

#: add / update: the records are added or replaced by id; nothing else leaves the directory.
MODE_ADD = "add"
#: replace the directory: every publisher record absent from the change set leaves it.
MODE_REPLACE = "replace"
MODES = (MODE_ADD, MODE_REPLACE)


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """Publisher records to write and ids to remove, applied in one transaction with the same rules
    whatever brought them (file import or signed feed).

    Records the user has data on are never deleted: they stay, flagged « retirée ».
    """

    upserts: tuple[Structure, ...]
    removals: tuple[str, ...] = ()
    source: str = ""
    mode: str = MODE_ADD
    retire_demo: bool = False
    meta: Mapping[str, str] = field(default_factory=dict)
    #: sync: the dataset hash after this change set (signed manifest); checked before COMMIT.
    expected_hash: str | None = None
    #: sync: the version of meta["dataset_id"] being installed; an older one than trusted is refused.
    trusted_version: int | None = None
    #: imports: keep what the change replaced so that Directory.undo_last_import can restore it.
    undoable: bool = False
    #: upserts that complete records already there (a data·inclusion services file): each one is merged
    #: onto the record of its id as it is when the change is applied, chunk by chunk (never all held
    #: twice); those whose record is not there are skipped and counted `unmatched`.
    merge: Callable[[Structure, Structure], Structure] | None = None
    #: with `merge`: the only columns it reads and changes of the record there (the records it is given
    #: hold those alone, the others empty), so that a completion reads and writes what it changes only
    merge_columns: tuple[str, ...] = ()
    #: a big import: the upserts come from this chunk source instead (`upserts` stays empty), each call
    #: reading the file again and yielding chunks of at most the size asked, no id twice; `stream_size`
    #: is at most how many records it gives (progress, and the size of the index change)
    stream: Callable[[int], Iterator[Sequence[Structure]]] | None = None
    stream_size: int = 0

    def chunks(self, size: int) -> Iterator[Sequence[Structure]]:
        """The upserts, `size` at a time (streamed ones as their source builds them)."""
        if self.stream is not None:
            yield from self.stream(size)
            return
        for i in range(0, len(self.upserts), size):
            yield self.upserts[i : i + size]

    @property
    def size(self) -> int:
        """How many upserts (at most, for a streamed change)."""
        return self.stream_size if self.stream is not None else len(self.upserts)

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"unknown change mode {self.mode!r}")
        if self.merge is not None and self.mode == MODE_REPLACE:
            raise ValueError("a change set that completes records cannot replace the directory")
        if (self.merge is None) != (not self.merge_columns) or "id" in self.merge_columns:
            raise ValueError("a change set that completes records names the columns it completes")
        if self.merge is not None and (self.expected_hash is not None or self.removals):
            raise ValueError("a change set that completes records neither removes nor checks a hash")


@dataclass(frozen=True, slots=True)
class ApplyOutcome:
    """What a change set did (or, for a preview, would do) to the publisher data."""

    source: str
    mode: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0  # rows removed (absent from a replacing file, removed by a delta, retired demo)
    withdrawn: int = 0  # rows that would have been removed but stay, flagged « retirée » (user data)
    demo_retired: int = 0  # demo records retired (deleted, kept withdrawn or superseded)
    superseded: int = 0  # demo records replaced by a record of the change set (user data moved to it)
    absent: int = 0  # publisher records leaving: absent from a replacing file, or removed by a delta
    unmatched: int = 0  # data·inclusion services whose structure is not in the directory
    generation: int = 0
    dry_run: bool = False

    @property
    def removed(self) -> int:
        """Publisher and demo records leaving the live directory (deleted or kept withdrawn)."""
        return self.deleted + self.withdrawn


@dataclass(frozen=True, slots=True)
class UndoOutcome:
    """What undoing the last import restored."""

    source: str
    restored: int  # publisher rows put back as they were
    removed: int  # rows the import had added, removed again
    moved_back: int  # user data entries pointed back at the demo record they had left


class ChangeError(PareError):
    """A change set that cannot be applied as it is; nothing was written."""


class DatasetHashError(ChangeError):
    """The publisher data after the change does not hash to the signed dataset hash."""


class OlderVersionError(ChangeError):
    """A sync would install a version older than one already trusted for the dataset."""

    def __init__(self, offered: int, trusted: int) -> None:
        super().__init__(f"version {offered} plus ancienne que la version {trusted} déjà installée : refusée")
        self.offered = offered
        self.trusted = trusted


class DiskFullError(ChangeError):
    """The disk filled up (or the database refused to grow) while writing: everything was rolled back."""


class NothingToUndoError(ChangeError):
    """No import can be undone (none yet, already undone, or the data changed since)."""
