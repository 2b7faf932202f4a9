"""Search as you type: on the worker, coalesced while one runs, stale answers dropped, first page prefetched.

A keystroke starts a search at once when none is running; keystrokes that arrive meanwhile are
coalesced into one more search when the answer comes. At ~10 ms a search, the user sees results
within a frame or two and the worker never queues up work.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, QTimer, Signal

from ...core.directory import Directory
from ...core.records import SORT_DISTANCE, SearchQuery, Structure
from ...core.search.results import ResultRows
from ..results.model import PAGE_SIZE, ResultsModel
from ..tasks import TaskRunner

DEBOUNCE_MS = 0  # no fixed delay: searches are coalesced while one runs (see the module docstring)


@dataclass(frozen=True, slots=True)
class SearchOutcome:
    query: SearchQuery
    result: ResultRows
    descending: bool
    prefetched: dict[int, list[Structure]]
    elapsed_ms: float
    #: with « près de »: matches within the radius that are not national lines (None without `near`)
    local_total: int | None = None
    #: when nothing local is within the radius: the nearest matching structures and their distance (km)
    nearest: tuple[tuple[Structure, float], ...] = ()


NEAREST_COUNT = 3
SEARCH_RADII = (50.0, 100.0, 200.0, 500.0, 1500.0)  # km, tried in turn for the nearest structures


Nearest = tuple[tuple[Structure, float], ...]


def nearest_outside(directory: Directory, query: SearchQuery) -> tuple[int, Nearest]:
    """(local matches within the radius, nearest local matches beyond it when there are none)."""
    local = replace(query, include_national=False, offset=0)
    total = directory.search(replace(local, limit=0)).total
    if total:
        return total, ()
    # Widening step by step is cheaper than sorting every structure of France by distance (~100 ms at 100k).
    radius = query.radius_km or 0.0
    for wider in [r for r in SEARCH_RADII if r > radius] + [None]:
        far = directory.search(replace(local, radius_km=wider, sort=SORT_DISTANCE, limit=NEAREST_COUNT))
        if far.ids:
            break
    found = {s.id: s for s in directory.get_many(far.ids)}
    pairs = zip(far.ids, far.distances_km, strict=False)
    return 0, tuple((found[i], d) for i, d in pairs if i in found and d is not None)


class SearchController(QObject):
    """Owns the current query; `results_ready(SearchOutcome)` fires with the answer to the latest one."""

    query_changed = Signal(object)  # SearchQuery
    results_ready = Signal(object)  # SearchOutcome
    failed = Signal(object)  # the exception a search raised (shown by the window's error display)

    def __init__(self, directory: Directory, runner: TaskRunner, parent: QObject | None = None,
                 debounce_ms: int = DEBOUNCE_MS) -> None:
        super().__init__(parent)
        self._directory = directory
        self._runner = runner
        self._query = SearchQuery()
        self.descending = False
        self.last: SearchOutcome | None = None
        self._in_flight = False
        self._dirty = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self.run)

    @property
    def query(self) -> SearchQuery:
        return self._query

    def set_text(self, text: str) -> None:
        """Typing: wait for a pause before searching."""
        if text != self._query.text:
            self._query = replace(self._query, text=text)
            self.query_changed.emit(self._query)
            if self._in_flight:
                self._dirty = True  # one more search when the running one answers
            elif self._timer.interval() > 0:
                self._timer.start()
            else:
                self.run()

    def set_query(self, query: SearchQuery, *, immediate: bool = True) -> None:
        changed = query != self._query
        self._query = query
        if changed:
            self.query_changed.emit(query)
        if immediate:
            self._timer.stop()
            self.run()
        else:
            self._timer.start()

    def set_sort(self, key: str, descending: bool) -> None:
        self.descending = descending
        self.set_query(replace(self._query, sort=key))

    def run(self) -> None:
        """Search now (the pending debounce, if any, is absorbed)."""
        self._timer.stop()
        self._dirty = False
        self._in_flight = True
        query, descending, directory = self._query, self.descending, self._directory

        def work() -> SearchOutcome:
            start = time.perf_counter()
            result = directory.search_rows(query)
            page = ResultsModel.first_page(len(result), descending)
            ids = result[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
            prefetched = {page: directory.get_many(ids)} if ids else {}
            local_total: int | None = None
            nearest: Nearest = ()
            if query.near is not None and query.radius_km is not None:
                local_total, nearest = nearest_outside(directory, query)
            return SearchOutcome(query, result, descending, prefetched,
                                 (time.perf_counter() - start) * 1000, local_total, nearest)

        self._runner.submit(work, on_done=self._done, on_error=self._failed, on_cancelled=self._settled,
                            key="search")

    def is_pending(self) -> bool:
        return self._timer.isActive() or self._dirty

    def _settled(self) -> None:
        self._in_flight = False
        if self._dirty:
            self.run()

    def _failed(self, exc: BaseException) -> None:
        self._settled()
        self.failed.emit(exc)

    def _done(self, outcome: SearchOutcome) -> None:
        self._settled()
        if outcome.query != self._query or outcome.descending != self.descending:
            return  # a newer query is on its way
        self.last = outcome
        self.results_ready.emit(outcome)
