"""data·inclusion structures built straight from their items' typed values: the record mapping.build_structure
makes of the item's row (datainclusion._row), by the same helpers, without the row of text between.

Only the way a record comes out without problems is taken here: any value that does not read (a bad postal
code, a phone number of no plan, a latitude alone...) makes `build` answer None, and the item goes the
generic way, which words its rejects. tests/core/importers/test_di_build.py holds both ways to the same
records, item by item.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from pare_desktop.core.hours import validate_hours
from pare_desktop.core.importers import values as v
from pare_desktop.core.importers.batch import Notes
from pare_desktop.core.importers.datainclusion import (
    _offer,
    _ServiceOffer,
    _structure_type,
    _zone_tokens,
    v1_view,
)
from pare_desktop.core.importers.features import as_text
from pare_desktop.core.importers.mapping import (
    _NO_AREA,
    NONE,
    _insee,
    _postal_code,
    _supports,
    assemble,
    cell_text,
    noted,
    read_hours,
    read_type,
    split_phones,
)
from pare_desktop.core.importers.places import parse_area, resolve_place
from pare_desktop.core.phones import normalize_phone
from pare_desktop.core.records import VISIBILITY_PUBLIC, Area, Phone, Structure
from pare_desktop.core.territories import referential

#: the v0 names v1_view reads as v1 ones: an item with none of them (and a plain date) is its own view
_V0_NAMES = frozenset({"presentation_resume", "presentation_detail", "horaires_ouverture", "profils",
                       "types"})

#: what the services of a structure bring it, read once for each combination of offers (a file repeats
#: them): (supports, supports matching none, publics, modalities, zone tokens)
_Offered = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...], list[str]]


def _text(value: Any, multiline: bool = False) -> str:
    """The cell a value makes in the item's row, as the row keeps it (as_text, then cell_text)."""
    if value.__class__ is str:
        if value.isascii() and value.isprintable() and "  " not in value and value[:1] != "'":
            return value.strip()  # cell_text's own first step, without the call (most values)
        return cell_text(value, multiline)
    return cell_text(as_text(value), multiline)


@functools.lru_cache(maxsize=8192, typed=True)
def _postal_of(value: Any) -> str:
    text = _text(value)
    return _postal_code(text) if text else ""


@functools.lru_cache(maxsize=8192, typed=True)
def _insee_of(value: Any) -> str:
    text = _text(value)
    return _insee(text) if text else ""


@functools.lru_cache(maxsize=8192, typed=True)
def _emails_of(value: Any) -> tuple[str, ...]:
    text = _text(value)
    return v.emails(text) if text else NONE


@functools.lru_cache(maxsize=8192, typed=True)
def _website_of(value: Any) -> str:
    text = _text(value)
    return v.website(text) if text else ""


@functools.lru_cache(maxsize=8192, typed=True)
def _date_of(value: Any) -> date | None:
    text = _text(value)
    return v.parse_date(text) if text else None


@functools.lru_cache(maxsize=8192, typed=True)
def _phones_of(value: Any, departement: str) -> tuple[Phone, ...]:
    """The phones of a telephone value (InvalidPhone, a ValueError, for a number of no plan)."""
    return tuple(normalize_phone(number, departement, label, False)
                 for label, number in split_phones(_text(value)))


def _coordinate(value: Any, low: float, high: float) -> float | None:
    """values.number of the value's cell text, read from the JSON number itself: a float's text reads back
    as the float (repr round-trips; -0.0 is written « 0 »: + 0.0 makes it 0.0). None when absent; ValueError
    for anything else that would not read (the generic way then tells why)."""
    if value is None:
        return None
    if value.__class__ is float:
        if low <= value <= high:  # NaN fails here
            return value + 0.0
        raise ValueError(value)
    text = _text(value)
    return v.number(text, low, high) if text else None


@functools.lru_cache(maxsize=4096)
def _hours(value: str) -> tuple[str, str]:
    """(opening hours, hours text) of an horaires_accueil string: OSM when it is valid, else free text."""
    osm, text = (value, "") if not value or validate_hours(value) is None else ("", value)
    return read_hours(cell_text(osm), "", cell_text(text, True))


