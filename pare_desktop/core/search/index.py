"""The in-memory search index: prefix postings, numpy filter masks, facet counts, bytes round trip."""

from __future__ import annotations

import copy
import io
import math
from bisect import bisect_left
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np

from pare_desktop.core import hours
from pare_desktop.core.records import SORT_DISTANCE, SORT_RELEVANCE, SORT_UPDATED, SearchQuery, Structure
from pare_desktop.core.search import synonyms
from pare_desktop.core.search.build import (
    FORMAT_VERSION,
    HOURS_SEP,
    Array,
    TerritoryNames,
    build_arrays,
    splice_fields,
    unpack,
)
from pare_desktop.core.search.fuzzy import Vocabulary, max_edits
from pare_desktop.core.text import tokens

NATIONAL_BOOST = 64  # added to the relevance of national lines that match the words of a query
REGION_PREFIX = "region:"
DEPARTEMENT_PREFIX = "departement:"
EARTH_RADIUS_KM = 6371.0088
_MAX_WORDS = 20
#: facet name -> the query filter it ignores while counting
FACET_FILTER = {"territory": "territory", "region": "territory", "type": "type", "support": "support",
                "public": "public", "modality": "modality", "open_now": "open_now"}
_MULTI = (("support", "support"), ("public", "public"), ("modality", "modality"),
          ("territory", "dep"), ("region", "reg"))


def query_words(text: str, indexes: Sequence[SearchIndex]) -> tuple[list[str], tuple[str, ...]]:
    """The folded words of a query, and those to match with typo tolerance: the words no index holds
    as a prefix, that have no equivalent (synonyms) and an edit budget (fuzzy.max_edits)."""
    words = tokens(text)[:_MAX_WORDS]
    fuzzy = tuple(
        w for w in words
        if max_edits(w) and not synonyms.equivalents(w) and not any(ix.has_prefix(w) for ix in indexes)
    )
    return words, fuzzy


def region_key(code: str) -> str:
    """A région's key among territory codes (INSEE région and département codes collide).

    SearchQuery keeps régions in their own field; the index names them with this prefix internally.
    """
    return REGION_PREFIX + code


@dataclass(frozen=True, slots=True)
class IndexHits:
    """Every match of a query in one index, ordered, as row indices (see SearchIndex.id_at)."""

    rows: Array  # int32 row indices, the page asked for (all matches when limit is None)
    scores: Array  # int16 relevance, aligned with rows (0 when the query has no text)
    distances_km: Array | None  # float64 aligned with rows when the query has `near` (NaN: no position)
    total: int  # number of matches before offset/limit
    facets: dict[str, dict[str, int]]


def _stable_order(keys: Array, first: int | None) -> Array:
    """The positions of `keys` in a stable ascending sort; at least the `first` ones when given (a page):
    the smallest are selected first (argpartition), then only they are sorted."""
    n = len(keys)
    if first is None or first * 4 >= n:
        return np.argsort(keys, kind="stable")
    if first <= 0:
        return np.zeros(0, dtype=np.intp)
    kth = np.partition(keys, first - 1)[first - 1]  # NaN (no position) sorts last, as in argsort
    if kth != kth:  # fewer finite keys than asked: all of them, then the NaNs in row order
        below, tied = np.flatnonzero(keys == keys), np.flatnonzero(keys != keys)
    else:
        below, tied = np.flatnonzero(keys < kth), np.flatnonzero(keys == kth)
    candidates = np.sort(np.concatenate((below, tied[: first - len(below)])))
    return candidates[np.argsort(keys[candidates], kind="stable")]


