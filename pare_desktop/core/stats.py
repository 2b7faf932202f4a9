"""Coverage figures for a search: per territory, per support type, territory × support, age of records."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from pare_desktop.core import vocabulary
from pare_desktop.core.records import SearchQuery, SearchResult, Structure
from pare_desktop.core.territories import referential

IntArray = npt.NDArray[np.int64]

#: Age classes of records (months since their last update): Soliguide unpublishes after 6 months.
AGE_CLASSES: tuple[tuple[str, int, int], ...] = (
    ("moins de 6 mois", 0, 6),
    ("6 à 12 mois", 6, 12),
    ("1 à 2 ans", 12, 24),
    ("2 à 3 ans", 24, 36),
    ("plus de 3 ans", 36, 10_000),
)
AGE_UNKNOWN = "date inconnue"

#: What the counts mean, said the same way by the dashboard and `pare stats`.
COUNT_DEFINITION = (
    "(les structures que la recherche montre : lignes nationales et contacts locaux compris ; "
    "fiches réservées aux professionnels en mode professionnel seulement)"
)
TERRITORY_CAVEAT = (
    "Une structure compte dans chaque territoire où elle est située ou intervient : "
    "la somme des territoires peut dépasser le total."
)


class DirectoryLike(Protocol):
    """What the figures need from core.directory.Directory."""

    def search(self, query: SearchQuery) -> SearchResult: ...

    def all_structures(self) -> list[Structure]: ...

    def dataset_info(self) -> Any: ...


@dataclass(frozen=True, slots=True)
class Count:
    """One bar: a key (slug or INSEE code), its French label, the number of structures."""

    key: str
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class CoverageStats:
    """Every figure the dashboard and `pare stats` show for one query."""

    total: int
    national: int  # structures serving the whole country
    territories: tuple[Count, ...]  # mainland then overseas, every territory (zeros included)
    overseas: frozenset[str]  # codes of the overseas territories among `territories`
    types: tuple[Count, ...]
    supports: tuple[Count, ...]
    matrix: tuple[tuple[int, ...], ...]  # [territory index][support index], national ones excluded
    ages: tuple[Count, ...]  # AGE_CLASSES then AGE_UNKNOWN
    years: tuple[Count, ...]  # records per year of last update
    mainland_total: int = 0  # distinct structures in (or serving) at least one mainland territory
    overseas_total: int = 0  # the same overseas

    def gaps(self, support: str) -> list[Count]:
        """Territories where no structure (other than national ones) offers this support type."""
        j = [c.key for c in self.supports].index(support)
        return [t for t, row in zip(self.territories, self.matrix, strict=True) if row[j] == 0]

    def within(self, codes: frozenset[str] | None) -> CoverageStats:
        """The same figures with the territory rows (and matrix rows) cut to these codes, in order;
        `None` keeps every territory."""
        if codes is None:
            return self
        keep = [i for i, t in enumerate(self.territories) if t.key in codes]
        return replace(self, territories=tuple(self.territories[i] for i in keep),
                       matrix=tuple(self.matrix[i] for i in keep))

    def to_json(self) -> dict[str, Any]:
        def counts(cs: Sequence[Count]) -> list[dict[str, Any]]:
            return [{"code": c.key, "label": c.label, "count": c.count} for c in cs]

        return {
            "total": self.total,
            "national": self.national,
            "mainland_total": self.mainland_total,
            "overseas_total": self.overseas_total,
            "territories": [dict(d, overseas=d["code"] in self.overseas) for d in counts(self.territories)],
            "types": counts(self.types),
            "supports": counts(self.supports),
            "matrix": {
                "rows": [t.key for t in self.territories],
                "columns": [s.key for s in self.supports],
                "counts": [list(r) for r in self.matrix],
            },
            "ages": counts(self.ages),
            "years": counts(self.years),
        }


def territory_scope(query: SearchQuery) -> frozenset[str] | None:
    """The département / collectivité codes a query's territory filter covers (its régions opened into
    their départements), or `None` when it has no territory filter: every territory is in scope."""
    if not query.territories and not query.regions:
        return None
    ref = referential()
    codes = set(query.territories)
    for region in query.regions:
        codes.update(ref.departements_of(region))
    return frozenset(codes)


class CoverageIndex:
    """Columns of every record, built once per data generation, so a query's figures are a few bincounts."""

    def __init__(self, records: Sequence[Structure], today: date | None = None) -> None:
        ref = referential()
        terr = [t for t in ref.departements()]
        self.territory_codes = [t.code for t in terr if not t.overseas] + [t.code for t in terr if t.overseas]
        self.territory_names = {t.code: t.name for t in terr}
        self.overseas = frozenset(t.code for t in terr if t.overseas)
        t_index = {c: i for i, c in enumerate(self.territory_codes)}
        region_deps: dict[str, list[int]] = {}
        for t in terr:
            if t.region:
                region_deps.setdefault(t.region, []).append(t_index[t.code])
        self.types = vocabulary.slugs("type")
        self.supports = vocabulary.slugs("support")
        type_i = {s: i for i, s in enumerate(self.types)}
        sup_i = {s: i for i, s in enumerate(self.supports)}
        n = len(records)
        self.row_of = {s.id: i for i, s in enumerate(records)}
        self.type = np.full(n, -1, dtype=np.int64)
        self.national = np.zeros(n, dtype=bool)
        self.support_bits = np.zeros(n, dtype=np.int64)
        self.months = np.full(n, -1, dtype=np.int64)
        self.year = np.full(n, -1, dtype=np.int64)
        today = today or date.today()
        pair_rows: list[int] = []
        pair_terr: list[int] = []
        for i, s in enumerate(records):
            self.type[i] = type_i.get(s.type, -1)
            self.national[i] = s.is_national
            bits = 0
            for x in s.supports:
                if x in sup_i:
                    bits |= 1 << sup_i[x]
            self.support_bits[i] = bits
            if s.updated:
                self.months[i] = max(0, (today.year - s.updated.year) * 12 + today.month - s.updated.month)
                self.year[i] = s.updated.year
            if s.is_national:
                continue
            served = {t_index[s.departement]} if s.departement in t_index else set()
            served.update(t_index[d] for d in s.area.departements if d in t_index)
            for r in s.area.regions:
                served.update(region_deps.get(r, ()))
            pair_rows += [i] * len(served)
            pair_terr += sorted(served)
        self.pair_row = np.asarray(pair_rows, dtype=np.int64)
        self.pair_terr = np.asarray(pair_terr, dtype=np.int64)

    def rows(self, ids: Sequence[str]) -> IntArray:
        get = self.row_of.get
        return np.fromiter((r for r in map(get, ids) if r is not None), dtype=np.int64)

    def compute(self, ids: Sequence[str]) -> CoverageStats:
        """The figures over the records with these ids (a search result)."""
        rows = self.rows(ids)
        selected = np.zeros(len(self.type), dtype=bool)
        selected[rows] = True
        nt, ns = len(self.territory_codes), len(self.supports)
        in_pairs = selected[self.pair_row]
        p_terr = self.pair_terr[in_pairs]
        p_bits = self.support_bits[self.pair_row[in_pairs]]
        by_terr = np.bincount(p_terr, minlength=nt)
        matrix = np.zeros((nt, ns), dtype=np.int64)
        bits = self.support_bits[rows]
        sup_counts = []
        for j in range(ns):
            matrix[:, j] = np.bincount(p_terr[(p_bits >> j) & 1 == 1], minlength=nt)
            sup_counts.append(int(np.count_nonzero((bits >> j) & 1)))
        types = np.bincount(self.type[rows][self.type[rows] >= 0], minlength=len(self.types))
        months = self.months[rows]
        ages = [int(np.count_nonzero((months >= lo) & (months < hi))) for _, lo, hi in AGE_CLASSES]
        ages.append(int(np.count_nonzero(months < 0)))
        overseas_terr = np.array([c in self.overseas for c in self.territory_codes], dtype=bool)
        p_rows = self.pair_row[in_pairs]
        p_overseas = overseas_terr[p_terr] if len(p_terr) else np.zeros(0, dtype=bool)
        mainland_total = len(np.unique(p_rows[~p_overseas]))
        overseas_total = len(np.unique(p_rows[p_overseas]))
        years = self.year[rows]
        ys, ycounts = np.unique(years[years >= 0], return_counts=True)
        return CoverageStats(
            total=len(rows),
            national=int(np.count_nonzero(self.national[rows])),
            territories=tuple(
                Count(c, self.territory_names[c], int(by_terr[i])) for i, c in enumerate(self.territory_codes)
            ),
            overseas=self.overseas,
            types=tuple(
                Count(s, vocabulary.short_label("type", s), int(types[i])) for i, s in enumerate(self.types)
            ),
            supports=tuple(
                Count(s, vocabulary.short_label("support", s), sup_counts[j])
                for j, s in enumerate(self.supports)
            ),
            matrix=tuple(tuple(int(x) for x in row) for row in matrix.tolist()),
            ages=(
                *(Count(str(k), label, ages[k]) for k, (label, _, _) in enumerate(AGE_CLASSES)),
                Count("unknown", AGE_UNKNOWN, ages[-1]),
            ),
            years=tuple(
                Count(str(y), str(y), int(c)) for y, c in zip(ys.tolist(), ycounts.tolist(), strict=True)
            ),
            mainland_total=mainland_total,
            overseas_total=overseas_total,
        )


class CoverageStatsService:
    """Figures for a query against one directory; the index is rebuilt when the data generation changes."""

    def __init__(self, directory: DirectoryLike) -> None:
        self._directory = directory
        self._lock = threading.Lock()
        self._index: CoverageIndex | None = None
        self._generation: int | None = None

    def index(self) -> CoverageIndex:
        generation = getattr(self._directory.dataset_info(), "generation", None)
        with self._lock:
            if self._index is None or generation != self._generation:
                self._index = CoverageIndex(self._directory.all_structures())
                self._generation = generation
            return self._index

    def compute(self, query: SearchQuery) -> CoverageStats:
        """Figures over every structure the query finds (paging ignored)."""
        result = self._directory.search(replace(query, offset=0, limit=None))
        return self.index().compute(result.ids)


def coverage_stats(directory: DirectoryLike, query: SearchQuery) -> CoverageStats:
    """One-shot figures (the CLI); widgets keep a CoverageStatsService to reuse its index."""
    return CoverageStatsService(directory).compute(query)
