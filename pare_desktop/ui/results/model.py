"""The results table model: holds ids only, fetches records by pages on the worker, renders lazily."""

from __future__ import annotations

import html
from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from ...core import hours, vocabulary
from ...core.records import SORT_DISTANCE, SORT_NAME, SORT_RELEVANCE, SORT_UPDATED, Structure
from ...core.search.results import ResultRows
from ...core.territories import Referential
from .. import plain
from ..detail import present
from ..tasks import TaskRunner

COL_FAVOURITE, COL_NAME, COL_TYPE, COL_PLACE, COL_DISTANCE, COL_OPEN, COL_BADGES = range(7)
COLUMN_COUNT = 7

ID_ROLE = Qt.ItemDataRole.UserRole + 1
STRUCTURE_ROLE = Qt.ItemDataRole.UserRole + 2
BADGES_ROLE = Qt.ItemDataRole.UserRole + 3  # list[present.Badge]
OPEN_ROLE = Qt.ItemDataRole.UserRole + 4  # True / False / None

#: The roles data() answers; a view asks ~10 roles a cell, half of them answered None at once.
_ROLES = frozenset(int(r) for r in (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.FontRole,
    Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.AccessibleTextRole,
    ID_ROLE, STRUCTURE_ROLE, BADGES_ROLE, OPEN_ROLE,
))

#: Which columns the directory can sort by, and with what key.
SORT_KEYS = {COL_NAME: SORT_NAME, COL_DISTANCE: SORT_DISTANCE, COL_BADGES: SORT_UPDATED}

PAGE_SIZE = 50  # a screenful at 1366×768 is ~26 rows: the first page arrives with the results
MAX_PAGES = 80  # ~4,000 records kept at most

Fetch = Callable[[Sequence[str]], list[Structure]]
IndexLike = QModelIndex | QPersistentModelIndex


class _Reversed(Sequence[str]):
    """A reversed view of a sequence of ids (descending sorts), copying nothing."""

    def __init__(self, base: Sequence[str]) -> None:
        self._base = base

    def __len__(self) -> int:
        return len(self._base)

    def __getitem__(self, k: Any) -> Any:
        n = len(self._base)
        if isinstance(k, slice):
            return [self._base[n - 1 - i] for i in range(*k.indices(n))]
        if k < 0:
            k += n
        if not 0 <= k < n:
            raise IndexError(k)
        return self._base[n - 1 - k]

    def index(self, value: Any, start: int = 0, stop: int | None = None) -> int:
        return len(self._base) - 1 - self._base.index(value)


