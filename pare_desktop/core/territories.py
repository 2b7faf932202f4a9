"""The territorial referential: régions, départements, collectivités and communes, with point location."""

from __future__ import annotations

import bisect
import functools
import gzip
import json
import math
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic_core import from_json

from pare_desktop.core.slots import positional_maker
from pare_desktop.core.text import fold
from pare_desktop.paths import resource_path

if TYPE_CHECKING:  # numpy is imported where point location needs it: `pare export` never does
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float64]

KIND_REGION = "region"
KIND_DEPARTEMENT = "departement"
KIND_COLLECTIVITE = "collectivite"


@dataclass(frozen=True, slots=True)
class Territory:
    """A région, a département or a collectivité (INSEE code), with what the app needs to serve it."""

    code: str
    name: str
    kind: str  # "region" | "departement" | "collectivite"
    region: str  # the région of a département; a région's own code; "" for a collectivité
    overseas: bool
    timezone: str
    phone_region: str  # ISO region for phonenumbers ("FR", "GP", "YT", "PF"...)
    bbox: tuple[float, float, float, float]  # min_lon, min_lat, max_lon, max_lat
    centre: tuple[float, float]  # lat, lon


@dataclass(frozen=True, slots=True)
class Commune:
    """A commune (INSEE code); exact is False when its position is only an approximation."""

    code: str
    name: str
    postal_codes: tuple[str, ...]
    departement: str
    latitude: float
    longitude: float
    exact: bool


#: Commune(*values), 35,000 of them on the first lookup of an import (slots.positional_maker)
_commune_of_values = positional_maker(Commune)


@dataclass(frozen=True, slots=True)
class _Ring:
    x0: FloatArray
    y0: FloatArray
    y1: FloatArray
    slope: FloatArray  # dx/dy of each edge (0 for horizontal edges, which never cross a ray)

    @classmethod
    def of(cls, coords: list[list[float]]) -> _Ring:
        import numpy as np

        a = np.asarray(coords, dtype=np.float64)
        x0, y0, x1, y1 = a[:-1, 0], a[:-1, 1], a[1:, 0], a[1:, 1]
        dy = y1 - y0
        slope = np.divide(x1 - x0, dy, out=np.zeros_like(dy), where=dy != 0)
        return cls(x0, y0, y1, slope)

    def contains(self, x: float, y: float) -> bool:
        import numpy as np

        crosses = (self.y0 > y) != (self.y1 > y)
        xs = self.x0 + (y - self.y0) * self.slope
        return bool(np.count_nonzero(crosses & (x < xs)) % 2)


class _Locator:
    """Point-in-polygon over the outlines (bbox prefilter, numpy ray casting) and nearest communes."""

    def __init__(self, outlines: dict[str, Any], communes: list[Commune]) -> None:
        import numpy as np

        self._codes: list[str] = []
        self._polygons: list[list[_Ring]] = []
        boxes: list[tuple[float, float, float, float]] = []
        for feature in outlines["features"]:
            code = feature["properties"]["code"]
            for poly in feature["geometry"]["coordinates"]:
                outer = np.asarray(poly[0])
                boxes.append((outer[:, 0].min(), outer[:, 1].min(), outer[:, 0].max(), outer[:, 1].max()))
                self._codes.append(code)
                self._polygons.append([_Ring.of(r) for r in poly])
        self._boxes = np.asarray(boxes, dtype=np.float64)
        by_dep: dict[str, list[Commune]] = defaultdict(list)
        for c in communes:
            by_dep[c.departement].append(c)
        self._dep_points: dict[str, tuple[list[Commune], FloatArray]] = {}
        for dep, items in by_dep.items():
            exact = [c for c in items if c.exact] or items
            self._dep_points[dep] = (exact, np.asarray([(c.latitude, c.longitude) for c in exact]))
        self._all_exact = [c for c in communes if c.exact]
        self._all_points = np.asarray([(c.latitude, c.longitude) for c in self._all_exact])
        self._cache: dict[tuple[float, float], tuple[str | None, str | None]] = {}

    def departement_at(self, lat: float, lon: float) -> str | None:
        import numpy as np

        b = self._boxes
        candidates = np.nonzero((b[:, 0] <= lon) & (lon <= b[:, 2]) & (b[:, 1] <= lat) & (lat <= b[:, 3]))[0]
        for i in candidates:
            outer, *holes = self._polygons[i]
            if outer.contains(lon, lat) and not any(h.contains(lon, lat) for h in holes):
                return self._codes[i]
        return None

    @staticmethod
    def _nearest(items: list[Commune], points: FloatArray, lat: float, lon: float) -> tuple[Commune, float]:
        import numpy as np

        k = math.cos(math.radians(lat))
        d2 = (points[:, 0] - lat) ** 2 + ((points[:, 1] - lon) * k) ** 2
        i = int(np.argmin(d2))
        return items[i], math.sqrt(float(d2[i]))

    def locate(self, lat: float, lon: float) -> tuple[str | None, str | None]:
        key = (round(lat, 5), round(lon, 5))
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        dep = self.departement_at(lat, lon)
        result: tuple[str | None, str | None] = (None, None)
        if dep is not None and dep in self._dep_points:
            commune, _ = self._nearest(*self._dep_points[dep], lat, lon)
            result = (commune.code, dep)
        elif dep is not None:
            result = (None, dep)
        elif len(self._all_exact):  # on a coast the 1:10m outline misses: accept a commune within ~15 km
            commune, dist = self._nearest(self._all_exact, self._all_points, lat, lon)
            if dist < 0.15:
                result = (commune.code, commune.departement)
        if len(self._cache) > 200_000:
            self._cache.clear()
        self._cache[key] = result
        return result


