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
from ...core.nearby import NearHint, near_hint
from ...core.records import SearchQuery, Structure
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
    #: with « près de » and a radius: what was found locally, and the nearest beyond when nothing was
    near_hint: NearHint | None = None


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
            hint = near_hint(directory, query)
            return SearchOutcome(query, result, descending, prefetched,
                                 (time.perf_counter() - start) * 1000, hint)

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
