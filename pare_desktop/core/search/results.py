"""Lazy result sets: the ids of 100,000 matches as a sequence, without building 100,000 strings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, overload

import numpy as np

from ..records import FacetCount, SearchQuery
from .engine import MergedHits, SearchIndex, facet_counts


class Distances(Sequence[float | None]):
    """Distances in km aligned with a ResultRows (None: no position, or no `near` in the query)."""

    def __init__(self, values: np.ndarray[Any, Any] | None, length: int) -> None:
        self._values = values
        self._len = length

    def __len__(self) -> int:
        return self._len if self._values is not None else 0

    @overload
    def __getitem__(self, k: int) -> float | None: ...

    @overload
    def __getitem__(self, k: slice) -> list[float | None]: ...

    def __getitem__(self, k: int | slice) -> float | list[float | None] | None:
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        if self._values is None:
            raise IndexError(k)
        value = float(self._values[k])
        return None if value != value else value  # NaN: no position


class ResultRows(Sequence[str]):
    """The ordered matches of a query as (index, row) pairs; reads like a sequence of ids.

    `len()`, `rows[k]`, slices and `index(id)` cost what they touch, so a view of 100k results does not
    pay for 100k strings. Also carries `total`, `facets` and `distances_km`, like a SearchResult.
    """

    def __init__(self, ix: Sequence[SearchIndex], hits: MergedHits, query: SearchQuery) -> None:
        self._ix = ix
        self._hits = hits
        self.query = query
        self.total = hits.total
        self.facets: dict[str, tuple[FacetCount, ...]] = facet_counts(query, hits.facets)
        self.distances_km = Distances(hits.distances_km, len(hits.rows))
        self.approximate = hits.approximate  # query words found with typo tolerance (empty: exact)

    @property
    def ids(self) -> ResultRows:
        """Itself: the same interface as SearchResult.ids, without materialising."""
        return self

    def __len__(self) -> int:
        return len(self._hits.rows)

    @overload
    def __getitem__(self, k: int) -> str: ...

    @overload
    def __getitem__(self, k: slice) -> list[str]: ...

    def __getitem__(self, k: int | slice) -> str | list[str]:
        if isinstance(k, slice):
            return [self._hits.id_at(self._ix, i) for i in range(*k.indices(len(self)))]
        if k < 0:
            k += len(self)
        if not 0 <= k < len(self):
            raise IndexError(k)
        return self._hits.id_at(self._ix, k)

    def index(self, value: Any, start: int = 0, stop: int | None = None) -> int:
        """Position of an id (ValueError when absent), through the indexes' own id lookups."""
        for source, index in enumerate(self._ix):
            row = index.row_of(value) if isinstance(value, str) else None
            if row is None:
                continue
            found = np.flatnonzero((self._hits.sources == source) & (self._hits.rows == row))
            for position in found.tolist():
                if position >= start and (stop is None or position < stop):
                    return int(position)
        raise ValueError(value)

    def __contains__(self, value: object) -> bool:
        try:
            self.index(value)
        except ValueError:
            return False
        return True
