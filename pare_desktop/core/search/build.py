"""Building the search index arrays from structures: text folding, postings, facets, territories."""

from __future__ import annotations

import functools
import math
import operator
import re
import unicodedata
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice, repeat
from typing import Any

import numpy as np
import numpy.typing as npt

from pare_desktop.core import vocabulary
from pare_desktop.core.records import VISIBILITY_PRO, Structure
from pare_desktop.core.text import fold_letters, tokens

from .token_codes import TokenCodes

Array = npt.NDArray[Any]
FORMAT_VERSION = 3  # 3: the type and support labels' words kept apart (see label_text)
_SEP = "\x1f"
HOURS_SEP = "\x1e"  # between opening hours and time zone in a hours group value
_RS = "\x1d"
_NO_DATE = np.iinfo(np.int32).min


def _fold(text: str) -> str:
    """text.fold_letters, U+001F (the packing separator) as a space."""
    return fold_letters(text).replace(_SEP, " ")


def _fold_many(texts: Sequence[str]) -> list[str]:
    """_fold over many texts at once (one pass over their concatenation: much faster)."""
    joined = _RS.join(texts)
    if joined.count(_RS) != max(len(texts) - 1, 0):
        return [_fold(t) for t in texts]
    return _fold(joined).split(_RS)


@functools.cache
def national_ranks() -> dict[str, int]:
    """Number -> rank of the national lines the app ships, first is highest (119 first): a national line
    listing one of these numbers (the app's own, or the publisher's that supersedes it) ranks by it."""
    from pare_desktop.core.demo import load_reference

    numbers = [p.number for s in load_reference() for p in s.phones[:1]]
    return {n: len(numbers) - k for k, n in enumerate(numbers)}


def departement_of_commune(insee: str) -> str:
    """The département of an INSEE commune code: 2 first characters, 3 for overseas ("97", "98")."""
    return insee[:3] if insee[:2] in ("97", "98") else insee[:2]


@dataclass(frozen=True, slots=True)
class TerritoryNames:
    """French names of territories and the région of each département (codes collide, so 3 maps)."""

    departements: Mapping[str, str] = field(default_factory=dict)  # départements and collectivités
    regions: Mapping[str, str] = field(default_factory=dict)
    region_of: Mapping[str, str] = field(default_factory=dict)  # département code -> région code


def pack(strings: Sequence[str]) -> Array:
    """Strings as one uint8 array (count, then items, separated by U+001F)."""
    joined = _SEP.join([str(len(strings)), *strings])
    if joined.count(_SEP) != len(strings):
        bad = next(s for s in strings if _SEP in s)
        raise ValueError(f"unsupported character U+001F in {bad!r}")
    return np.frombuffer(joined.encode(), dtype=np.uint8)


def unpack(arr: Array) -> list[str]:
    parts = arr.tobytes().decode().split(_SEP)
    return [] if parts[0] == "0" else parts[1:]


