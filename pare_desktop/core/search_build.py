"""Building the search index arrays from structures: text folding, postings, facets, territories."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from pare_desktop.core import vocabulary
from pare_desktop.core.records import VISIBILITY_PRO, Structure

Array = npt.NDArray[Any]
FORMAT_VERSION = 1
_SEP = "\x1f"
HOURS_SEP = "\x1e"  # between opening hours and time zone in a hours group value
_WORD = re.compile(r"[^\W_]+")
_COMBINING = re.compile(r"[\u0300-\u036f]")
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", _SEP: " "})
_NO_DATE = np.iinfo(np.int32).min


def _fold(text: str) -> str:
    """Lowercase, accents and ligatures removed: "Œuvre Réunion" -> "oeuvre reunion"."""
    s = unicodedata.normalize("NFKD", text.lower())
    if not s.isascii():
        s = _COMBINING.sub("", s)
        if not s.isascii():
            s = "".join(c for c in s if not unicodedata.combining(c))
    return s.translate(_LIGATURES)


def _tokens(text: str) -> list[str]:
    """The folded alphanumeric words of `text`."""
    return _WORD.findall(_fold(text))


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


def csr(lists: Sequence[Sequence[int]], n_values: int) -> tuple[Array, Array]:
    """Invert per-record value lists into (ptr, rows): rows of value v are rows[ptr[v]:ptr[v+1]]."""
    counts = np.fromiter((len(v) for v in lists), dtype=np.int64, count=len(lists))
    flat = np.fromiter((x for v in lists for x in v), dtype=np.int32, count=int(counts.sum()))
    rows = np.repeat(np.arange(len(lists), dtype=np.int32), counts)
    order = np.argsort(flat, kind="stable")
    ptr = np.zeros(n_values + 1, dtype=np.int64)
    np.cumsum(np.bincount(flat, minlength=n_values), out=ptr[1:])
    return ptr, rows[order]


class _Codes:
    """Assigns small integer codes to strings; values are sorted at the end."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}

    def __call__(self, value: str) -> int:
        return self.ids.setdefault(value, len(self.ids))

    def sorted_remap(self) -> tuple[list[str], Array]:
        values = sorted(self.ids)
        remap = np.empty(len(values), dtype=np.int32)
        for new, v in enumerate(values):
            remap[self.ids[v]] = new
        return values, remap


def _remap_lists(lists: list[list[int]], remap: Array) -> list[list[int]]:
    table = remap.tolist()
    return [[table[x] for x in v] for v in lists]


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


def _label_tokens(kind: str) -> dict[str, list[str]]:
    return {t.slug: _tokens(t.label) for t in vocabulary.terms(kind)}


def build_arrays(records: Sequence[Structure], names: TerritoryNames) -> dict[str, Array]:
    """Every array of the index, records sorted by folded name (row order == name order)."""
    folded = [_fold(r.name) for r in records]
    order = sorted(range(len(records)), key=lambda i: (folded[i], records[i].name, records[i].id))
    recs = [records[i] for i in order]
    folded = [folded[i] for i in order]
    deps_of_region: dict[str, list[str]] = {}
    for d, r in names.region_of.items():
        deps_of_region.setdefault(r, []).append(d)
    type_tok, sup_tok = _label_tokens("type"), _label_tokens("support")
    place_tok: dict[str, list[str]] = {}

    def place(kind: str, code: str, name: str) -> list[str]:
        key = kind + code
        if key not in place_tok:
            place_tok[key] = _tokens(name)
        return place_tok[key]

    terms, types, hours = _Codes(), _Codes(), _Codes()
    multi = {k: _Codes() for k in ("support", "public", "modality", "dep", "reg")}
    multi_lists: dict[str, list[list[int]]] = {k: [] for k in multi}
    name_lists: list[list[int]] = []
    all_lists: list[list[int]] = []
    n = len(recs)
    type_code = np.empty(n, dtype=np.int32)
    hours_group = np.full(n, -1, dtype=np.int32)
    lat = np.full(n, np.nan)
    lon = np.full(n, np.nan)
    updated = np.full(n, _NO_DATE, dtype=np.int32)
    national = np.zeros(n, dtype=bool)
    pro = np.zeros(n, dtype=bool)
    for i, s in enumerate(recs):
        name_t = set(_WORD.findall(folded[i]))
        all_t = set(name_t)
        all_t.update(type_tok.get(s.type) or _tokens(s.type))
        for sup in s.supports:
            all_t.update(sup_tok.get(sup) or _tokens(sup))
        all_t.update(place("c", s.commune, s.commune))
        all_t.update(place("d", s.departement, names.departements.get(s.departement, "")))
        all_t.update(place("r", s.region, names.regions.get(s.region, "")))
        all_t.update(_tokens(s.description))
        name_lists.append([terms(t) for t in name_t])
        all_lists.append([terms(t) for t in all_t])
        type_code[i] = types(s.type)
        deps, regs = _territories(s, names, deps_of_region)
        for key, values in (("support", s.supports), ("public", s.publics), ("modality", s.modalities),
                            ("dep", deps), ("reg", regs)):
            codes = multi[key]
            multi_lists[key].append(sorted({codes(v) for v in values}))
        if s.opening_hours.strip():
            hours_group[i] = hours(s.opening_hours.strip().replace(HOURS_SEP, " ") + HOURS_SEP + s.timezone)
        if s.latitude is not None and s.longitude is not None:
            lat[i], lon[i] = s.latitude, s.longitude
        if s.updated is not None:
            updated[i] = s.updated.toordinal()
        national[i] = s.area.national
        pro[i] = s.visibility == VISIBILITY_PRO
    out: dict[str, Array] = {
        "version": np.array([FORMAT_VERSION], dtype=np.int32),
        "ids": pack([s.id for s in recs]),
        "folded": pack(folded),
        "lat": lat, "lon": lon, "updated": updated, "national": national, "pro": pro,
    }
    term_values, remap = terms.sorted_remap()
    out["terms"] = pack(term_values)
    out["name_ptr"], out["name_rows"] = csr(_remap_lists(name_lists, remap), len(term_values))
    out["all_ptr"], out["all_rows"] = csr(_remap_lists(all_lists, remap), len(term_values))
    type_values, remap = types.sorted_remap()
    out["type_values"], out["type_code"] = pack(type_values), remap[type_code]
    for key, codes in multi.items():
        multi_values, remap = codes.sorted_remap()
        out[key + "_values"] = pack(multi_values)
        out[key + "_ptr"], out[key + "_rows"] = csr(_remap_lists(multi_lists[key], remap), len(multi_values))
    hour_values, remap = hours.sorted_remap()
    out["hours_values"] = pack(hour_values)
    out["hours_group"] = np.append(remap, -1).astype(np.int32)[hours_group]
    return out