class _CommuneTable:
    """The 35,000 communes and their lookups; loaded on first use (search and start-up never need it)."""

    def __init__(self, raw: dict[str, Any]) -> None:
        names = raw["fields"]
        # by position, not a dict a row: 35,000 rows read on the first lookup of every import
        code, name, cps, dep, lat, lon, exact = (names.index(f) for f in (
            "code", "name", "postal_codes", "departement", "lat", "lon", "exact"))
        pop = names.index("population") if "population" in names else None
        width = len(names)
        rows = raw["rows"]
        for row in rows:
            if len(row) != width:
                raise ValueError(f"commune row of {len(row)} values for {width} fields")
        # column by column (each read by C code), the communes made by one call each
        codes = list(map(itemgetter(code), rows))
        self.communes: dict[str, Commune] = dict(zip(codes, map(
            _commune_of_values, codes, map(itemgetter(name), rows), map(tuple, map(itemgetter(cps), rows)),
            map(itemgetter(dep), rows), map(itemgetter(lat), rows), map(itemgetter(lon), rows),
            map(bool, map(itemgetter(exact), rows))), strict=True))
        pops = map(itemgetter(pop), rows) if pop is not None else repeat(0)
        self.population: dict[str, int] = {c: int(p or 0) for c, p in zip(codes, pops, strict=False)}

    # The lookups below are built on first use: an import of records with INSEE codes needs none of them.

    @functools.cached_property
    def by_size(self) -> list[Commune]:
        """Biggest first, then by name: the order every commune list is returned in."""
        return sorted(self.communes.values(), key=lambda c: (-self.population[c.code], c.name))

    @functools.cached_property
    def folded(self) -> list[str]:
        return [fold(c.name) for c in self.by_size]

    @functools.cached_property
    def by_dep(self) -> dict[str, list[Commune]]:
        by_dep: dict[str, list[Commune]] = defaultdict(list)
        for c in self.by_size:
            by_dep[c.departement].append(c)
        return by_dep

    @functools.cached_property
    def postal(self) -> dict[str, list[Commune]]:
        postal: dict[str, list[Commune]] = defaultdict(list)
        for c in self.by_size:
            for cp in c.postal_codes:
                postal[cp].append(c)
        return dict(postal)

    @functools.cached_property
    def postal_keys(self) -> list[str]:
        return sorted(self.postal)

    @functools.cached_property
    def name_starts(self) -> tuple[list[str], list[int]]:
        """Every folded name, sorted, with its commune's rank in by_size: the names starting with a key
        are one slice (bisect), not a scan of 35,000 names."""
        pairs = sorted((f, rank) for rank, f in enumerate(self.folded))
        return [f for f, _ in pairs], [rank for _, rank in pairs]

    @functools.cached_property
    def word_starts(self) -> tuple[list[str], list[int]]:
        """What follows each space of each folded name, sorted, with the commune's rank: the names where
        " " + key occurs are one slice."""
        pairs = sorted((f[i + 1:], rank) for rank, f in enumerate(self.folded)
                       for i, ch in enumerate(f) if ch == " ")
        return [f for f, _ in pairs], [rank for _, rank in pairs]

    def starting(self, index: tuple[list[str], list[int]], key: str) -> list[Commune]:
        """The communes of `index` entries starting with `key`, biggest first (by_size order), once each."""
        keys, ranks = index
        found: set[int] = set()
        for i in range(bisect.bisect_left(keys, key), len(keys)):
            if not keys[i].startswith(key):
                break
            found.add(ranks[i])
        return [self.by_size[rank] for rank in sorted(found)]


