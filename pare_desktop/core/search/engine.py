"""Search over one or several indexes (publisher + local): merged ranking, paging and facet counts."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

import numpy as np

from pare_desktop.core.records import (
    SORT_DISTANCE,
    SORT_RELEVANCE,
    SORT_UPDATED,
    FacetCount,
    SearchQuery,
    SearchResult,
)
from pare_desktop.core.search.build import Array, TerritoryNames, departement_of_commune
from pare_desktop.core.search.index import (
    DEPARTEMENT_PREFIX,
    REGION_PREFIX,
    IndexHits,
    SearchIndex,
    query_words,
    region_key,
)

__all__ = [
    "DEPARTEMENT_PREFIX",
    "REGION_PREFIX",
    "IndexHits",
    "MergedHits",
    "SearchIndex",
    "TerritoryNames",
    "departement_of_commune",
    "facet_counts",
    "region_key",
    "search",
    "search_many",
    "search_many_indices",
]


@dataclass(frozen=True, slots=True)
class MergedHits:
    """Matches over several indexes: row `rows[k]` of index `sources[k]`, ordered, paged."""

    sources: Array  # int32 position of the index in the sequence given
    rows: Array  # int32 row in that index
    distances_km: Array | None  # float64 aligned (NaN: no position) when the query has `near`
    total: int
    facets: dict[str, dict[str, int]]
    approximate: tuple[str, ...] = ()  # query words matched with typo tolerance (empty: exact)

    def id_at(self, indexes: Sequence[SearchIndex], k: int) -> str:
        return indexes[int(self.sources[k])].id_at(int(self.rows[k]))

    def ids(self, indexes: Sequence[SearchIndex]) -> tuple[str, ...]:
        pairs = zip(self.sources.tolist(), self.rows.tolist(), strict=True)
        return tuple(indexes[s].id_at(r) for s, r in pairs)


def _name_keys(indexes: Sequence[SearchIndex], ref: int, k: int, rows: Array) -> Array:
    """Name-order keys comparable across indexes: 2*row+1 in the reference, 2*insertion point elsewhere."""
    if k == ref:
        return rows.astype(np.int64) * 2 + 1
    ref_names, names, ix = indexes[ref].folded_names(), indexes[k].folded_names(), indexes[k]
    ref_ids = indexes[ref].all_ids()

    def position(r: int) -> int:  # where (folded name, id) would sit among the reference's rows
        lo = bisect_left(ref_names, names[r])
        hi = bisect_right(ref_names, names[r], lo)
        return lo if hi == lo else lo + bisect_left(ref_ids, ix.id_at(r), lo, hi) - lo

    return np.fromiter((2 * position(r) for r in rows.tolist()), np.int64, len(rows))


def _tie_ranks(indexes: Sequence[SearchIndex], ref: int, live: Sequence[int], hits: Sequence[IndexHits],
               names: Sequence[Array]) -> Array:
    """Rows of other indexes that fall between the same two reference rows share a name key: their rank
    in (folded name, id) order puts them in name order too. 0 in the reference, and nothing computed when
    no two such rows share a key (the usual case); only the small indexes' rows are looked at."""
    parts = [np.zeros(len(hits[k].rows), dtype=np.int64) for k in live]
    small = [j for j, k in enumerate(live) if k != ref]
    keys = np.concatenate([names[j] for j in small]) if small else np.zeros(0, dtype=np.int64)
    if len(keys) < 2:
        return np.concatenate(parts)
    _values, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    shared = (counts[inverse] > 1).tolist()
    keyed = []
    at = 0
    for j in small:
        k, ix = live[j], indexes[live[j]]
        for i, r in enumerate(hits[k].rows.tolist()):
            if shared[at]:
                keyed.append((ix.folded_names()[r], ix.id_at(r), j, i))
            at += 1
    for rank, (_name, _id, j, i) in enumerate(sorted(keyed), 1):
        parts[j][i] = rank
    return np.concatenate(parts)


