"""The user's own data: favourites, notes, contact lists, local structures, queued error reports."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Engine, Table, delete, func, insert, select, update

from . import db
from .models import ContactList, ContactListItem, ErrorReport, Favourite, Note
from .records import ORIGIN_LOCAL, Structure, make_id
from .store import LOCAL, bump_generation, from_row, select_structures, to_row

FAV: Table = Favourite.__table__  # type: ignore[assignment]
NOTE: Table = Note.__table__  # type: ignore[assignment]
LIST: Table = ContactList.__table__  # type: ignore[assignment]
ITEM: Table = ContactListItem.__table__  # type: ignore[assignment]
REPORT: Table = ErrorReport.__table__  # type: ignore[assignment]


class ListNameError(ValueError):
    """A contact list name that is empty or already taken."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{reason}: {name!r}")
        self.name = name
        self.reason = reason  # "empty" or "taken"


@dataclass(frozen=True, slots=True)
class ContactListInfo:
    id: int
    name: str
    count: int


@dataclass(frozen=True, slots=True)
class ReportInfo:
    id: int
    structure_id: str
    structure_name: str
    message: str
    created_at: datetime
    sent_at: datetime | None


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


class UserData:
    """User rows live in their own tables and are keyed by structure id text: sync never reaches them."""

    def __init__(self, engine: Engine, on_local_change: Callable[[], None]) -> None:
        self._engine = engine
        self._on_local_change = on_local_change

    # --- favourites -----------------------------------------------------------------------------------
    def favourite_ids(self) -> frozenset[str]:
        with db.read(self._engine) as c:
            return frozenset(c.execute(select(FAV.c.structure_id)).scalars())

    def is_favourite(self, structure_id: str) -> bool:
        with db.read(self._engine) as c:
            return (
                c.execute(select(FAV.c.structure_id).where(FAV.c.structure_id == structure_id)).first()
                is not None
            )

    def set_favourite(self, structure_id: str, on: bool) -> None:
        with db.write(self._engine) as c:
            c.execute(delete(FAV).where(FAV.c.structure_id == structure_id))
            if on:
                c.execute(insert(FAV).values(structure_id=structure_id, created_at=_now()))

    # --- notes ----------------------------------------------------------------------------------------
    def note(self, structure_id: str) -> str:
        with db.read(self._engine) as c:
            text = c.execute(
                select(NOTE.c.text).where(NOTE.c.structure_id == structure_id)
            ).scalar_one_or_none()
            return text or ""

    def notes(self) -> dict[str, str]:
        with db.read(self._engine) as c:
            return {r.structure_id: r.text for r in c.execute(select(NOTE.c.structure_id, NOTE.c.text))}

    def set_note(self, structure_id: str, text: str) -> None:
        """Save a note as typed; an empty note removes it."""
        with db.write(self._engine) as c:
            c.execute(delete(NOTE).where(NOTE.c.structure_id == structure_id))
            if text.strip():
                c.execute(insert(NOTE).values(structure_id=structure_id, text=text, updated_at=_now()))

    # --- contact lists --------------------------------------------------------------------------------
    def lists(self) -> list[ContactListInfo]:
        count = select(func.count()).where(ITEM.c.list_id == LIST.c.id).scalar_subquery()
        with db.read(self._engine) as c:
            rows = c.execute(select(LIST.c.id, LIST.c.name, count).order_by(LIST.c.position, LIST.c.id))
            return [ContactListInfo(r[0], r[1], r[2]) for r in rows]

    def list_by_name(self, name: str) -> ContactListInfo | None:
        for info in self.lists():
            if info.name.casefold() == name.strip().casefold():
                return info
        return None

    def _check_name(self, name: str, exclude: int | None = None) -> str:
        clean = " ".join(name.split())
        if not clean:
            raise ListNameError(name, "empty")
        for info in self.lists():
            if info.id != exclude and info.name.casefold() == clean.casefold():
                raise ListNameError(clean, "taken")
        return clean

    def create_list(self, name: str) -> int:
        clean = self._check_name(name)
        with db.write(self._engine) as c:
            pos = c.execute(select(func.coalesce(func.max(LIST.c.position), 0))).scalar_one() + 1
            res = c.execute(insert(LIST).values(name=clean, position=pos, created_at=_now()))
            return int(res.inserted_primary_key[0])  # type: ignore[index]

    def rename_list(self, list_id: int, name: str) -> None:
        clean = self._check_name(name, exclude=list_id)
        with db.write(self._engine) as c:
            c.execute(update(LIST).where(LIST.c.id == list_id).values(name=clean))

    def duplicate_list(self, list_id: int, name: str) -> int:
        new_id = self.create_list(name)
        self.add_to_list(new_id, self.list_ids(list_id))
        return new_id

    def delete_list(self, list_id: int) -> None:
        with db.write(self._engine) as c:
            c.execute(delete(ITEM).where(ITEM.c.list_id == list_id))
            c.execute(delete(LIST).where(LIST.c.id == list_id))

    def list_ids(self, list_id: int) -> list[str]:
        with db.read(self._engine) as c:
            stmt = select(ITEM.c.structure_id).where(ITEM.c.list_id == list_id).order_by(ITEM.c.position)
            return list(c.execute(stmt).scalars())

    def add_to_list(self, list_id: int, ids: Iterable[str]) -> int:
        """Append structures not yet in the list; returns how many were added."""
        current = self.list_ids(list_id)
        present = set(current)
        new = [x for x in dict.fromkeys(ids) if x not in present]
        with db.write(self._engine) as c:
            for offset, sid in enumerate(new):
                c.execute(
                    insert(ITEM).values(list_id=list_id, structure_id=sid, position=len(current) + offset)
                )
        return len(new)

    def remove_from_list(self, list_id: int, ids: Iterable[str]) -> None:
        with db.write(self._engine) as c:
            c.execute(delete(ITEM).where(ITEM.c.list_id == list_id, ITEM.c.structure_id.in_(list(ids))))

    def move_in_list(self, list_id: int, structure_id: str, new_index: int) -> None:
        order = [x for x in self.list_ids(list_id) if x != structure_id]
        order.insert(max(0, min(new_index, len(order))), structure_id)
        with db.write(self._engine) as c:
            for pos, sid in enumerate(order):
                c.execute(
                    update(ITEM)
                    .where(ITEM.c.list_id == list_id, ITEM.c.structure_id == sid)
                    .values(position=pos)
                )

    def set_order(self, list_id: int, ids: Iterable[str]) -> None:
        """Save a whole new order at once (after a drag): one transaction, ids not in the list ignored."""
        order = list(dict.fromkeys(ids))
        rest = [x for x in self.list_ids(list_id) if x not in set(order)]
        with db.write(self._engine) as c:
            for pos, sid in enumerate(order + rest):
                c.execute(
                    update(ITEM)
                    .where(ITEM.c.list_id == list_id, ITEM.c.structure_id == sid)
                    .values(position=pos)
                )

    # --- local structures -----------------------------------------------------------------------------
    def local_structures(self) -> list[Structure]:
        with db.read(self._engine) as c:
            return [from_row(r._mapping) for r in c.execute(select_structures(LOCAL))]

    def save_local(self, s: Structure) -> Structure:
        """Create or update a local structure; a new one gets an id "local:<uuid>"."""
        if not s.id or not s.id.startswith("local:"):
            sid = uuid.uuid4().hex[:12]
            s = replace(s, id=make_id("local", sid), source="local", source_id=sid)
        s = replace(s, origin=ORIGIN_LOCAL, withdrawn=False)
        now = _now()
        with db.write(self._engine) as c:
            existed = c.execute(select(LOCAL.c.created_at).where(LOCAL.c.id == s.id)).scalar_one_or_none()
            c.execute(delete(LOCAL).where(LOCAL.c.id == s.id))
            c.execute(insert(LOCAL).values(**to_row(s), created_at=existed or now, modified_at=now))
            bump_generation(c, publisher=False)
        self._on_local_change()
        return s

    def save_locals(self, records: Iterable[Structure]) -> int:
        """Import many local structures in one transaction (a coordinator's own contacts)."""
        now = _now()
        n = 0
        with db.write(self._engine) as c:
            for s in records:
                s = replace(s, origin=ORIGIN_LOCAL, withdrawn=False)
                if not s.id.startswith("local:"):
                    s = replace(s, id=make_id("local", f"{s.source}-{s.source_id}"))
                c.execute(delete(LOCAL).where(LOCAL.c.id == s.id))
                c.execute(insert(LOCAL).values(**to_row(s), created_at=now, modified_at=now))
                n += 1
            bump_generation(c, publisher=False)
        self._on_local_change()
        return n

    def delete_local(self, structure_id: str) -> None:
        with db.write(self._engine) as c:
            c.execute(delete(LOCAL).where(LOCAL.c.id == structure_id))
            bump_generation(c, publisher=False)
        self._on_local_change()

    # --- error reports --------------------------------------------------------------------------------
    def queue_report(self, structure_id: str, structure_name: str, message: str) -> int:
        with db.write(self._engine) as c:
            res = c.execute(
                insert(REPORT).values(
                    structure_id=structure_id,
                    structure_name=structure_name,
                    message=message,
                    created_at=_now(),
                )
            )
            return int(res.inserted_primary_key[0])  # type: ignore[index]

    def reports(self, pending_only: bool = True) -> list[ReportInfo]:
        stmt = select(REPORT).order_by(REPORT.c.id)
        if pending_only:
            stmt = stmt.where(REPORT.c.sent_at.is_(None))
        with db.read(self._engine) as c:
            return [
                ReportInfo(r.id, r.structure_id, r.structure_name, r.message, r.created_at, r.sent_at)
                for r in c.execute(stmt)
            ]

    def mark_reports_sent(self, ids: Iterable[int]) -> None:
        with db.write(self._engine) as c:
            c.execute(update(REPORT).where(REPORT.c.id.in_(list(ids))).values(sent_at=_now()))
