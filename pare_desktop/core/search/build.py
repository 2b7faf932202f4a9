"""Building the search index arrays from structures: text folding, postings, facets, territories."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

import numpy as np
import numpy.typing as npt

from pare_desktop.core import vocabulary
from pare_desktop.core.records import VISIBILITY_PRO, Structure
from pare_desktop.core.text import fold_letters, tokens

Array = npt.NDArray[Any]
FORMAT_VERSION = 2
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
    for s in strings:
        if _SEP in s:
            raise ValueError(f"unsupported character U+001F in {s!r}")
    return np.frombuffer(_SEP.join([str(len(strings)), *strings]).encode(), dtype=np.uint8)


def unpack(arr: Array) -> list[str]:
    parts = arr.tobytes().decode().split(_SEP)
    return [] if parts[0] == "0" else parts[1:]


def csr(values: list[str], counts: list[int]) -> tuple[list[str], Array, Array]:
    """Invert flat per-record value lists (record i owns `counts[i]` items of `values`).

    Returns (sorted distinct values, ptr, rows): rows holding value k are rows[ptr[k]:ptr[k+1]], ascending.
    """
    distinct = sorted(set(values))
    code_of = {v: k for k, v in enumerate(distinct)}
    flat = np.fromiter(map(code_of.__getitem__, values), dtype=np.int32, count=len(values))
    rows = np.repeat(np.arange(len(counts), dtype=np.int32), np.asarray(counts, dtype=np.int64))
    order = np.argsort(flat, kind="stable")
    ptr = np.zeros(len(distinct) + 1, dtype=np.int64)
    np.cumsum(np.bincount(flat, minlength=len(distinct)), out=ptr[1:])
    return distinct, ptr, rows[order]


_WORD_OR_RS = re.compile(r"[^\W_]+|\x1d")


def text_postings(texts: Iterable[str], n: int, chunk: int = 8192) -> tuple[list[str], Array, Array]:
    """The distinct folded words of each of `n` texts, inverted like csr(): (sorted terms, ptr, rows).

    Chunk by chunk: one regex pass over the lowercased chunk, accents folded once per distinct word,
    then numpy; memory stays bounded by the chunk, not the corpus.
    """
    span = max(n, 1)
    vocab: dict[str, int] = {}  # folded term -> provisional id (order of first sight)
    folded_ids: dict[str, list[int]] = {}  # raw word -> provisional ids of its folded terms
    parts: list[Array] = []
    it = iter(texts)
    for start in range(0, n, chunk):
        block = [t.replace(_RS, " ") for t in islice(it, min(chunk, n - start))]
        joined = _RS.join(block).lower()
        if not joined.isascii() and not unicodedata.is_normalized("NFC", joined):
            joined = unicodedata.normalize("NFC", joined)
        raw = _WORD_OR_RS.findall(joined)
        del joined, block
        words = [w for w in set(raw) if w != _RS]
        for w in words:
            if w not in folded_ids:
                terms_of = [w] if w.isascii() else tokens(w)
                folded_ids[w] = [vocab.setdefault(t, len(vocab)) for t in terms_of]
        local = {w: k for k, w in enumerate(words)}
        local[_RS] = -1
        codes = np.fromiter(map(local.__getitem__, raw), dtype=np.int64, count=len(raw))
        del raw
        is_sep = codes < 0
        rows = np.cumsum(is_sep)[~is_sep] + start
        codes = codes[~is_sep]
        lengths = np.fromiter((len(folded_ids[w]) for w in words), dtype=np.int64, count=len(words))
        flat = np.fromiter(
            (t for w in words for t in folded_ids[w]), dtype=np.int64, count=int(lengths.sum())
        )
        if len(words) and bool((lengths == 1).all()):
            term_ids = flat[codes]
        else:  # a word that folds into several terms (rare): expand
            starts = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64)
            reps = lengths[codes]
            rows = np.repeat(rows, reps)
            offsets = np.arange(int(reps.sum())) - np.repeat(np.cumsum(reps) - reps, reps)
            term_ids = flat[np.repeat(starts[codes], reps) + offsets]
        part = term_ids * span + rows
        part.sort()  # de-duplicated per chunk: a record's repeated words cost nothing from here on
        parts.append(part[np.concatenate(([True], part[1:] != part[:-1]))] if len(part) else part)
    terms = sorted(vocab)
    rank = np.empty(len(vocab), dtype=np.int64)
    rank[np.fromiter(map(vocab.__getitem__, terms), dtype=np.int64, count=len(terms))] = np.arange(len(terms))
    keys = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
    del parts
    # In place where numpy allows: at 100k records these arrays hold millions of (term, row) pairs.
    rows = (keys % span).astype(np.int32)
    keys //= span
    np.take(rank, keys, out=keys)  # provisional term ids -> sorted term ids
    keys *= span
    keys += rows
    del rows
    keys.sort()  # term-major, rows ascending: CSR order
    if len(keys):  # de-duplicate (np.unique hashes in numpy 2 and is far slower than a sort here)
        keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
    rows = (keys % span).astype(np.int32)
    keys //= span
    ptr = np.zeros(len(terms) + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys, minlength=len(terms)), out=ptr[1:])
    return terms, ptr, rows


def _territories(
    s: Structure, names: TerritoryNames, deps_of_region: Mapping[str, list[str]]
) -> tuple[set[str], set[str]]:
    """(départements, régions) where `s` is located or that its area of intervention covers."""
    deps = {d for d in (s.departement, *s.area.departements) if d}
    if s.commune_code:
        deps.add(departement_of_commune(s.commune_code))
    deps.update(departement_of_commune(c) for c in s.area.communes if c)
    regs = {r for r in (s.region, *s.area.regions) if r}
    regs.update(names.region_of[d] for d in deps if d in names.region_of)
    for r in s.area.regions:
        deps.update(deps_of_region.get(r, ()))
    return deps, regs


def build_arrays(records: Sequence[Structure], names: TerritoryNames) -> dict[str, Array]:
    """Every array of the index, records sorted by (folded name, id): row order is name order."""
    folded = _fold_many([r.name for r in records])
    order = sorted(range(len(records)), key=lambda i: (folded[i], records[i].id))
    recs = [records[i] for i in order]
    folded = [folded[i] for i in order]
    deps_of_region: dict[str, list[str]] = {}
    for d, r in names.region_of.items():
        deps_of_region.setdefault(r, []).append(d)
    type_text = {t.slug: t.label for t in vocabulary.terms("type")}
    sup_text = {t.slug: t.label for t in vocabulary.terms("support")}
    multi_vals: dict[str, list[str]] = {k: [] for k in ("support", "public", "modality", "dep", "reg")}
    multi_counts: dict[str, list[int]] = {k: [] for k in multi_vals}
    n = len(recs)
    types: list[str] = []
    hour_groups: list[str] = []
    lat = np.full(n, np.nan)
    lon = np.full(n, np.nan)
    updated = np.full(n, _NO_DATE, dtype=np.int32)
    national = np.zeros(n, dtype=bool)
    pro = np.zeros(n, dtype=bool)
    priority = np.zeros(n, dtype=np.int16)
    ranks = national_ranks()
    for i, s in enumerate(recs):
        types.append(s.type)
        deps, regs = _territories(s, names, deps_of_region)
        for key, values in (("support", set(s.supports)), ("public", set(s.publics)),
                            ("modality", set(s.modalities)), ("dep", deps), ("reg", regs)):
            multi_vals[key].extend(values)
            multi_counts[key].append(len(values))
        oh = s.opening_hours.strip().replace(HOURS_SEP, " ")
        hour_groups.append(oh + HOURS_SEP + s.timezone if oh else "")
        if s.address_visibility == VISIBILITY_PRO:  # distances must not reveal a confidential address
            s = s.for_public()
        if s.latitude is not None and s.longitude is not None:
            lat[i], lon[i] = s.latitude, s.longitude
        if s.updated is not None:
            updated[i] = s.updated.toordinal()
        national[i] = s.area.national
        if s.area.national:
            priority[i] = max((ranks.get(p.number, 0) for p in s.phones), default=0)
        pro[i] = s.visibility == VISIBILITY_PRO
    out: dict[str, Array] = {
        "version": np.array([FORMAT_VERSION], dtype=np.int32),
        "ids": pack([s.id for s in recs]),
        "folded": pack(folded),
        "lat": lat, "lon": lon, "updated": updated, "national": national, "pro": pro,
        "priority": priority,
    }
    def all_text(s: Structure) -> str:  # everything "all" tokens come from, made chunk by chunk
        return " ".join((
            s.name, type_text.get(s.type, s.type), *(sup_text.get(x, x) for x in s.supports), s.commune,
            names.departements.get(s.departement, ""), names.regions.get(s.region, ""), s.description,
        ))

    term_values, out["name_ptr"], out["name_rows"] = text_postings(folded, n)
    all_values, out["all_ptr"], out["all_rows"] = text_postings(map(all_text, recs), n)
    if term_values and not set(term_values) <= set(all_values):
        raise AssertionError("name tokens must be a subset of all tokens")
    # Name postings are re-expressed against the "all" vocabulary so one bisect serves both.
    name_ptr = np.zeros(len(all_values) + 1, dtype=np.int64)
    all_pos = {t: k for k, t in enumerate(all_values)}
    pos = np.fromiter(map(all_pos.__getitem__, term_values), dtype=np.int64, count=len(term_values))
    per_term = np.zeros(len(all_values), dtype=np.int64)
    per_term[pos] = np.diff(out["name_ptr"])
    np.cumsum(per_term, out=name_ptr[1:])
    out["name_ptr"] = name_ptr
    out["terms"] = pack(all_values)
    for key, vals in multi_vals.items():
        distinct, out[key + "_ptr"], out[key + "_rows"] = csr(vals, multi_counts[key])
        out[key + "_values"] = pack(distinct)
    for key, per_row in (("type", types), ("hours", hour_groups)):
        distinct = sorted(set(per_row) - {""})
        code_of = {v: k for k, v in enumerate(distinct)}
        code_of[""] = -1
        out[key + "_values"] = pack(distinct)
        out[key + "_code"] = np.fromiter(map(code_of.__getitem__, per_row), dtype=np.int32, count=n)
    return out