def search_many_indices(
    indexes: Sequence[SearchIndex], query: SearchQuery, pro_mode: bool = False, now: datetime | None = None
) -> MergedHits:
    """Matches of `query` over every index, ranked together; facet counts summed."""
    # Each index's first offset+limit rows hold the merged first offset+limit rows.
    whole = replace(query, offset=0, limit=None if query.limit is None else query.offset + query.limit)
    _words, fuzzy = query_words(query.text, indexes)
    hits: list[IndexHits] = [ix.search_indices(whole, pro_mode, now, fuzzy) for ix in indexes]
    facets: dict[str, dict[str, int]] = {}
    for h in hits:
        for facet, counts in h.facets.items():
            merged = facets.setdefault(facet, {})
            for value, c in counts.items():
                merged[value] = merged.get(value, 0) + c
    total = sum(h.total for h in hits)
    live = [k for k, h in enumerate(hits) if h.total]
    if len(live) <= 1:
        k = live[0] if live else 0
        h = hits[k] if hits else IndexHits(np.zeros(0, np.int32), np.zeros(0, np.int16), None, 0, {})
        sources = np.full(len(h.rows), k, dtype=np.int32)
        rows, dist = h.rows, h.distances_km
    else:
        ref = max(live, key=lambda i: len(indexes[i]))
        sources = np.concatenate([np.full(len(hits[k].rows), k, dtype=np.int32) for k in live])
        rows = np.concatenate([hits[k].rows for k in live])
        names = [_name_keys(indexes, ref, k, hits[k].rows) for k in live]
        name = np.concatenate(names)
        keys: list[Array] = [rows, sources, _tie_ranks(indexes, ref, live, hits, names), name]
        dist = None
        if query.near is not None:
            dist = np.concatenate([h.distances_km for k in live if (h := hits[k]).distances_km is not None])
        has_text = bool(query.text.strip())
        if query.sort == SORT_DISTANCE and dist is not None:
            keys.append(dist)
        elif query.sort == SORT_UPDATED:
            keys.append(-np.concatenate([indexes[k].updated_at(hits[k].rows) for k in live]).astype(np.int64))
        elif query.sort in (SORT_RELEVANCE, SORT_DISTANCE) and has_text:
            keys.append(-np.concatenate([hits[k].scores for k in live]).astype(np.int64))
        order = np.lexsort(keys)
        sources, rows = sources[order], rows[order]
        dist = None if dist is None else dist[order]
    if query.open_now and len(rows):  # open now first, then those whose hours nobody knows
        unknown = np.zeros(len(rows), dtype=bool)
        for k, ix in enumerate(indexes):
            mine = sources == k
            if mine.any():
                unknown[mine] = ix.unknown_hours_rows(now)[rows[mine]]
        order = np.argsort(unknown, kind="stable")
        sources, rows = sources[order], rows[order]
        dist = None if dist is None else dist[order]
    end = None if query.limit is None else query.offset + query.limit
    page = slice(query.offset, end)
    return MergedHits(
        sources[page], rows[page], None if dist is None else dist[page], total, facets, fuzzy if total else ()
    )


def facet_counts(
    query: SearchQuery, facets: Mapping[str, Mapping[str, int]]
) -> dict[str, tuple[FacetCount, ...]]:
    """FacetCount tuples sorted by value; values the query selects appear even with a zero count."""
    selected = {
        "territory": [t.removeprefix(DEPARTEMENT_PREFIX) for t in query.territories
                      if not t.startswith(REGION_PREFIX)],
        "region": [*query.regions, *(t.removeprefix(REGION_PREFIX) for t in query.territories
                                     if t.startswith(REGION_PREFIX))],
        "type": list(query.types), "support": list(query.supports), "public": list(query.publics),
        "modality": list(query.modalities), "open_now": ["1"] if query.open_now else [],
    }
    out: dict[str, tuple[FacetCount, ...]] = {}
    for facet, counts in facets.items():
        values = dict.fromkeys(selected.get(facet, ()), 0)
        values.update(counts)
        out[facet] = tuple(FacetCount(v, values[v]) for v in sorted(values))
    return out


def search_many(
    indexes: Sequence[SearchIndex], query: SearchQuery, pro_mode: bool = False, now: datetime | None = None
) -> SearchResult:
    """The SearchResult of `query` over several indexes (the publisher's and the user's local one)."""
    hits = search_many_indices(indexes, query, pro_mode, now)
    distances: tuple[float | None, ...] = ()
    if hits.distances_km is not None:
        distances = tuple(None if d != d else d for d in hits.distances_km.tolist())
    return SearchResult(
        hits.ids(indexes), hits.total, distances, facet_counts(query, hits.facets), hits.approximate
    )


def search(
    index: SearchIndex, query: SearchQuery, pro_mode: bool = False, now: datetime | None = None
) -> SearchResult:
    """The SearchResult of `query` over one index. Withdrawn and closed records are kept (caller badges)."""
    return search_many([index], query, pro_mode, now)