class _Picked:
    """How facet counts read one mask. When one side is small (the matches, or the others: the count is
    then the total minus theirs) its rows are walked; otherwise the mask is packed into bits, ANDed with
    each value's row bitset and popcounted. Either way far less than a pass over every posting."""

    SPARSE = 64  # walk rows when the smaller side holds fewer than n / SPARSE of them

    def __init__(self, n: int) -> None:
        self._n = n
        self._cache: list[tuple[Array, tuple[Array | None, bool, Array | None]]] = []

    def view(self, mask: Array) -> tuple[Array | None, bool, Array | None]:
        """(rows of the smaller side, whether it is the non-matches, packed mask): rows or packed is None."""
        for m, found in self._cache:
            if m is mask:
                return found
        hits = int(np.count_nonzero(mask))
        inverted = hits > self._n // 2
        side = self._n - hits if inverted else hits
        if side * self.SPARSE < self._n:
            view: tuple[Array | None, bool, Array | None] = (
                np.flatnonzero(~mask if inverted else mask), inverted, None
            )
        else:
            view = (None, False, pack_bits(mask))
        self._cache.append((mask, view))
        return view


_BYTE_POPCOUNT = np.array([bin(i).count("1") for i in range(256)], dtype=np.uint8)


def row_popcounts(words: Array) -> Array:
    """Set bits per row of a 2-D uint64 array. np.bitwise_count is numpy ≥ 2; the Windows build ships
    numpy 1.26 (inside the project's range): a byte table there, same figures."""
    if hasattr(np, "bitwise_count"):
        counts: Array = np.bitwise_count(words).sum(axis=1)
    else:
        counts = _BYTE_POPCOUNT[np.ascontiguousarray(words).view(np.uint8)].sum(axis=1, dtype=np.uint64)
    return counts