class ResultsModel(QAbstractTableModel):
    """Rows are the ids of the last search, in the directory's order (reversed for descending sorts)."""

    sort_requested = Signal(str, bool)  # sort key, descending
    page_loaded = Signal()

    def __init__(self, fetch: Fetch, runner: TaskRunner, referential: Referential,
                 parent: object | None = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self._fetch = fetch
        self._runner = runner
        self._ref = referential
        self._ids: Sequence[str] = ()
        self._n = 0  # len(self._ids), asked for on every data() call
        self._rows: dict[int, tuple[str, Structure]] = {}  # source row -> (id, loaded record)
        self._distances: Sequence[float | None] = ()
        self._descending = False
        self._pages: OrderedDict[int, dict[str, Structure]] = OrderedDict()
        self._pending: set[int] = set()
        self._generation = 0
        self._favourites: frozenset[str] = frozenset()
        self._open_cache: dict[str, tuple[int, bool | None]] = {}
        self.sort_key = SORT_RELEVANCE
        self.sort_column = -1
        self.show_distance = False
        self.unknown_hours_from = -1  # « ouvert maintenant »: first display row of the unknown-hours group
        self._headers = {
            COL_FAVOURITE: self.tr("★"), COL_NAME: self.tr("Nom"), COL_TYPE: self.tr("Type"),
            COL_PLACE: self.tr("Commune"), COL_DISTANCE: self.tr("Distance"),
            COL_OPEN: self.tr("Ouvert ?"), COL_BADGES: self.tr("Repères"),
        }

    # --- content --------------------------------------------------------------------------------------
    def set_results(self, ids: Sequence[str], distances: Sequence[float | None] = (),
                    prefetched: dict[int, list[Structure]] | None = None, *,
                    descending: bool | None = None) -> None:
        """New results: ids in directory order; `prefetched` pages (page -> records) avoid a blank flash."""
        self.beginResetModel()
        self._generation += 1
        self._ids = ids if isinstance(ids, tuple | ResultRows) else tuple(ids)  # lazy views stay lazy
        self._n = len(self._ids)
        self._distances = distances
        if descending is not None:
            self._descending = descending
        self._pages.clear()
        self._rows.clear()
        self._pending.clear()
        self._open_cache.clear()
        for page, records in (prefetched or {}).items():
            self._store(page, records)
        self.endResetModel()

    def set_favourites(self, ids: frozenset[str]) -> None:
        self._favourites = ids
        if self._ids:
            self.dataChanged.emit(self.index(0, COL_FAVOURITE), self.index(self._n - 1, COL_FAVOURITE))

    def forget(self, structure_id: str) -> None:
        """A record changed (local edit): drop its cached page so it is fetched again."""
        for page, records in list(self._pages.items()):
            if structure_id in records:
                del self._pages[page]
        self._rows.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(self._n - 1, COLUMN_COUNT - 1))

    @property
    def descending(self) -> bool:
        return self._descending

    def ids(self) -> Sequence[str]:
        """Ids in display order (a view: nothing is copied)."""
        return _Reversed(self._ids) if self._descending else self._ids

    def id_at(self, row: int) -> str:
        return self._ids[self._source_row(row)]

    def row_of(self, structure_id: str) -> int:
        try:
            pos = self._ids.index(structure_id)
        except ValueError:
            return -1
        return self._n - 1 - pos if self._descending else pos

    def structure_at(self, row: int) -> Structure | None:
        return self._record(self._source_row(row))

    # --- QAbstractTableModel -----------------------------------------------------------------------
    def rowCount(self, parent: IndexLike = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._n

    def columnCount(self, parent: IndexLike = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers.get(section)
        if role == Qt.ItemDataRole.ToolTipRole and section == COL_FAVOURITE:
            return self.tr("Favori")
        if role == Qt.ItemDataRole.ToolTipRole and section == COL_PLACE:
            return self.tr("Commune et territoire ; « France entière » pour une ligne nationale")
        if role == Qt.ItemDataRole.ToolTipRole and section == COL_BADGES:
            return self.tr("Repères (tri : date de mise à jour)")
        return None

    def data(self, index: IndexLike, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role not in _ROLES or not index.isValid() or index.row() >= self._n:
            return None
        row = self._source_row(index.row())
        cached = self._rows.get(row)  # painting asks ~40 times per row: look the row up once
        if cached is None:
            sid = self._ids[row]
            s = self._record(row)
            if s is not None:
                self._rows[row] = (sid, s)
        else:
            sid, s = cached
        col = index.column()
        if role == ID_ROLE:
            return sid
        if role == STRUCTURE_ROLE:
            return s
        if col == COL_FAVOURITE:
            return self._favourite_data(sid, role)
        if s is None:
            return "…" if role == Qt.ItemDataRole.DisplayRole and col == COL_NAME else None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(s, row, col)
        if role == Qt.ItemDataRole.ToolTipRole:  # Qt renders tooltips as HTML when they look like it
            return plain.tooltip(self._tooltip(s, col))
        if role == BADGES_ROLE and col == COL_BADGES:
            return present.badges(s)
        if role == OPEN_ROLE:
            return self._open(s)
        if role == Qt.ItemDataRole.FontRole and col == COL_NAME and s.is_national:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_DISTANCE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._display(s, row, col) or self._tooltip(s, col)
        return None

    def _favourite_data(self, sid: str, role: int) -> object:
        fav = sid in self._favourites
        if role == Qt.ItemDataRole.DisplayRole:
            return "★" if fav else ""
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.tr("Favori") if fav else self.tr("Pas en favori")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _display(self, s: Structure, row: int, col: int) -> str:
        if col == COL_NAME:
            return s.name
        if col == COL_TYPE:
            return vocabulary.short_label("type", s.type)
        if col == COL_PLACE:
            return present.place(self._ref, s)
        if col == COL_DISTANCE:
            km = self._distances[row] if row < len(self._distances) else None
            return self.tr("national") if km is None and s.is_national else present.distance_text(km)
        if col == COL_OPEN:
            state = self._open(s)
            return {True: self.tr("Ouvert"), False: self.tr("Fermé"), None: self.tr("Inconnu")}[state]
        if col == COL_BADGES:
            return " · ".join(b.text for b in present.badges(s))
        return ""

    def _tooltip(self, s: Structure, col: int) -> str | None:
        if col == COL_TYPE:
            return vocabulary.label("type", s.type)
        if col == COL_OPEN:
            if self._open(s) is None:
                return self.tr("Horaires non renseignés") if not s.opening_hours.strip() else (
                    self.tr("Horaires non reconnus : voir la fiche"))
            return hours.describe_now(s.opening_hours, s.timezone)
        if col == COL_DISTANCE and s.is_national:
            return self.tr("Ligne nationale : joignable de partout")
        if col == COL_BADGES:
            return self.tr("Mise à jour : %1").replace("%1", present.format_date(s.updated))
        if col == COL_NAME:  # the full name, shown as text even if it looks like markup
            return "<p>" + html.escape(s.name) + "</p>"
        return None

    def _open(self, s: Structure) -> bool | None:
        minute = int(datetime.now().timestamp() // 60)
        cached = self._open_cache.get(s.id)
        if cached is not None and cached[0] == minute:
            return cached[1]
        state = hours.is_open(s.opening_hours, s.timezone) if s.opening_hours else None
        self._open_cache[s.id] = (minute, state)
        return state

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting happens in the directory: ask for it (the view's indicator shows the request).

        Only the columns of SORT_KEYS sort; a click on another one changes nothing (no arrow either).
        """
        if column >= 0 and column not in SORT_KEYS:
            return
        key = SORT_KEYS.get(column, SORT_RELEVANCE)
        self.sort_column = column if column in SORT_KEYS else -1
        self.sort_key = key
        self.sort_requested.emit(key, order == Qt.SortOrder.DescendingOrder and column in SORT_KEYS)

    # --- pages ----------------------------------------------------------------------------------------
    @staticmethod
    def first_page(count: int, descending: bool) -> int:
        """The page holding the first displayed row."""
        return max(0, count - 1) // PAGE_SIZE if descending else 0

    def _source_row(self, row: int) -> int:
        return self._n - 1 - row if self._descending else row

    def _record(self, row: int) -> Structure | None:
        page = row // PAGE_SIZE
        records = self._pages.get(page)
        if records is None:
            self._request(page)
            return None
        self._pages.move_to_end(page)
        return records.get(self._ids[row])

    def _request(self, page: int) -> None:
        if page in self._pending:
            return
        self._pending.add(page)
        generation = self._generation
        ids = self._ids[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
        self._runner.submit(self._fetch, ids, on_done=lambda recs: self._loaded(generation, page, recs),
                            on_error=lambda _e: self._pending.discard(page))

    def _loaded(self, generation: int, page: int, records: list[Structure]) -> None:
        if generation != self._generation:
            return
        self._pending.discard(page)
        self._store(page, records)
        first = self._display_row(min(self._n - 1, (page + 1) * PAGE_SIZE - 1))
        last = self._display_row(page * PAGE_SIZE)
        top, bottom = min(first, last), max(first, last)
        self.dataChanged.emit(self.index(top, 0), self.index(bottom, COLUMN_COUNT - 1))
        self.page_loaded.emit()

    def _display_row(self, source_row: int) -> int:
        return self._n - 1 - source_row if self._descending else source_row

    def _store(self, page: int, records: list[Structure]) -> None:
        self._pages[page] = {s.id: s for s in records}
        while len(self._pages) > MAX_PAGES:
            evicted, _records = self._pages.popitem(last=False)
            for row in range(evicted * PAGE_SIZE, (evicted + 1) * PAGE_SIZE):
                self._rows.pop(row, None)
