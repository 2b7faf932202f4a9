"""What the lists view shows, read in one go on the worker: the lists, and one list's entries in order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from .records import Structure
from .userdata import ContactListInfo, UserData

#: An entry's state, shown beside its name.
STATE_OK, STATE_LOCAL, STATE_WITHDRAWN, STATE_MISSING = "", "local", "withdrawn", "missing"
STATE_NATIONAL = "national"


class _Source(Protocol):
    @property
    def user(self) -> UserData: ...

    def get_many(self, ids: Sequence[str]) -> list[Structure]: ...


@dataclass(frozen=True, slots=True)
class ListEntry:
    """One structure of a list as the list view shows it."""

    id: str
    name: str
    commune: str
    departement: str
    state: str


@dataclass(frozen=True, slots=True)
class ListsSnapshot:
    """Every list (name, count) and the entries of the current one (None when there is no list)."""

    lists: tuple[ContactListInfo, ...]
    current: int | None
    entries: tuple[ListEntry, ...]


def entry(sid: str, s: Structure | None) -> ListEntry:
    if s is None:
        return ListEntry(sid, "", "", "", STATE_MISSING)
    state = (STATE_WITHDRAWN if s.withdrawn else STATE_LOCAL if s.is_local
             else STATE_NATIONAL if s.is_national else STATE_OK)
    return ListEntry(s.id, s.name, s.commune, s.departement, state)


def snapshot(directory: _Source, select: int | None = None) -> ListsSnapshot:
    """The lists and the entries of `select` (the first list when it is None or gone)."""
    lists = tuple(directory.user.lists())
    ids = {info.id for info in lists}
    current = select if select in ids else (lists[0].id if lists else None)
    if current is None:
        return ListsSnapshot(lists, None, ())
    order = directory.user.list_ids(current)
    found = {s.id: s for s in directory.get_many(order)}
    return ListsSnapshot(lists, current, tuple(entry(sid, found.get(sid)) for sid in order))