class DirectBuilder:
    """Builds the structures of one reading of a file (its caches live as long as the reading)."""

    def __init__(self, source: str, origin: str, notes: Notes) -> None:
        self.source = source
        self.origin = origin
        self.notes = notes
        self._offered: dict[tuple[int, ...], _Offered | None] = {}
        self._types: dict[str, tuple[str, str, str | None]] = {}
        self._areas: dict[str, Area | None] = {}

    def build(self, item: Mapping[str, Any], services: Sequence[_ServiceOffer]) -> Structure | None:
        """The record of a structure item, or None when one of its values does not read."""
        if not _V0_NAMES.isdisjoint(item) or _dated(item.get("date_maj")):
            item = v1_view(item)
        get = item.get
        name = _text(get("nom"))
        if not name:
            return None
        phone = get("telephone")
        offered = self._offer(services, bool(phone))
        if offered is None:
            return None
        supports, unknown_supports, publics, modalities, zone = offered
        area = self._area(zone or _zone_tokens(item))
        if area is None:
            return None
        type_text, type_key, type_ = self._type(_structure_type(item, services))
        try:
            # the values, remembered: an unhashable one (a list) raises TypeError, and goes the generic way
            postal_code = _postal_of(get("code_postal"))
            insee = _insee_of(get("code_insee"))
            lat = _coordinate(get("latitude"), -90, 90)
            lon = _coordinate(get("longitude"), -180, 180)
            if (lat is None) != (lon is None):
                return None
            if lat is not None and lon is not None and not referential().in_french_territory(lat, lon):
                return None
            place = resolve_place(insee=insee, postal_code=postal_code, commune=_text(get("commune")),
                                  departement="", latitude=lat, longitude=lon)
            phone_dept = place.departement or (area.departements[0] if len(area.departements) == 1 else "")
            phones = _phones_of(phone, phone_dept)
            emails = _emails_of(get("courriel"))
            website = _website_of(get("site_web"))
            updated = _date_of(get("date_maj"))
        except (ValueError, TypeError):
            return None
        hours = get("horaires_accueil")
        opening_hours, hours_text = _hours(hours if hours.__class__ is str else as_text(hours))
        noted(self.notes, type_text, type_key, type_, None, unknown_supports)
        return assemble(
            self.source, self.origin, _text(get("id")), name, type_, place,
            description=_text(get("description"), True), address=_text(get("adresse")),
            address2=_text(get("complement_adresse")), phones=phones, emails=emails, website=website,
            opening_hours=opening_hours, hours_text=hours_text, supports=supports, publics=publics,
            age_min=None, age_max=None, modalities=modalities, area=area, visibility=VISIBILITY_PUBLIC,
            hidden=False, updated=updated, status="active",
        )

    def _offer(self, services: Sequence[_ServiceOffer], has_phone: bool) -> _Offered | None:
        # the offers are held by the scan while the file is read: their ids stay theirs
        key = (has_phone, *map(id, services))
        if key in self._offered:
            return self._offered[key]
        offer = _offer(services, has_phone)
        found: _Offered | None = None
        try:
            publics_cell = cell_text(" | ".join(offer["publics"]))
            modalities_cell = cell_text(" | ".join(offer["modalites"]))
            found = (*_supports(cell_text(" | ".join(offer["accompagnements"]))),
                     v.terms_list("public", publics_cell) if publics_cell else NONE,
                     v.terms_list("modality", modalities_cell) if modalities_cell else NONE, offer["zone"])
        except ValueError:
            pass
        self._offered[key] = found
        return found

    def _area(self, zone: list[str]) -> Area | None:
        cell = " | ".join(zone)
        if cell in self._areas:
            return self._areas[cell]
        text = cell_text(cell)
        try:
            area: Area | None = parse_area(text) if text else _NO_AREA
        except ValueError:
            area = None
        self._areas[cell] = area
        return area

    def _type(self, value: str) -> tuple[str, str, str | None]:
        """(type text, folded, structure type or None) of what _structure_type says."""
        found = self._types.get(value)
        if found is None:
            type_text = cell_text(value)
            found = self._types[value] = (type_text, *read_type(type_text, None)[::2])
        return found


def _dated(date_maj: Any) -> bool:
    """A date_maj v1_view would cut to its date (the API's v0 date-times)."""
    return isinstance(date_maj, str) and len(date_maj) > 10 and date_maj[10:11] in ("T", " ")