def pack_bits(mask: Array) -> Array:
    """A boolean row mask as uint64 words, row r at bit r % 64 of word r // 64."""
    packed = np.packbits(mask, bitorder="little")
    words = -(-len(mask) // 64)
    if len(packed) != words * 8:
        packed = np.concatenate((packed, np.zeros(words * 8 - len(packed), dtype=np.uint8)))
    return packed.view(np.uint64)


class _Sink:
    """A seekable file that keeps nothing: how many bytes were written to it."""

    def __init__(self) -> None:
        self.pos = self.size = 0

    def write(self, data: Any) -> int:
        n = memoryview(data).nbytes
        self.pos += n
        self.size = max(self.size, self.pos)
        return n

    def tell(self) -> int:
        return self.pos

    def seek(self, offset: int, whence: int = 0) -> int:
        self.pos = offset + (0, self.pos, self.size)[whence]
        return self.pos

    def read(self, n: int = -1) -> bytes:  # numpy asks a file for `read`; savez never calls it
        raise io.UnsupportedOperation("write only")

    def flush(self) -> None:
        pass


class SearchIndex:
    """Search over one set of structures. Build it once, persist to_bytes(), reload with from_bytes()."""

    def __init__(self, arrays: Mapping[str, Array]) -> None:
        if int(arrays["version"][0]) != FORMAT_VERSION:
            raise ValueError("unsupported search index version")
        self._a = dict(arrays)
        self._ids = unpack(self._a["ids"])
        self._terms = unpack(self._a["terms"])
        self._values = {k: unpack(self._a[k + "_values"]) for k in ("type", *(c for _, c in _MULTI))}
        self._codes = {k: {v: i for i, v in enumerate(vals)} for k, vals in self._values.items()}
        self._hours = [tuple(v.split(HOURS_SEP, 1)) for v in unpack(self._a["hours_values"])]
        self._row_of: dict[str, int] | None = None
        self._folded: list[str] | None = None
        self._state_key: int | None = None  # the minute the rows' open/unknown masks were computed for
        self._open_rows = np.zeros(len(self._ids), dtype=bool)
        self._unknown_rows = np.zeros(len(self._ids), dtype=bool)
        self._near_key: tuple[float, float] | None = None
        self._near_dist = np.zeros(0)
        self._alive: Array | None = None  # rows not superseded by a newer segment (None: all)
        self._vocabulary: Vocabulary | None = None  # typo tolerance, built at the first typo
        self._boost: tuple[Array, Array] | None = None  # national rows and their relevance bonus
        self._row_major: dict[str, tuple[Array, Array]] = {}  # facet counting (see _by_row)
        self._totals_of: dict[str, Array] = {}
        self._bitsets: dict[str, Array] = {}
        self._dense_terms: dict[tuple[str, int], Array] = {}

    # --- construction and persistence -----------------------------------------------------------
    @classmethod
    def build(cls, records: Sequence[Structure], names: TerritoryNames | None = None) -> SearchIndex:
        return cls(build_arrays(records, names or TerritoryNames()))

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        np.savez(buf, **self._a)  # type: ignore[arg-type]
        return buf.getvalue()

    def write_to(self, out: Any) -> None:
        """The bytes of to_bytes() written to a seekable file `out`, array by array (no whole copy)."""
        np.savez(out, **self._a)  # type: ignore[arg-type]

    def stored_size(self) -> int:
        """len(self.to_bytes()), without keeping the bytes."""
        sink = _Sink()
        self.write_to(sink)
        return sink.size

    @classmethod
    def from_bytes(cls, data: bytes) -> SearchIndex:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            return cls({k: npz[k] for k in npz.files})

    def spliced(self, part: Mapping[str, Array]) -> SearchIndex | None:
        """This index with new facets for the records of `part` (build.splice_fields); None when one of
        them is not here."""
        arrays = splice_fields(self._a, part)
        return None if arrays is None else SearchIndex(arrays)

    def without(self, ids: Collection[str]) -> SearchIndex:
        """A view of this index where the rows of `ids` no longer match (a newer segment holds them).

        Arrays are shared, not copied: the cost is one boolean per row.
        """
        rows = [r for r in map(self.row_of, ids) if r is not None]
        view = copy.copy(self)  # shares arrays, ids, terms and caches (replaced, never mutated in place)
        alive = np.ones(len(self._ids), dtype=bool) if self._alive is None else self._alive.copy()
        alive[rows] = False
        view._alive = alive if rows or self._alive is not None else None
        return view

    # --- rows and ids -----------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._ids)

    def id_at(self, row: int) -> str:
        return self._ids[row]

    def all_ids(self) -> Sequence[str]:
        """Every id in row order (the index's own list: do not modify)."""
        return self._ids

    def row_of(self, id_: str) -> int | None:
        if self._row_of is None:
            self._row_of = {v: i for i, v in enumerate(self._ids)}
        return self._row_of.get(id_)

    def folded_names(self) -> list[str]:
        """Folded names in row order (rows are sorted by them): the key to merge indexes."""
        if self._folded is None:
            self._folded = unpack(self._a["folded"])
        return self._folded

    # --- masks ------------------------------------------------------------------------------------
    def _range(self, prefix: str) -> tuple[int, int]:
        lo = bisect_left(self._terms, prefix)
        return lo, bisect_left(self._terms, prefix + "\U0010ffff", lo)

    def has_prefix(self, word: str) -> bool:
        """Whether some term of this index starts with `word` (else typo tolerance may step in)."""
        lo, hi = self._range(word)
        return hi > lo

    def _postings_mask(self, field: str, prefixes: Sequence[str]) -> Array:
        """Rows holding a term that starts with one of `prefixes`, in `field` ("all" or "name").

        Frequent terms (in 1/16 of the rows or more: a short prefix spans many) are ORed as bitsets;
        the others' rows are set one by one.
        """
        n = len(self._ids)
        ptr, rows = self._a[field + "_ptr"], self._a[field + "_rows"]
        mask = np.zeros(n, dtype=bool)
        bits: Array | None = None
        dense = max(n // 16, 256)
        for prefix in prefixes:
            lo, hi = self._range(prefix)
            start = lo
            for k in (lo + np.flatnonzero(np.diff(ptr[lo:hi + 1]) >= dense)).tolist():
                mask[rows[ptr[start]:ptr[k]]] = True
                term = self._term_bits(field, k)
                bits = term.copy() if bits is None else np.bitwise_or(bits, term, out=bits)
                start = k + 1
            mask[rows[ptr[start]:ptr[hi]]] = True
        if bits is not None:
            mask |= np.unpackbits(bits.view(np.uint8), count=n, bitorder="little").view(bool)
        return mask

    def _term_bits(self, field: str, k: int) -> Array:
        """The rows of a frequent term as a bitset (see pack_bits), made at its first use."""
        found = self._dense_terms.get((field, k))
        if found is None:
            ptr = self._a[field + "_ptr"]
            mask = np.zeros(len(self._ids), dtype=bool)
            mask[self._a[field + "_rows"][ptr[k]:ptr[k + 1]]] = True
            found = self._dense_terms[(field, k)] = pack_bits(mask)
        return found

    def _word_masks(self, word: str, fuzzy: bool) -> tuple[Array, Array]:
        """(rows matching, rows whose name matches) one query word: the word as a prefix (when `fuzzy`,
        the vocabulary prefixes within its edit budget instead), or one of its equivalents (synonyms)."""
        alternatives = synonyms.equivalents(word)
        if fuzzy:
            if self._vocabulary is None:
                self._vocabulary = Vocabulary(self._terms)
            prefixes = self._vocabulary.near(word)
            for key in synonyms.near_keys(word):  # « psycologue » -> « psychologue » and its equivalents
                prefixes.append(key)
                alternatives += synonyms.equivalents(key)
        else:
            prefixes = [word]
        in_all, in_name = self._postings_mask("all", prefixes), self._postings_mask("name", prefixes)
        for words in alternatives:
            every, named = self._postings_mask("all", words[:1]), self._postings_mask("name", words[:1])
            for w in words[1:]:
                every &= self._postings_mask("all", [w])
                named &= self._postings_mask("name", [w])
            in_all |= every
            in_name |= named
        return in_all, in_name

    def _text(self, words: Sequence[str], fuzzy: Collection[str]) -> tuple[Array, Array]:
        match = np.ones(len(self._ids), dtype=bool)
        score = np.zeros(len(self._ids), dtype=np.int16)
        for word in words:
            in_all, in_name = self._word_masks(word, word in fuzzy)
            match &= in_all
            score += in_all
            score += in_name
        # National lines that answer the need come first, the app's main ones (119) before the others.
        if self._boost is None:
            rows = np.flatnonzero(self._a["national"])
            self._boost = (rows, (NATIONAL_BOOST + 4 * self._a["priority"][rows]).astype(np.int16))
        score[self._boost[0]] += self._boost[1]
        return match, score

    def _values_mask(self, key: str, values: Sequence[str], all_of: bool = False) -> Array:
        ptr, rows = self._a[key + "_ptr"], self._a[key + "_rows"]
        codes = self._codes[key]
        if all_of:
            hits = np.zeros(len(self._ids), dtype=np.int16)
            for v in set(values):
                c = codes.get(v)
                if c is None:
                    return np.zeros(len(self._ids), dtype=bool)
                hits[rows[ptr[c]:ptr[c + 1]]] += 1
            return np.asarray(hits == len(set(values)))
        mask = np.zeros(len(self._ids), dtype=bool)
        for v in values:
            c = codes.get(v)
            if c is not None:
                mask[rows[ptr[c]:ptr[c + 1]]] = True
        return mask

    def _territory_mask(self, codes: Sequence[str], include_national: bool) -> Array:
        deps = [c.removeprefix(DEPARTEMENT_PREFIX) for c in codes if not c.startswith(REGION_PREFIX)]
        regs = [c.removeprefix(REGION_PREFIX) for c in codes if c.startswith(REGION_PREFIX)]
        mask = self._values_mask("dep", deps) | self._values_mask("reg", regs)
        if include_national:
            mask |= self._a["national"]
        return mask

    def _type_mask(self, values: Sequence[str]) -> Array:
        table = np.zeros(len(self._values["type"]) + 1, dtype=bool)
        for v in values:
            c = self._codes["type"].get(v)
            if c is not None:
                table[c] = True
        return np.asarray(table[self._a["type_code"]])

    def open_rows(self, now: datetime | None = None) -> Array:
        """Which rows are open at `now` (cached for the minute); rows without hours are not open."""
        self._states_at(now)
        return self._open_rows

    def unknown_hours_rows(self, now: datetime | None = None) -> Array:
        """Rows whose state at `now` is unknown: no hours, hours not understood, or an "unknown" rule."""
        self._states_at(now)
        return self._unknown_rows

    def _states_at(self, now: datetime | None) -> None:
        """Each distinct (hours, time zone) evaluated once per minute: open (1), closed (0), unknown (-1)."""
        now = now or datetime.now(UTC)
        key = math.floor(now.timestamp() / 60)
        if key == self._state_key:
            return
        locals_: dict[str, datetime] = {}
        table = np.full(len(self._hours) + 1, -1, dtype=np.int8)  # the last code: no hours at all
        for g, (oh, tz) in enumerate(self._hours):
            compiled = hours.compile_hours(oh)
            if compiled is not None:
                local = locals_.get(tz) or locals_.setdefault(tz, hours.local_time(tz, now))
                state = hours.state_at(compiled, local)
                table[g] = -1 if state is None else int(state)
        states = table[self._a["hours_code"]]
        self._open_rows, self._unknown_rows, self._state_key = states == 1, states == -1, key

    def distances(self, near: tuple[float, float]) -> Array:
        """Great-circle km from `near` to every row (NaN without position); cached for the last point."""
        if near != self._near_key:
            lat0, lon0 = math.radians(near[0]), math.radians(near[1])
            lat, lon = np.radians(self._a["lat"]), np.radians(self._a["lon"])
            a = np.sin((lat - lat0) / 2) ** 2 + math.cos(lat0) * np.cos(lat) * np.sin((lon - lon0) / 2) ** 2
            self._near_dist = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0)))
            self._near_key = near
        return self._near_dist

    # --- facets -----------------------------------------------------------------------------------
    def _count(self, facet: str, mask: Array, open_rows: Array, picked: _Picked) -> dict[str, int]:
        if facet == "open_now":
            n = int(np.count_nonzero(mask & open_rows))
            return {"1": n} if n else {}
        key = "type" if facet == "type" else dict(_MULTI)[facet]
        values = self._values[key]
        rows, inverted, packed = picked.view(mask)
        if packed is not None:
            counts = row_popcounts(self._bits(key) & packed)
        else:
            assert rows is not None
            if key == "type":
                rvals = self._type_codes1
                vals = rvals[rows]
            else:  # the value codes of the picked rows, through the row-major CSR
                rptr, rvals = self._by_row(key)
                starts, lengths = rptr[rows], rptr[rows + 1] - rptr[rows]
                offsets = np.cumsum(lengths) - lengths
                vals = rvals[np.repeat(starts - offsets, lengths) + np.arange(int(lengths.sum()))]
            nvalues = len(values) + (key == "type")
            counts = np.bincount(vals, minlength=nvalues)
            if inverted:
                counts = self._totals(key, rvals, nvalues) - counts
            if key == "type":
                counts = counts[1:]  # code 0: no type
        return {values[i]: int(counts[i]) for i in np.flatnonzero(counts).tolist()}

    def _bits(self, key: str) -> Array:
        """Each value's rows as a bitset (values × words, see pack_bits), built at the first count."""
        found = self._bitsets.get(key)
        if found is None:
            n, nvalues = len(self._ids), len(self._values[key])
            if key == "type":
                codes = self._a["type_code"]
                rows = np.flatnonzero(codes >= 0)
                vals = codes[rows]
            else:
                ptr, rows = self._a[key + "_ptr"], self._a[key + "_rows"]
                vals = np.repeat(np.arange(nvalues), np.diff(ptr))
            dense = np.zeros((nvalues, -(-n // 64) * 64), dtype=bool)
            dense[vals, rows] = True
            found = self._bitsets[key] = np.packbits(dense, axis=1, bitorder="little").view(np.uint64)
        return found

    def _by_row(self, key: str) -> tuple[Array, Array]:
        """The facet's values per row (row-major CSR: codes of row r are vals[ptr[r]:ptr[r+1]]), lazily."""
        found = self._row_major.get(key)
        if found is None:
            ptr, rows = self._a[key + "_ptr"], self._a[key + "_rows"]
            codes = np.repeat(np.arange(len(ptr) - 1, dtype=np.int32), np.diff(ptr))
            order = np.argsort(rows, kind="stable")
            rptr = np.zeros(len(self._ids) + 1, dtype=np.int64)
            np.cumsum(np.bincount(rows, minlength=len(self._ids)), out=rptr[1:])
            found = self._row_major[key] = (rptr, codes[order])
        return found

    @property
    def _type_codes1(self) -> Array:
        if "type" not in self._row_major:
            self._row_major["type"] = (np.zeros(0), self._a["type_code"].astype(np.intp) + 1)
        return self._row_major["type"][1]

    def _totals(self, key: str, vals: Array, nvalues: int) -> Array:
        if key not in self._totals_of:
            self._totals_of[key] = np.bincount(vals, minlength=nvalues)
        return self._totals_of[key]

    # --- search -----------------------------------------------------------------------------------
    def search_indices(
        self,
        query: SearchQuery,
        pro_mode: bool = False,
        now: datetime | None = None,
        fuzzy: Collection[str] | None = None,
    ) -> IndexHits:
        """Ordered matching rows, their scores and distances, the total and the facet counts.

        `fuzzy`: the query words to match with typo tolerance (default: query_words(..., [self])[1]).
        """
        n = len(self._ids)
        base = np.ones(n, dtype=bool) if pro_mode else ~self._a["pro"]
        if self._alive is not None:
            base &= self._alive
        words, found_fuzzy = query_words(query.text, [self])
        score = None
        if words:
            match, score = self._text(words, found_fuzzy if fuzzy is None else fuzzy)
            base &= match
        if query.ids is not None:
            restrict = np.zeros(n, dtype=bool)
            restrict[[r for r in map(self.row_of, query.ids) if r is not None]] = True
            base &= restrict
        places = (*query.territories, *(region_key(r) for r in query.regions))
        if not places and not query.include_national:
            base &= ~self._a["national"]
        dist = None
        if query.near is not None:
            dist = self.distances(query.near)
            if query.radius_km is not None:  # national lines have no place: they answer everywhere
                base &= (dist <= query.radius_km) | (self._a["national"] & query.include_national)
        filters: dict[str, Array] = {}
        if places:
            filters["territory"] = self._territory_mask(places, query.include_national)
        if query.types:
            filters["type"] = self._type_mask(query.types)
        for key, values in (("support", query.supports), ("public", query.publics)):
            if values:
                filters[key] = self._values_mask(key, values)
        if query.modalities:
            filters["modality"] = self._values_mask("modality", query.modalities, all_of=True)
        open_rows = self.open_rows(now)
        if query.open_now:  # structures with unknown hours stay in sight (listed after: see engine)
            filters["open_now"] = open_rows | self.unknown_hours_rows(now)
        full = base.copy()
        for m in filters.values():
            full &= m
        facets: dict[str, dict[str, int]] = {}
        picked = _Picked(n)
        for facet, own in FACET_FILTER.items():
            mask = full
            if own in filters:
                mask = base.copy()
                for key, m in filters.items():
                    if key != own:
                        mask &= m
            facets[facet] = self._count(facet, mask, open_rows, picked)
        rows = np.flatnonzero(full).astype(np.int32)
        total = len(rows)
        end = None if query.limit is None else query.offset + query.limit
        keys = self._sort_keys(query, rows, score, dist)
        if keys is not None:
            rows = rows[_stable_order(keys, end)]
        rows = rows[query.offset:end]
        scores = score[rows] if score is not None else np.zeros(len(rows), dtype=np.int16)
        return IndexHits(rows, scores, None if dist is None else dist[rows], total, facets)

    def _sort_keys(self, query: SearchQuery, rows: Array, score: Array | None, dist: Array | None) -> Any:
        """Ascending keys of `rows` (already in name order, the tie-break) for the query's sort; None
        keeps name order."""
        if query.sort == SORT_DISTANCE and dist is not None:
            return dist[rows]
        if query.sort == SORT_UPDATED:
            return -self._a["updated"][rows].astype(np.int64)
        if query.sort in (SORT_RELEVANCE, SORT_DISTANCE) and score is not None:
            return -score[rows]
        return None

    def updated_at(self, rows: Array) -> Array:
        """Update dates as proleptic ordinals (int32 minimum when unknown), aligned with rows."""
        return np.asarray(self._a["updated"][rows])