_WORD = re.compile(r"[^\W_]+")
# UTF-8 bytes -> the bytes split() cuts into tokens: ASCII letters lowercased, every other ASCII byte but the
# record separator a space, the bytes of other characters kept. A word (a run of letters and digits, what
# _WORD finds) never spans an ASCII byte that is not a letter or a digit, so a token holds whole words: an
# ASCII token is one word, the others (few distinct) are decoded and searched for words.
_TO_TOKENS = bytes(
    b if b >= 0x80 or chr(b).isalnum() or b == 0x1D else 0x20 for b in range(256)
).translate(bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz"))
_RS_TOKEN = _RS.encode()
_SIGMA = "\u03a3"  # Greek capital sigma: the one letter whose lowercase depends on its neighbours


def _token_terms(token: bytes) -> list[str]:
    """The folded terms of a non-ASCII token, as found in the lowercased NFC text of the whole corpus."""
    text = unicodedata.normalize("NFC", token.decode("utf-8", "surrogatepass").lower())
    return [t for w in _WORD.findall(text) for t in ([w] if w.isascii() else tokens(w))]


def _split(text: str) -> list[bytes]:
    """The tokens of a text (see _TO_TOKENS)."""
    if _SIGMA in text:  # lowered in context, as a whole (lowercasing a token again changes nothing)
        text = text.lower()
    return text.encode("utf-8", "surrogatepass").translate(_TO_TOKENS).split()  # lone surrogates: JSON


def _to_tokens(texts: Sequence[str]) -> bytes:
    """The texts joined by the separator token, as the bytes whose runs of non-spaces are their tokens
    (what _split makes of the joined text; a separator in a text is a space there)."""
    joined = " \x1d ".join(texts)
    if joined.count(_RS) != max(len(texts) - 1, 0):  # a text holds the separator: a space there
        joined = " \x1d ".join([t.replace(_RS, " ") for t in texts])
    if _SIGMA in joined:  # lowered in context, as a whole (lowercasing a token again changes nothing)
        joined = joined.lower()
    return joined.encode("utf-8", "surrogatepass").translate(_TO_TOKENS)


def _runs(flat: Array, starts: Array, lengths: Array) -> Array:
    """flat[starts[i] : starts[i] + lengths[i]] for every i, one after the other."""
    offsets = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    out: Array = flat[np.repeat(starts, lengths) + offsets]
    return out


class Postings:
    """The distinct folded words of texts fed chunk by chunk (rows: their arrival order), inverted at the
    end for any row order (a Csr: sorted terms, ptr, rows): memory stays bounded by one chunk's words, not
    the corpus. Texts may come with heads (add): words of their own that are kept apart as well."""

    def __init__(self) -> None:
        self._vocab: dict[str, int] = {}  # folded term -> provisional id (order of first sight)
        # the provisional ids of the terms of the token of code k (self._tokens; 0: the separator):
        # _terms[_start[k] : _start[k] + _len[k]]
        self._start, self._len, self._terms = array("q", [0]), array("q", [0]), array("q")
        self._tokens = TokenCodes(_RS_TOKEN)
        self._shared: dict[str, list[int]] = {}  # shared text (see add) -> provisional ids of its terms
        self._pairs, self._head_pairs = _Pairs(), _Pairs()  # the texts' words, the heads' words
        self.count = 0  # texts fed so far
        self._ranked: tuple[list[str], Array] | None = None  # see _ranks

    def add(self, texts: Sequence[str], shared: Sequence[Sequence[str]] = (),
            heads: Sequence[str] | None = None, more: Sequence[Sequence[str]] = ()) -> None:
        """The next texts: the chunk's UTF-8 bytes split into tokens and coded in one pass (numpy), the
        terms of each token found the first time it comes. `shared`: columns of more text, one string per
        text, that many texts share (labels, territory names): the words of each distinct string are
        found once, and are the i-th text's as if it held the column's i-th string. `heads`: one string
        per text whose words are the text's as if it began with it, and are also kept apart
        (finish_heads): one pass gives both the names' postings and the whole texts'. `more`: columns
        of more of the texts' own words, one string per text, as if joined to it by a space."""
        n = len(texts)
        self.count += n
        columns = [*([] if heads is None else [heads]), texts, *more]
        k = len(columns)
        parts: Sequence[str] = texts
        if k > 1:  # text by text, one column after the other
            parts = [""] * (k * n)
            for i, column in enumerate(columns):
                parts[i::k] = column
        codes = self._tokens.of_bytes(_to_tokens(parts))
        self._learn()
        segments = np.cumsum(codes == 0)  # in the chunk: text by text, column by column
        lengths = np.frombuffer(self._len, dtype=np.int64)[codes]  # separators, "–", "«"...: none
        firsts = np.frombuffer(self._start, dtype=np.int64)[codes]
        terms = np.frombuffer(self._terms, dtype=np.int64)
        if lengths.max(initial=0) <= 1:  # at most one term per token
            keep = np.flatnonzero(lengths == 1)
            term_ids, segments = terms[firsts[keep]], segments[keep]
        else:  # a token of several words, or a word that folds into several terms: expand
            segments = np.repeat(segments, lengths)
            term_ids = _runs(terms, firsts, lengths)
        del terms, codes, lengths, firsts  # the arrays may grow again
        rows = segments if k == 1 else segments // k
        if heads is not None:
            in_head = np.flatnonzero(segments % k == 0)
            self._head_pairs.add(term_ids[in_head], rows[in_head], n)
        if shared:
            term_parts, row_parts = [term_ids], [rows]
            for column in shared:
                column_terms, column_rows = self._shared_pairs(column)
                term_parts.append(column_terms)
                row_parts.append(column_rows)
            rows = np.concatenate(row_parts)
            by_text = np.argsort(rows.astype(np.uint16) if n <= 1 << 16 else rows, kind="stable")
            term_ids, rows = np.concatenate(term_parts)[by_text], rows[by_text]
        self._pairs.add(term_ids, rows, n)

    def _learn(self) -> None:
        """Give the tokens coded since the last call their terms (a new term its provisional id)."""
        vocab = self._vocab
        for token in self._tokens.tokens[len(self._len) :]:
            ids = [vocab.setdefault(t, len(vocab)) for t in ([token.decode()] if token.isascii() else
                                                              _token_terms(token))]
            self._start.append(len(self._terms))
            self._len.append(len(ids))
            self._terms.extend(ids)

    def _shared_pairs(self, column: Sequence[str]) -> tuple[Array, Array]:
        """(provisional term ids, rows in the chunk) of a column of shared text, one string per row."""
        known = self._shared
        distinct = list(set(column))
        for text in distinct:
            if text not in known:
                codes = self._tokens.of_tokens(_split(text.replace(_RS, " ")))
                self._learn()
                known[text] = sorted({t for k in codes.tolist()
                                      for t in self._terms[self._start[k] : self._start[k] + self._len[k]]})
        local = {text: k for k, text in enumerate(distinct)}
        which = np.fromiter(map(local.__getitem__, column), dtype=np.int64, count=len(column))
        ids = [known[text] for text in distinct]
        lengths = np.fromiter(map(len, ids), dtype=np.int64, count=len(ids))
        flat = np.fromiter(chain.from_iterable(ids), dtype=np.int64, count=int(lengths.sum()))
        reps = lengths[which]
        rows = np.repeat(np.arange(len(column)), reps)
        return _runs(flat, (np.cumsum(lengths) - lengths)[which], reps), rows

    def finish(self, row_of: Array | None = None) -> tuple[list[str], Array, Array]:
        """(sorted terms, ptr, rows): rows holding term k are rows[ptr[k]:ptr[k+1]], ascending, where
        `row_of[i]` is the final row of the i-th text fed (None: arrival order). The pairs are used up."""
        terms, rank = self._ranks()
        return terms, *self._pairs.invert(rank, len(terms), self.count, row_of)

    def finish_heads(self, row_of: Array | None = None) -> tuple[list[str], Array, Array]:
        """finish() of the heads' words alone (the terms: those the heads hold)."""
        terms, rank = self._ranks()
        used = np.zeros(len(terms), dtype=bool)
        used[rank[np.flatnonzero(self._head_pairs.hits)]] = True
        kept = np.flatnonzero(used)
        head_rank = np.cumsum(used) - 1  # sorted term id -> its place among the heads' terms
        return ([terms[k] for k in kept.tolist()],
                *self._head_pairs.invert(head_rank[rank], len(kept), self.count, row_of))

    def _ranks(self) -> tuple[list[str], Array]:
        """The terms sorted, and each provisional id's place among them (once for both finishes: the
        vocabulary only grows, so the same size is the same vocabulary)."""
        if self._ranked is None or len(self._ranked[0]) != len(self._vocab):
            terms = sorted(self._vocab)
            rank = np.empty(len(terms), dtype=np.int64)
            rank[np.fromiter(map(self._vocab.__getitem__, terms), dtype=np.int64, count=len(terms))] = (
                np.arange(len(terms))
            )
            self._ranked = terms, rank
        return self._ranked


class _Pairs:
    """Distinct (text, term) pairs fed chunk by chunk, kept text by text in arrival order: per chunk its
    provisional term ids and how many each text has; and how many pairs each term has in all."""

    def __init__(self) -> None:
        self.parts: list[tuple[Array, Array]] = []
        self.hits = np.zeros(0, dtype=np.int64)  # provisional term id -> pairs

    def add(self, term_ids: Array, rows: Array, n: int) -> None:
        """The pairs of a chunk of `n` texts: term ids, rows in the chunk (non-decreasing); a text's
        repeated words are dropped here (a record's repeated words cost nothing from here on)."""
        ids = term_ids.astype(np.int32)
        counts = np.bincount(rows, minlength=n)
        if len(ids):  # by term, stably: each term's rows ascending, a repeat next to the first
            order = _stable_order(ids, int(ids.max()) + 1)
            by_term, its_rows = ids[order], rows[order]
            again = np.flatnonzero((by_term[1:] == by_term[:-1]) & (its_rows[1:] == its_rows[:-1])) + 1
            if len(again):
                keep = np.ones(len(ids), dtype=bool)
                keep[order[again]] = False
                ids = ids[keep]
                counts -= np.bincount(its_rows[again], minlength=n)
        self.parts.append((ids, counts.astype(np.int32)))
        found = np.bincount(ids)
        if len(found) > len(self.hits):
            self.hits = np.concatenate((self.hits, np.zeros(len(found) - len(self.hits), dtype=np.int64)))
        self.hits[: len(found)] += found

    def invert(self, rank: Array, nterms: int, count: int, row_of: Array | None) -> tuple[Array, Array]:
        """(ptr, rows) of the pairs, provisional term ids made `rank`, the i-th text's row `row_of[i]`;
        the parts used up. No comparison sort: block by block of final rows, the pairs are gathered in
        row order, ordered by term with a stable radix sort and put in their term's place (a counting
        sort: each term's rows come ascending)."""
        counts = np.concatenate([c for _, c in self.parts] or [np.zeros(0, dtype=np.int32)]).astype(np.int64)
        total = int(counts.sum())
        flat = np.empty(total, dtype=np.int32)  # sorted term ids, texts in arrival order
        at = 0
        while self.parts:  # each part freed once copied
            term_ids, _ = self.parts.pop(0)
            flat[at : at + len(term_ids)] = rank[term_ids]
            at += len(term_ids)
            del term_ids
        starts = np.cumsum(counts) - counts
        if row_of is not None:  # by final row
            order = np.empty(count, dtype=np.int64)
            order[row_of] = np.arange(count)
            starts, counts = starts[order], counts[order]
            del order
        ptr = np.zeros(nterms + 1, dtype=np.int64)
        held = np.flatnonzero(self.hits)
        ptr[rank[held] + 1] = self.hits[held]
        np.cumsum(ptr, out=ptr)
        free = ptr[:-1].copy()  # each term's next place in `rows`
        rows = np.empty(total, dtype=np.int32)
        ends = np.cumsum(counts)
        lo = 0
        while lo < count:  # blocks of about _BLOCK pairs: bounded temporaries
            hi = max(int(np.searchsorted(ends, ends[lo] - counts[lo] + _BLOCK, side="right")), lo + 1)
            sizes = counts[lo:hi]
            terms = _runs(flat, starts[lo:hi], sizes)
            order = _stable_order(terms, nterms)
            terms = terms[order]
            if len(terms):
                runs = np.flatnonzero(np.concatenate(([True], terms[1:] != terms[:-1])))
                lengths = np.diff(np.append(runs, len(terms)))
                run_terms = terms[runs]
                place = np.repeat(free[run_terms] - runs, lengths)
                place += np.arange(len(terms))
                rows[place] = np.repeat(np.arange(lo, hi, dtype=np.int32), sizes)[order]
                free[run_terms] += lengths
            lo = hi
        return ptr, rows


_BLOCK = 1 << 18  # pairs ordered at a time by Postings' inversion


def _stable_order(values: Array, bound: int) -> Array:
    """np.argsort(values, kind="stable") of int32 values in [0, bound), by 16-bit keys (numpy's radix
    sort)."""
    if bound <= 1 << 16:
        return np.argsort(values.astype(np.uint16), kind="stable")
    order = np.argsort((values & 0xFFFF).astype(np.uint16), kind="stable")
    return order[np.argsort((values[order] >> 16).astype(np.uint16), kind="stable")]


def text_postings(texts: Iterable[str], n: int, chunk: int = 8192) -> tuple[list[str], Array, Array]:
    """The distinct folded words of each of `n` texts, inverted: (sorted terms, ptr, rows), a Csr."""
    postings = Postings()
    it = iter(texts)
    for start in range(0, n, chunk):
        postings.add(list(islice(it, min(chunk, n - start))))
    return postings.finish()


# What the territories of a record depend on: its département, the first 3 characters of its commune code
# (they give the département), its région and its area's régions, départements and communes.
_PlaceKey = tuple[str, str, str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]


def _place_key(s: Structure) -> _PlaceKey:
    a = s.area
    return s.departement, s.commune_code[:3], s.region, a.regions, a.departements, a.communes


def _territories(
    key: _PlaceKey, names: TerritoryNames, deps_of_region: Mapping[str, list[str]]
) -> tuple[set[str], set[str]]:
    """(départements, régions) where a record of this _place_key is located or that its area of
    intervention covers."""
    departement, commune_prefix, region, area_regions, area_departements, area_communes = key
    deps = {d for d in (departement, *area_departements) if d}
    if commune_prefix:
        deps.add(departement_of_commune(commune_prefix))
    deps.update(departement_of_commune(c) for c in area_communes if c)
    regs = {r for r in (region, *area_regions) if r}
    regs.update(names.region_of[d] for d in deps if d in names.region_of)
    for r in area_regions:
        deps.update(deps_of_region.get(r, ()))
    return deps, regs


_CACHE_LIMIT = 1 << 14  # entries of a _cached cache: past this, it starts again (bounded memory)


def _cached(cache: dict[Any, Any], keys: list[Any], compute: Callable[[Any], Any]) -> list[Any]:
    """cache[k] for each of `keys`, computed once for each key not seen yet (`compute` gives the same
    result for the same key every time: the cache may be emptied)."""
    try:
        return list(map(cache.__getitem__, keys))  # most chunks: every key seen already
    except KeyError:
        pass
    missing = set(keys).difference(cache)
    if len(cache) + len(missing) > _CACHE_LIMIT:
        cache.clear()
        missing = set(keys)
    for k in missing:
        cache[k] = compute(k)
    return list(map(cache.__getitem__, keys))


def build_arrays(records: Sequence[Structure], names: TerritoryNames) -> dict[str, Array]:
    """Every array of the index, records sorted by (folded name, id): row order is name order."""
    builder = IndexBuilder(names)
    for start in range(0, len(records), BUILD_CHUNK):
        builder.add(records[start : start + BUILD_CHUNK])
    return builder.arrays()


BUILD_CHUNK = 4096
_DEPARTEMENT, _REGION = operator.attrgetter("departement"), operator.attrgetter("region")
_MULTI_KEYS = ("support", "public", "modality", "dep", "reg")


class IndexBuilder:
    """The index arrays of records fed chunk by chunk, each reduced at once to codes, numbers and
    postings (a few dozen bytes), so that the records need not all be held while the index is built;
    rows are sorted by (folded name, id) at the end, as build_arrays does."""

    def __init__(self, names: TerritoryNames, *, text: bool = True) -> None:
        self._names = names
        self._text = text  # False: facets, positions and flags only (rows by id; see splice_fields)
        self._deps_of_region: dict[str, list[str]] = {}
        for d, r in names.region_of.items():
            self._deps_of_region.setdefault(r, []).append(d)
        self._ranks = national_ranks()
        self._ids: list[str] = []
        self._folded: list[str] = []
        # value -> provisional code (order of first sight), per single-valued and multi-valued key
        self._codes: dict[str, dict[str, int]] = {k: {} for k in ("type", "hours", *_MULTI_KEYS)}
        self._single: dict[str, array[int]] = {"type": array("i"), "hours": array("i")}
        self._multi: dict[str, tuple[array[int], array[int]]] = {
            k: (array("i"), array("i")) for k in _MULTI_KEYS  # codes, and how many per record
        }
        self._lat, self._lon = array("d"), array("d")
        self._updated = array("i")
        self._national, self._pro = array("b"), array("b")
        self._priority = array("h")
        self._all_postings = Postings()  # the names' words as its heads
        # distinct value -> what add() derives from it, per column (see add)
        self._cache: dict[str, dict[Any, Any]] = {
            k: {} for k in ("hours", "support", "public", "modality", "place")
        }

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, records: Sequence[Structure]) -> None:
        """Index the next records (any order: rows are sorted at the end), column by column: what many
        records share (hours, supports, publics, modalities, places) is coded once per distinct value."""
        if not records:
            return
        names, codes, cache = self._names, self._codes, self._cache
        folded = _fold_many([r.name for r in records]) if self._text else [""] * len(records)
        self._ids.extend([s.id for s in records])
        table = codes["type"]
        self._single["type"].extend([table.setdefault(s.type, len(table)) if s.type else -1 for s in records])
        self._single["hours"].extend(
            _cached(cache["hours"], [(s.opening_hours, s.timezone) for s in records], self._hours_code)
        )
        supports = [s.supports for s in records]
        places = _cached(cache["place"], [_place_key(s) for s in records], self._place_codes)
        for key, per_record in (
            ("support", self._multi_codes("support", supports)),
            ("public", self._multi_codes("public", [s.publics for s in records])),
            ("modality", self._multi_codes("modality", [s.modalities for s in records])),
            ("dep", [d for d, _ in places]),
            ("reg", [r for _, r in places]),
        ):
            flat, counts = self._multi[key]
            flat.fromlist(list(chain.from_iterable(per_record)))  # faster than extend(an iterator)
            counts.fromlist(list(map(len, per_record)))
        nan = math.nan
        # distances must not reveal a confidential address
        public = [s.for_public() if s.address_visibility == VISIBILITY_PRO else s for s in records]
        self._lat.extend([nan if s.latitude is None or s.longitude is None else s.latitude for s in public])
        self._lon.extend([nan if s.latitude is None or s.longitude is None else s.longitude for s in public])
        self._updated.extend([_NO_DATE if s.updated is None else s.updated.toordinal() for s in records])
        self._national.extend([s.area.national for s in records])
        ranks = self._ranks
        self._priority.extend([
            max((ranks.get(p.number, 0) for p in s.phones), default=0) if s.area.national else 0
            for s in records
        ])
        self._pro.extend([s.visibility == VISIBILITY_PRO for s in records])
        self._folded.extend(folded)
        if self._text:
            # the type's and supports' label words come from the facets (arrays(): _text_arrays); the
            # territory names, shared by many records, are found once per distinct name
            dep_names, region_names = names.departements, names.regions
            # the name's words as the text's own (not the whole folded name: « Maison™ » folds whole to
            # « maisontm » but word by word to « maison », the words the text postings hold)
            self._all_postings.add([s.commune for s in records], (
                list(map(dep_names.get, map(_DEPARTEMENT, records), repeat(""))),
                list(map(region_names.get, map(_REGION, records), repeat(""))),
            ), heads=[s.name for s in records], more=[[s.description for s in records]])

    def _hours_code(self, key: tuple[str, str]) -> int:
        """The provisional code of the hours group value of (opening hours, time zone); -1: no hours."""
        oh = key[0].strip().replace(HOURS_SEP, " ")
        table = self._codes["hours"]
        return table.setdefault(oh + HOURS_SEP + key[1], len(table)) if oh else -1

    def _multi_codes(self, key: str, per_record: list[tuple[str, ...]]) -> list[tuple[int, ...]]:
        """The provisional codes of the values of a multi-valued key, record by record."""
        return _cached(self._cache[key], per_record, functools.partial(self._value_codes, key))

    def _value_codes(self, key: str, values: tuple[str, ...]) -> tuple[int, ...]:
        """The provisional codes of the distinct values of a multi-valued key."""
        table = self._codes[key]
        return tuple(table.setdefault(v, len(table)) for v in set(values))

    def _place_codes(self, key: _PlaceKey) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """The provisional codes of the (départements, régions) of a place."""
        deps, regs = _territories(key, self._names, self._deps_of_region)
        return self._value_codes("dep", tuple(deps)), self._value_codes("reg", tuple(regs))

    def arrays(self) -> dict[str, Array]:
        """Every array of the index (the builder is used up)."""
        n = len(self._ids)
        ids, folded = self._ids, self._folded
        by_id = sorted(range(n), key=ids.__getitem__)
        by_id.sort(key=folded.__getitem__)  # stable: (folded name, id), faster than sorting on pairs
        order = np.fromiter(by_id, dtype=np.int64, count=n)
        row_of = np.empty(n, dtype=np.int64)
        row_of[order] = np.arange(n)

        def numbers(values: array[Any], dtype: Any) -> Array:
            return np.asarray(np.frombuffer(values, dtype=values.typecode)[order] if n else [], dtype=dtype)

        out: dict[str, Array] = {
            "version": np.array([FORMAT_VERSION], dtype=np.int32),
            "ids": pack(list(map(ids.__getitem__, by_id))),
            "folded": pack(list(map(folded.__getitem__, by_id))),
            "lat": numbers(self._lat, np.float64), "lon": numbers(self._lon, np.float64),
            "updated": numbers(self._updated, np.int32), "national": numbers(self._national, bool),
            "pro": numbers(self._pro, bool), "priority": numbers(self._priority, np.int16),
        }
        del by_id
        if self._text:
            name = self._all_postings.finish_heads(row_of)
            out["name_rows"] = name[2]
        for key in _MULTI_KEYS:
            distinct, final = self._sorted_codes(key)
            flat, counts = self._multi[key]
            vals = final[np.frombuffer(flat, dtype=np.int32)] if len(flat) else np.zeros(0, dtype=np.int64)
            rows = np.repeat(row_of, np.frombuffer(counts, dtype=np.int32)) if n else np.zeros(0, np.int64)
            keys: Array = vals.astype(np.int32 if (len(distinct) + 1) * max(n, 1) < 1 << 31 else np.int64)
            keys *= max(n, 1)
            keys += rows
            keys.sort()  # value-major, rows ascending (a record's values are distinct); 32 bits: faster
            out[key + "_rows"] = (keys % max(n, 1)).astype(np.int32)
            out[key + "_ptr"] = np.zeros(len(distinct) + 1, dtype=np.int64)
            np.cumsum(np.bincount(keys // max(n, 1), minlength=len(distinct)), out=out[key + "_ptr"][1:])
            out[key + "_values"] = pack(distinct)
        for key in ("type", "hours"):
            distinct, final = self._sorted_codes(key)
            codes = np.frombuffer(self._single[key], dtype=np.int32)[order] if n else np.zeros(0, np.int32)
            out[key + "_values"] = pack(distinct)
            out[key + "_code"] = np.where(codes < 0, -1, final[codes] if len(final) else -1).astype(np.int32)
        if self._text:
            _text_arrays(out, self._all_postings.finish(row_of), name[:2], n)
        return out

    def _sorted_codes(self, key: str) -> tuple[list[str], Array]:
        """The distinct values of `key` sorted, and each provisional code's place among them."""
        table = self._codes[key]
        distinct = sorted(table)
        final = np.empty(len(table), dtype=np.int64)
        final[np.fromiter(map(table.__getitem__, distinct), dtype=np.int64, count=len(distinct))] = (
            np.arange(len(distinct))
        )
        return distinct, final


# --- the words of the type and support labels --------------------------------------------------------------
# The "all" postings are the words of each record's own text (name, commune, territories, description) and
# those of its type's and supports' labels. The label words are not tokenized record by record: they follow
# from the type and support facets (_label_rows). The index also keeps, for the label words, the rows
# where they occur in the records' own text ("label_text"): a change of types and supports only
# (a data·inclusion services file) then updates the index without reading any text again (splice_fields).


@functools.cache
def _label_texts() -> dict[str, dict[str, str]]:
    """Facet key -> value -> the text its label adds to a record's words (unknown values: the value)."""
    return {"type": {t.slug: t.label for t in vocabulary.terms("type")},
            "support": {t.slug: t.label for t in vocabulary.terms("support")}}


@functools.lru_cache(maxsize=4096)
def text_terms(text: str) -> tuple[str, ...]:
    """The distinct folded terms the postings make of `text`, sorted."""
    postings = Postings()
    postings.add([text])
    return tuple(postings.finish()[0])


def _label_rows(a: Mapping[str, Array]) -> dict[str, list[Array]]:
    """Label term -> the row arrays whose type or supports carry it (from the finished facet arrays)."""
    labels = _label_texts()
    found: dict[str, list[Array]] = {}
    codes = a["type_code"]
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(-1, len(unpack(a["type_values"])) + 1))
    for k, value in enumerate(unpack(a["type_values"])):
        rows = order[bounds[k + 1] : bounds[k + 2]]
        for term in text_terms(labels["type"].get(value, value)):
            found.setdefault(term, []).append(rows)
    ptr, support_rows = a["support_ptr"], a["support_rows"]
    for k, value in enumerate(unpack(a["support_values"])):
        for term in text_terms(labels["support"].get(value, value)):
            found.setdefault(term, []).append(support_rows[ptr[k] : ptr[k + 1]])
    return found


Csr = tuple[list[str], Array, Array]  # (sorted terms, ptr, rows): rows of term k are rows[ptr[k]:ptr[k+1]]


def _from_keys(keys: Array, n: int, nterms: int) -> tuple[Array, Array]:
    """(ptr, rows) of sorted, distinct keys term * n + row."""
    ptr = np.zeros(nterms + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys // n, minlength=nterms), out=ptr[1:])
    return ptr, (keys % n).astype(np.int32)


def _replace_terms(csr_: Csr, rows_of: Mapping[str, Array]) -> Csr:
    """The postings with the rows of the terms in `rows_of` replaced (new terms put in their place,
    terms left without rows dropped). The other terms' rows are copied slice by slice: no sort."""
    terms, ptr, rows = csr_
    out_terms: list[str] = []
    counts: list[Array] = []
    pieces: list[Array] = []
    j = 0  # the next term of `terms` not yet copied
    for term in sorted(rows_of):
        k = bisect_left(terms, term, j)
        out_terms += terms[j:k]
        counts.append(np.diff(ptr[j : k + 1]))
        pieces.append(rows[ptr[j] : ptr[k]])
        j = k + 1 if k < len(terms) and terms[k] == term else k
        new = rows_of[term]
        if len(new):
            out_terms.append(term)
            counts.append(np.array([len(new)], dtype=np.int64))
            pieces.append(new.astype(np.int32))
    out_terms += terms[j:]
    counts.append(np.diff(ptr[j:]))
    pieces.append(rows[ptr[j] :])
    out_ptr = np.zeros(len(out_terms) + 1, dtype=np.int64)
    np.cumsum(np.concatenate(counts), out=out_ptr[1:])
    return out_terms, out_ptr, np.concatenate(pieces).astype(np.int32, copy=False)


def _rows_of(csr_: Csr, term: str) -> Array:
    terms, ptr, rows = csr_
    k = bisect_left(terms, term)
    return rows[ptr[k] : ptr[k + 1]] if k < len(terms) and terms[k] == term else rows[:0]


def _union(n: int, *rows: Array) -> Array:
    """The rows in any of `rows`, sorted, once each (by a mask: label words span most rows, and a sort
    of them costs more)."""
    mask = np.zeros(n, dtype=bool)
    for r in rows:
        mask[r] = True
    return np.flatnonzero(mask).astype(np.int32)


def _text_arrays(out: dict[str, Array], own: Csr, name: tuple[list[str], Array], n: int) -> None:
    """The "all" postings: `own`, the records' own words, with their label words added; the label words'
    own-text rows; the name postings' ptr re-expressed against the "all" terms (one bisect serves both).
    `out` holds the finished facet arrays and name_rows; `name`: the name postings' (terms, ptr)."""
    label = _label_rows(out)
    own_rows = {term: _rows_of(own, term) for term in label}
    merged = {term: _union(n, own_rows[term], *found) for term, found in label.items()}
    terms, out["all_ptr"], out["all_rows"] = _replace_terms(own, merged)
    out["terms"] = pack(terms)
    # the label words' rows from the records' own text (splice_fields needs them to drop old labels)
    texts = sorted(t for t in label if len(own_rows[t]))
    out["label_terms"] = pack(sorted(label))
    out["label_text_terms"] = pack(texts)
    out["label_text_ptr"] = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum([len(own_rows[t]) for t in texts], out=out["label_text_ptr"][1:])
    out["label_text_rows"] = np.concatenate([own_rows[t] for t in texts] or [np.zeros(0)]).astype(np.int32)
    name_terms, name_ptr = name
    at = {t: k for k, t in enumerate(terms)}
    if name_terms and not set(name_terms) <= at.keys():
        raise AssertionError("name tokens must be a subset of all tokens")
    per_term = np.zeros(len(terms), dtype=np.int64)
    per_term[np.fromiter(map(at.__getitem__, name_terms), dtype=np.int64, count=len(name_terms))] = (
        np.diff(name_ptr)
    )
    out["name_ptr"] = np.zeros(len(terms) + 1, dtype=np.int64)
    np.cumsum(per_term, out=out["name_ptr"][1:])


def text_fields(s: Structure) -> tuple[str, ...]:
    """What a record's own words are made of (IndexBuilder.add), its name first: records that agree on
    these can trade facets by splice_fields."""
    return (s.name, s.commune, s.departement, s.region, s.description)


def _remap(values: list[str], union: Mapping[str, int]) -> Array:
    """Codes of `values` in `union`, with a last slot -1 for the code -1 (no value)."""
    return np.array([*(union[v] for v in values), -1], dtype=np.int64)


def _compact(codes: Array, union: list[str]) -> tuple[Array, list[str]]:
    """Codes into `union` renumbered into the values used only (sorted, as a build keeps them)."""
    used = np.unique(codes[codes >= 0])
    final = np.full(len(union) + 1, -1, dtype=np.int64)
    final[used] = np.arange(len(used))
    return final[codes], [union[i] for i in used.tolist()]


def splice_fields(a: Mapping[str, Array], part: Mapping[str, Array]) -> dict[str, Array] | None:
    """The arrays of the index `a` where the records of `part` (built with IndexBuilder(text=False) from
    new versions of some of a's records) take their new facets, positions and flags, byte for byte what a
    full build of the new records gives. The records' own words (text_fields) must not have changed: only
    their label words follow the new types and supports. An array `part` leaves out (positions, dates,
    hours, mode: what a change of facets alone leaves as it was) is kept from `a` for its records. None
    when a record of `part` is not in `a`."""
    n = len(a["lat"])
    span = max(n, 1)
    row_of = {v: k for k, v in enumerate(unpack(a["ids"]))}
    found = [row_of.get(i) for i in unpack(part["ids"])]
    if any(r is None for r in found):
        return None
    rows = np.array(found, dtype=np.int64)
    changed = np.zeros(n, dtype=bool)
    changed[rows] = True
    out = dict(a)
    for key in ("lat", "lon", "updated", "national", "pro", "priority"):
        if key in part:
            out[key] = a[key].copy()
            out[key][rows] = part[key]
    for key in ("type", "hours"):
        if key + "_code" not in part:
            continue
        old, new = unpack(a[key + "_values"]), unpack(part[key + "_values"])
        union = sorted(set(old) | set(new))
        at = {v: k for k, v in enumerate(union)}
        codes = _remap(old, at)[a[key + "_code"]]
        codes[rows] = _remap(new, at)[part[key + "_code"]]
        codes, values = _compact(codes, union)
        out[key + "_code"], out[key + "_values"] = codes.astype(np.int32), pack(values)
    for key in _MULTI_KEYS:
        old, new = unpack(a[key + "_values"]), unpack(part[key + "_values"])
        union = sorted(set(old) | set(new))
        at = {v: k for k, v in enumerate(union)}
        old_codes = np.repeat(_remap(old, at)[:-1], np.diff(a[key + "_ptr"]))
        old_rows = a[key + "_rows"].astype(np.int64)
        kept = ~changed[old_rows]
        new_codes = np.repeat(_remap(new, at)[:-1], np.diff(part[key + "_ptr"]))
        codes, values = _compact(np.concatenate((old_codes[kept], new_codes)), union)
        keys = codes * span + np.concatenate((old_rows[kept], rows[part[key + "_rows"]]))
        keys.sort()
        out[key + "_ptr"], out[key + "_rows"] = _from_keys(keys, span, len(values))
        out[key + "_values"] = pack(values)
    # the records' own words: the "all" postings without the label words, plus their own-text rows
    terms = unpack(a["terms"])
    texts: Csr = (unpack(a["label_text_terms"]), a["label_text_ptr"], a["label_text_rows"])
    own = _replace_terms(
        (terms, a["all_ptr"], a["all_rows"]), {t: _rows_of(texts, t) for t in unpack(a["label_terms"])}
    )
    name_counts = np.diff(a["name_ptr"])
    named = np.flatnonzero(name_counts)
    name = ([terms[k] for k in named.tolist()], np.concatenate(([0], np.cumsum(name_counts[named]))))
    _text_arrays(out, own, name, n)
    return out
