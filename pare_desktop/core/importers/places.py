"""Where a structure is and whom it serves: commune, département, région, position, area of intervention."""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from pare_desktop.core.importers.values import BadValue, quote
from pare_desktop.core.records import Area
from pare_desktop.core.territories import Commune, referential

#: INSEE région codes (2016 geography): mainland, Corse and the five DROM.
REGION_CODES = frozenset({"01", "02", "03", "04", "06", "11", "24", "27", "28", "32", "44", "52", "53",
                          "75", "76", "84", "93", "94"})
_DEPARTEMENT = re.compile(r"^(0[1-9]|1\d|2[1-9AB]|[3-8]\d|9[0-5]|97[1-8]|98[46789])$")
_REGION = re.compile(r"^(?:r|reg|region)\s*-?\s*(\d{2})$", re.IGNORECASE)
_COMMUNE = re.compile(r"^(\d[\dAB]\d{3})$")
_NATIONAL = {"france", "national", "nationale", "toute la france", "france entiere", "99100"}


def is_departement(code: str) -> bool:
    return bool(_DEPARTEMENT.match(code))


def departement_code(value: str) -> str:
    """A département / collectivité code ("1" -> "01", "2a" -> "2A"), or BadValue."""
    code = value.strip().upper()
    if code.isdigit() and len(code) == 1:
        code = "0" + code
    if not is_departement(code):
        raise BadValue(f"code de département inconnu : {quote(value)}")
    return code


@functools.lru_cache(maxsize=65536)  # cells repeat ("France", "976"...); an Area is immutable
def parse_area(cell: str) -> Area:
    """The "zone d'intervention" syntax: France | R84 / région 84 | 976, 2A | 97611 (INSEE commune)."""
    national = False
    regions: list[str] = []
    departements: list[str] = []
    communes: list[str] = []
    for token in (t.strip() for t in re.split(r"[|;,\n]", cell)):
        if not token:
            continue
        low = " ".join(token.lower().replace("é", "e").split())
        if low in _NATIONAL:
            national = True
        elif m := _REGION.match(low):
            if m[1] not in REGION_CODES:
                raise BadValue(f"code de région inconnu : {quote(token)}")
            regions.append(m[1])
        elif is_departement(token.upper()) or (token.isdigit() and len(token) == 1):
            departements.append(departement_code(token))
        elif _COMMUNE.match(token.upper()):
            current = referential().current_commune(token.upper())  # 75107 -> Paris, merged -> today's
            if current is None:
                raise BadValue(f"code INSEE inconnu : {quote(token)}")
            communes.append(current.code)
        else:
            raise BadValue(
                f"zone d'intervention non reconnue : {quote(token)} (attendu : France, R84 ou région 84, "
                "un code de département comme 976, ou un code INSEE de commune)")
    return Area(national=national, regions=tuple(dict.fromkeys(regions)),
                departements=tuple(dict.fromkeys(departements)), communes=tuple(dict.fromkeys(communes)))


class Place(NamedTuple):
    """The resolved location of a record (a tuple: made for every record of a file, at a tuple's cost)."""

    commune: str = ""
    commune_code: str = ""
    postal_code: str = ""
    departement: str = ""
    region: str = ""
    latitude: float | None = None
    longitude: float | None = None
    position_exact: bool = False
    timezone: str = "Europe/Paris"


@functools.lru_cache(maxsize=8192)  # records of one file share their communes; a Commune is immutable
def _by_name(name: str, postal_code: str, departement: str) -> Commune | None:
    """The commune called `name` with this postal code (or, lacking one, the only one in the département);
    a former name (arrondissement, merged commune) leads to today's commune."""
    if not name:
        return None
    ref = referential()
    if postal_code:
        for c in ref.iter_communes(name, 30):  # find_communes(name, 30), up to the first that fits
            if postal_code in c.postal_codes:
                return c
        for code, c in ref.former_communes(name):
            if postal_code in c.postal_codes or postal_code in ref.alias_postal_codes(code):
                return c
        return None
    if departement:
        matches = [c for c in ref.find_communes(name, 30) if c.departement == departement]
        if not matches:
            matches = [c for _, c in ref.former_communes(name) if c.departement == departement]
        return matches[0] if len(matches) == 1 else None
    return None