#: The columns of resources/referentials/communes.json.gz (checked against the file's "fields" in tests).
_COMMUNE_FIELDS = ("code", "name", "postal_codes", "departement", "lat", "lon", "exact", "population")
_SCANS = 64  # communes looked up by code by scanning the text, before the table is parsed once
_ROW_DECODER = json.JSONDecoder()


class Referential:
    """Read-only access to territories and communes, loaded from resources/referentials."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        data = json.loads((folder / "territories.json").read_text(encoding="utf-8"))
        self._territories: dict[str, Territory] = {}
        self._regions: dict[str, Territory] = {}
        for t in data["territories"]:
            territory = Territory(
                code=t["code"], name=t["name"], kind=t["kind"], region=t["region"], overseas=t["overseas"],
                timezone=t["timezone"], phone_region=t["phone_region"], bbox=tuple(t["bbox"]),
                centre=tuple(t["centre"]),
            )
            target = self._regions if territory.kind == KIND_REGION else self._territories
            target[territory.code] = territory
        self._locator: _Locator | None = None
        self._scanned: dict[str, list[Any] | None] = {}  # code -> row found by _scanned_row (or None)

    # --- territories ----------------------------------------------------------------------------------

    def regions(self) -> list[Territory]:
        """The 18 régions: mainland ones by name, then the overseas ones by name."""
        return sorted(self._regions.values(), key=lambda t: (t.overseas, fold(t.name)))

    def departements(self) -> list[Territory]:
        """Every département and collectivité, by code."""
        return sorted(self._territories.values(), key=lambda t: (len(t.code) > 2, t.code))

    def overseas(self) -> list[Territory]:
        """Every overseas département (DROM) and collectivité (COM), by name."""
        return sorted((t for t in self._territories.values() if t.overseas), key=lambda t: fold(t.name))

    def territory(self, code: str) -> Territory | None:
        """A région, département or collectivité; a département wins over a région sharing its code."""
        return self._territories.get(code) or self._regions.get(code)

    def region(self, code: str) -> Territory | None:
        return self._regions.get(code)

    def departements_of(self, region_code: str) -> list[str]:
        return sorted(t.code for t in self._territories.values() if t.region == region_code)

    def region_of(self, departement: str) -> str:
        t = self._territories.get(departement)
        return t.region if t else ""

    def timezone_of(self, departement: str) -> str:
        t = self._territories.get(departement)
        return t.timezone if t else "Europe/Paris"

    # --- communes -------------------------------------------------------------------------------------

    @functools.cached_property
    def _communes_text(self) -> str:
        return gzip.decompress((self._folder / "communes.json.gz").read_bytes()).decode("utf-8")

    @functools.cached_property
    def _raw_communes(self) -> dict[str, Any]:
        # pydantic-core's parser: json.loads' values (its floats to the bit), in ~60 % of its time
        raw = dict(from_json(self._communes_text))
        del self._communes_text  # parsed: the text is no longer needed
        return raw

    def _scanned_row(self, code: str) -> list[Any] | None:
        """A commune's row found in the file's text without parsing the 35,000 others (an export of 10k
        with a few confidential addresses needs a few communes, not the table); None when not found so.

        A row follows the previous row's "]," (or the rows' "["), never a name's quote as a postal-code list
        does; the candidate is parsed and checked all the same: never a wrong row."""
        text = self._communes_text
        for before in ("],", "["):
            at = text.find(f'{before}["{code}",')
            if at < 0:
                continue
            try:
                row, _end = _ROW_DECODER.raw_decode(text, at + len(before))
            except ValueError:
                return None
            if isinstance(row, list) and len(row) == len(_COMMUNE_FIELDS) and row[0] == code:
                return row
        return None

    @functools.cached_property
    def _ct(self) -> _CommuneTable:
        return _CommuneTable(self._raw_communes)

    @functools.cached_property
    def _rows_by_code(self) -> dict[str, list[Any]]:
        at = self._raw_communes["fields"].index("code")
        return {row[at]: row for row in self._raw_communes["rows"]}

    def commune(self, code: str) -> Commune | None:
        if "_ct" in self.__dict__:
            return self._ct.communes.get(code)
        # A lookup by code does not need the whole table (sorted, folded, by postal code): a small import
        # resolves its few communes from the parsed rows, and the first few lookups (an export's
        # confidential addresses) scan the file's text for their row without parsing the others.
        row = self._scanned.get(code)
        if row is None and "_raw_communes" not in self.__dict__ and len(self._scanned) < _SCANS:
            row = self._scanned[code] = self._scanned_row(code)
        if row is None:
            row = self._rows_by_code.get(code)
        if row is None:
            return None
        r = dict(zip(_COMMUNE_FIELDS, row, strict=True))
        return Commune(
            code=r["code"], name=r["name"], postal_codes=tuple(r["postal_codes"]),
            departement=r["departement"], latitude=r["lat"], longitude=r["lon"], exact=bool(r["exact"]),
        )

    @functools.cached_property
    def _aliases(self) -> dict[str, tuple[str, str, tuple[str, ...]]]:
        path = self._folder / "commune_aliases.json"
        if not path.is_file():
            return {}
        raw = json.loads(path.read_text(encoding="utf-8"))["codes"]
        return {code: (target, name, tuple(cps)) for code, (target, name, cps) in raw.items()}

    def current_commune(self, code: str) -> Commune | None:
        """Today's commune for an INSEE code: the commune itself, or the commune an arrondissement
        municipal (75107, 13201, 69381) or a merged commune (déléguée, associée) now belongs to."""
        found = self._ct.communes.get(code)
        if found is None and code in self._aliases:
            found = self._ct.communes.get(self._aliases[code][0])
        return found

    @functools.cached_property
    def _alias_names(self) -> dict[str, list[str]]:
        by_name: dict[str, list[str]] = defaultdict(list)
        for code, (_, name, _) in self._aliases.items():
            by_name[fold(name)].append(code)
        return dict(by_name)

    def former_communes(self, name: str) -> list[tuple[str, Commune]]:
        """(former code, today's commune) of the arrondissements and merged communes called `name`."""
        out = []
        for code in self._alias_names.get(fold(name), ()):
            current = self.current_commune(code)
            if current is not None:
                out.append((code, current))
        return out

    def alias_postal_codes(self, code: str) -> tuple[str, ...]:
        """The postal codes of an arrondissement municipal (others have none of their own here)."""
        return self._aliases[code][2] if code in self._aliases else ()

    def communes_of(self, departement: str) -> list[Commune]:
        """The communes of a département or collectivité, biggest first."""
        return list(self._ct.by_dep.get(departement, ()))

    def population(self, code: str) -> int:
        return self._ct.population.get(code, 0)

    def find_communes(self, text: str, limit: int = 20) -> list[Commune]:
        """Communes whose name (accents and case ignored) or postal code starts with text, biggest first.

        After the name matches come communes where a later word starts with the text ("rochelle"), then
        those of a territory whose name starts with it ("reunion" lists the communes of La Réunion).
        """
        return list(self.iter_communes(text, limit))

    def iter_communes(self, text: str, limit: int = 20) -> Iterator[Commune]:
        """find_communes one commune at a time, found as they are asked for: a caller looking for the
        first that fits (a postal code) stops there, often before the later words and the territories."""
        query = text.strip()
        if not query or limit <= 0:
            return
        if query.replace(" ", "").isdigit():
            yield from self._find_postal(query.replace(" ", ""), limit)
            return
        key = fold(query)
        if not key:
            return
        seen: set[str] = set()
        for matches in self._name_matches(key):
            for c in matches:
                if c.code not in seen:
                    seen.add(c.code)
                    yield c
                    if len(seen) >= limit:
                        return

    def _name_matches(self, key: str) -> Iterator[list[Commune]]:
        ct = self._ct
        yield ct.starting(ct.name_starts, key)  # the names starting with the text
        yield ct.starting(ct.word_starts, key)  # those where " " + text occurs: a later word
        for code, endings in self._territory_endings:  # the communes of a territory named so
            if any(e.startswith(key) for e in endings):
                yield ct.by_dep.get(code, [])

    @functools.cached_property
    def _territory_endings(self) -> list[tuple[str, tuple[str, ...]]]:
        """(code, each folded name from each of its words on) of every département and collectivité, by code:
        « la reunion » gives « la reunion » and « reunion »."""
        out = []
        for t in self.departements():
            words = fold(t.name).split()
            out.append((t.code, tuple(" ".join(words[i:]) for i in range(len(words)))))
        return out

    def _find_postal(self, prefix: str, limit: int) -> list[Commune]:
        start = bisect.bisect_left(self._ct.postal_keys, prefix)
        found: dict[str, Commune] = {}
        for cp in self._ct.postal_keys[start:]:
            if not cp.startswith(prefix):
                break
            for c in self._ct.postal[cp]:
                found.setdefault(c.code, c)
        ranked = sorted(found.values(), key=lambda c: (-self._ct.population[c.code], c.name))
        return ranked[:limit]

    def departement_of_postal_code(self, postal_code: str) -> str | None:
        """The département of a postal code; the most populated one when a code spans two."""
        cp = postal_code.replace(" ", "").strip()
        if len(cp) != 5 or not cp.isdigit():
            return None
        communes = self._ct.postal.get(cp)
        if communes:
            return max(communes, key=lambda c: self._ct.population[c.code]).departement
        if cp.startswith("20"):
            return "2A" if cp < "20200" else "2B"
        for code in (cp[:3], cp[:2]):
            if code in self._territories and code not in ("20",):
                return code
        return None

    # --- location -------------------------------------------------------------------------------------

    def in_french_territory(self, lat: float, lon: float) -> bool:
        """Whether a point lies in (or within ~30 km of) the box of a French département or collectivité:
        a point in the open sea, or with latitude and longitude swapped, is not."""
        if 41.0 <= lat <= 51.4 and -5.6 <= lon <= 9.9:  # mainland and Corse: most records, no numpy
            return True
        # the same boxes as plain floats, overseas first: a point overseas is found in a few comparisons
        # (numpy's eight calls on 110 boxes cost ~10 µs a record)
        return any(lon0 <= lon <= lon1 and lat0 <= lat <= lat1 for lon0, lat0, lon1, lat1 in self._box_list)

    @functools.cached_property
    def _box_list(self) -> list[tuple[float, float, float, float]]:
        """(lon0, lat0, lon1, lat1) of every département and collectivité, widened by ~30 km, overseas
        first (plain floats: no numpy to import for an import that checks positions)."""
        m = 0.3
        overseas = [t.overseas for t in self._territories.values()]
        boxes = [(float(b[0] - m), float(b[1] - m), float(b[2] + m), float(b[3] + m))
                 for t in self._territories.values() for b in (t.bbox,)]
        return [box for _, box in sorted(zip(overseas, boxes, strict=True), key=lambda ob: not ob[0])]


    def locate(self, lat: float, lon: float) -> tuple[str | None, str | None]:
        """(commune code, département) of a point: the outline containing it, then its nearest commune."""
        if self._locator is None:
            outlines = json.loads((self._folder / "outlines.geojson").read_text(encoding="utf-8"))
            self._locator = _Locator(outlines, list(self._ct.communes.values()))
        return self._locator.locate(lat, lon)


@functools.cache
def referential() -> Referential:
    """The shared referential, loaded from the bundled resources on first use."""
    return Referential(resource_path("referentials"))