@functools.lru_cache(maxsize=8192)
def _by_postal_code(postal_code: str) -> Commune | None:
    """The commune a postal code belongs to, when it belongs to one only."""
    communes = referential().find_communes(postal_code, 2) if len(postal_code) == 5 else []
    exact = [c for c in communes if postal_code in c.postal_codes]
    return exact[0] if len(exact) == 1 and len(communes) == 1 else None


def resolve_place(
    *, insee: str, postal_code: str, commune: str, departement: str,
    latitude: float | None, longitude: float | None,
) -> Place:
    """Fill commune, département, région and position from the INSEE code, else postal code and commune
    name, else coordinates; a position given is exact, else the commune's own point is used (not exact)."""
    known = commune_place(insee, postal_code, commune, departement)
    if known is None:
        return located(insee, postal_code, commune, departement, latitude, longitude)
    return placed_at(known, latitude, longitude)


def located(insee: str, postal_code: str, commune: str, departement: str, latitude: float | None,
            longitude: float | None) -> Place:
    """resolve_place of what commune_place finds no commune with a département for: the coordinates,
    the postal code or the département given may still tell where."""
    found, postal_code = _commune_of(insee, postal_code, commune, departement)
    return _resolved(found, postal_code, commune, departement, latitude, longitude)


def placed_at(known: Place, latitude: float | None, longitude: float | None) -> Place:
    """A commune's place (commune_place) for a record at these coordinates: the département came from
    the commune, the coordinates given only make the position exact."""
    if latitude is None or longitude is None:
        return known
    return Place(known.commune, known.commune_code, known.postal_code, known.departement, known.region,
                 latitude, longitude, True, known.timezone)


def commune_place(insee: str, postal_code: str, commune: str, departement: str) -> Place | None:
    """The place of a commune found with its département, without coordinates (None when no commune with
    a département is found: the coordinates may then tell where); BadValue as resolve_place. The records
    of a file share their communes: di_build remembers these for a reading."""
    found, postal_code = _commune_of(insee, postal_code, commune, departement)
    if found is None or not found.departement:
        return None
    return _resolved(found, postal_code, commune, departement, None, None)


def _resolved(found: Commune | None, postal_code: str, commune: str, departement: str,
              latitude: float | None, longitude: float | None) -> Place:
    ref = referential()
    dept = found.departement if found else ""
    if not dept and latitude is not None and longitude is not None:
        code, located_dept = ref.locate(latitude, longitude)
        if code:
            found = ref.commune(code)
        dept = located_dept or (found.departement if found else "")
    if not dept and postal_code:
        dept = ref.departement_of_postal_code(postal_code) or ""
    if not dept:
        dept = departement
    exact = latitude is not None and longitude is not None
    if not exact and found is not None and found.latitude is not None and found.longitude is not None:
        latitude, longitude = found.latitude, found.longitude
    if found is not None and not postal_code and len(found.postal_codes) >= 1:
        postal_code = found.postal_codes[0]
    return Place(  # by position, in Place's order (a commune of each of 30,000 records)
        commune or (found.name if found else ""),  # commune
        found.code if found else "",  # commune_code
        postal_code,
        dept,  # departement
        ref.region_of(dept) if dept else "",  # region
        latitude,
        longitude,
        exact,  # position_exact
        ref.timezone_of(dept) if dept else "Europe/Paris",  # timezone
    )


def _commune_of(insee: str, postal_code: str, commune: str, departement: str) -> tuple[Commune | None, str]:
    """(the commune the INSEE code, else the name and postal code designate, or None; the postal code,
    an arrondissement's own one when none was given); BadValue for an INSEE code nothing explains."""
    ref = referential()
    found: Commune | None = None
    if insee:
        # today's commune, or the one an arrondissement (75107) or a merged commune now belongs to
        found = ref.current_commune(insee)
        own_postal = ref.alias_postal_codes(insee)  # an arrondissement's own postal code (75107: 75007)
        if found is not None and own_postal and not postal_code:
            postal_code = own_postal[0]
        if found is None:  # an old or mistyped code: the postal code and the name still say where
            found = _by_name(commune, postal_code, departement) or (
                _by_postal_code(postal_code) if postal_code else None)
            if found is None:
                raise BadValue(f"code INSEE inconnu : {quote(insee)}")
    if found is None:
        found = _by_name(commune, postal_code, departement)
    return found, postal_code
