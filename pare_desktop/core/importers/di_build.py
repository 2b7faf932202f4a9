"""data·inclusion structures built straight from their items' typed values: the record mapping.build_structure
makes of the item's row (datainclusion._row), by the same helpers, without the row of text between (and
mapping.assemble's record made field by field, from the commune's place values remembered for the reading).

Only the way a record comes out without problems is taken here: any value that does not read (a bad postal
code, a phone number of no plan, a latitude alone...) makes `build` answer None, and the item goes the
generic way, which words its rejects. tests/core/importers/test_di_build.py holds both ways to the same
records, item by item.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from sys import intern
from typing import Any
from unicodedata import normalize

from pare_desktop.core.hours import validate_hours
from pare_desktop.core.importers import values as v
from pare_desktop.core.importers.batch import Notes
from pare_desktop.core.importers.classify import UNCLASSIFIED
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
    cell_text,
    read_hours,
    read_type,
    split_phones,
    stable_source_id,
)
from pare_desktop.core.importers.places import Place, commune_place, located, parse_area
from pare_desktop.core.phones import normalize_phone
from pare_desktop.core.records import VISIBILITY_PUBLIC, Area, Phone, Structure, make_id, structure_of_values
from pare_desktop.core.territories import referential

#: the communes a reading remembers (a French file names ~35,000 at most: ~10 MB while it is read, ~0.6 s
#: of CPU saved at 100,000 structures; 0 remembers none), and each of the other values (phones, e-mails,
#: sites, dates, hours)
_COMMUNES = 50_000
_MEMO = 8192
_UNKNOWN: Any = object()
#: the key of the offers of a structure without services, with a phone or without (DirectBuilder._offer)
_WITH_PHONE, _WITHOUT_PHONE = (True,), (False,)
#: the length of the values of a commune's place remembered (else: the three values to locate)
_PLACED = len(Place._fields)
#: the classes of the values remembered by themselves: a string, or None (a number is not: 1, 1.0 and True
#: are one key but three cells, « 1 », « 1 », « oui »)
_PLAIN = frozenset({str, type(None)})
#: the values of an item `build` reads, in the order it names them
_READ = ("nom", "telephone", "latitude", "longitude", "code_postal", "code_insee", "commune", "courriel",
         "site_web", "date_maj", "horaires_accueil", "id", "description", "adresse", "complement_adresse")
#: the v0 names v1_view reads as v1 ones: an item with none of them (and a plain date) is its own view
_V0_NAMES = frozenset({"presentation_resume", "presentation_detail", "horaires_ouverture", "profils",
                       "types"})

#: what the services of a structure bring it, read once for each combination of offers (a file repeats
#: them): (supports, supports matching none, publics, modalities, area; None: no zone from the services)
_Offered = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...], Area | None]
#: what a type value says, once a reading (see DirectBuilder._type)
_Typed = tuple[str, str, str | None, tuple[str, str, bool]]


def _text(value: Any, multiline: bool = False) -> str:
    """The cell a value makes in the item's row, as the row keeps it (as_text, then cell_text)."""
    if value is None:
        return ""  # as_text's, then cell_text's
    if value.__class__ is str:
        if value.isprintable() and "  " not in value and value[:1] != "'":
            # cell_text's own first step, or values.clean's for accents, without the calls (most values)
            return (value if value.isascii() else normalize("NFC", value)).strip()
        return cell_text(value, multiline)
    return cell_text(as_text(value), multiline)


def _lines(value: Any) -> str:
    """_text of a multi-line value (a description): values.clean keeps its spaces as they are, and a
    printable text holds nothing else it changes, so its double spaces need no look (~0.6 µs)."""
    if value.__class__ is str and value.isprintable() and value[:1] != "'":
        return (value if value.isascii() else normalize("NFC", value)).strip()
    return _text(value, True)


def _postal_of(value: Any) -> str:
    text = _text(value)
    if len(text) == 5 and text.isascii() and text.isdigit():
        return text  # what _postal_code gives five digits, without its cache (the communes are remembered)
    return _postal_code(text) if text else ""


def _insee_of(value: Any) -> str:
    text = _text(value)
    if len(text) == 5 and text.isascii() and text.isdigit():
        return text  # what _insee gives five digits, without its cache (a file names ~35,000 of them)
    return _insee(text) if text else ""


def _emails_of(value: Any) -> tuple[str, ...]:
    text = _text(value)
    return v.emails(text) if text else NONE


def _website_of(value: Any) -> str:
    text = _text(value)
    return v.website(text) if text else ""


def _date_of(value: Any) -> date | None:
    text = _text(value)
    return v.parse_date(text) if text else None


def _phones_of(value: Any, departement: str) -> tuple[Phone, ...]:
    """The phones of a telephone value (InvalidPhone, a ValueError, for a number of no plan)."""
    return tuple(normalize_phone(number, departement, label, False)
                 for label, number in split_phones(_text(value)))


def _hours_of(value: Any) -> tuple[str, str]:
    """(opening hours, hours text) of an horaires_accueil value: OSM when it is valid, else free text."""
    hours = as_text(value)
    osm, text = (hours, "") if not hours or validate_hours(hours) is None else ("", hours)
    return read_hours(cell_text(osm), "", cell_text(text, True))


class _Memo(dict[Any, Any]):
    """`read(key)` of the keys asked for, for one reading (at most _MEMO at a time: emptied when full)."""

    def __init__(self, read: Callable[..., Any]) -> None:
        super().__init__()
        self.read = read

    def __missing__(self, key: Any) -> Any:
        if len(self) >= _MEMO:
            self.clear()
        value = self[key] = self.read(*key) if key.__class__ is tuple else self.read(key)
        return value


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


class DirectBuilder:
    """Builds the structures of one reading of a file (its caches live as long as the reading)."""

    def __init__(self, source: str, origin: str, notes: Notes) -> None:
        self.source = source
        self.origin = origin
        self.notes = notes
        self._offered: dict[tuple[Any, ...], _Offered | None] = {}
        self._in_france = referential().in_french_territory
        self._types: dict[str, _Typed] = {}
        self._areas: dict[str, Area | None] = {}
        self._communes: dict[tuple[str | None, str | None, str | None], tuple[Any, ...]] = {}
        # each value read once a reading (a JSON string, or None: a list or a number is read each time)
        self._phones = _Memo(_phones_of)
        self._emails = _Memo(_emails_of)
        self._websites = _Memo(_website_of)
        self._dates = _Memo(_date_of)
        self._hours = _Memo(_hours_of)

    def build(self, item: Mapping[str, Any], services: Sequence[_ServiceOffer]) -> Structure | None:
        """The record of a structure item, or None when one of its values does not read."""
        get = item.get
        date_maj = get("date_maj")  # v1_view cuts the API's v0 date-times to their date
        if not item.keys().isdisjoint(_V0_NAMES) or (
                isinstance(date_maj, str) and len(date_maj) > 10 and date_maj[10:11] in ("T", " ")):
            item = v1_view(item)
            get = item.get
        (name, phone, lat, lon, postal, insee, commune, emails, website, updated, hours, identifier,
         description, address, address2) = map(get, _READ)  # (read by C code, not one call each)
        name = _text(name)
        if not name:
            return None
        # the offers are held by the scan while the file is read: their ids stay theirs
        key = (bool(phone), *map(id, services)) if services else _WITH_PHONE if phone else _WITHOUT_PHONE
        offered = self._offered.get(key, _UNKNOWN)
        if offered is _UNKNOWN:
            offered = self._offer(services, key)
        if offered is None:
            return None
        supports, unknown_supports, publics, modalities, area = offered
        if area is None:  # no zone from the services: the structure's own
            if (get("zone_eligibilite") is None and get("zone_diffusion_type") is None
                    and get("zone_diffusion_code") is None):
                area = _NO_AREA  # (_zone_tokens of none of them: no token)
            else:
                own = self._area(_zone_tokens(item))
                if own is None:
                    return None
                area = own
        value = _structure_type(item, services)
        type_text, type_key, type_, seen = self._types.get(value) or self._type(value)
        try:
            if lat.__class__ is float and lon.__class__ is float and -90 <= lat <= 90 and -180 <= lon <= 180:
                lat += 0.0  # _coordinate's own reading of a float (NaN fails the comparisons)
                lon += 0.0
            else:
                lat = _coordinate(lat, -90, 90)
                lon = _coordinate(lon, -180, 180)
                if (lat is None) != (lon is None):
                    return None
            if lat is not None and lon is not None and not self._in_france(lat, lon):
                return None
            plain = postal.__class__ in _PLAIN and insee.__class__ in _PLAIN and commune.__class__ in _PLAIN
            known = self._communes.get((postal, insee, commune)) if plain else None
            if known is None:
                known = self._commune(postal, insee, commune, plain)
            if len(known) == _PLACED:  # placed_at, without the Place
                (commune_name, commune_code, postal_code, departement, region, latitude, longitude, exact,
                 timezone) = known
                if lat is not None:
                    latitude, longitude, exact = lat, lon, True
            else:  # no commune with a département: the coordinates may tell
                (commune_name, commune_code, postal_code, departement, region, latitude, longitude, exact,
                 timezone) = located(known[1], known[0], known[2], "", lat, lon)
                postal_code, commune_name = intern(postal_code), intern(commune_name)
            phone_dept = departement or (area.departements[0] if len(area.departements) == 1 else "")
            phones = (self._phones[phone, phone_dept] if phone.__class__ in _PLAIN
                      else _phones_of(phone, phone_dept))
            emails = self._emails[emails] if emails.__class__ in _PLAIN else _emails_of(emails)
            website = self._websites[website] if website.__class__ in _PLAIN else _website_of(website)
            updated = self._dates[updated] if updated.__class__ in _PLAIN else _date_of(updated)
        except ValueError:
            return None
        opening_hours, hours_text = self._hours[hours] if hours.__class__ in _PLAIN else _hours_of(hours)
        notes = self.notes  # mapping.noted, inline (Notes.typed: the first value seen for a key is kept)
        if type_ is None:
            notes.unclassified[type_text] += 1
        notes.type_seen.setdefault(type_key, seen)
        notes.type_counts[type_key] += 1
        if unknown_supports:
            notes.unknown_supports.update(unknown_supports)
        source_id = _text(identifier) or stable_source_id(name, postal_code)
        # mapping.assemble's record, field by field (its place's postal code and commune interned)
        return structure_of_values(
            make_id(self.source, source_id), self.source, source_id, name, type_ or UNCLASSIFIED,
            _lines(description), _text(address), _text(address2),
            postal_code, commune_name, commune_code, departement, region, latitude, longitude, exact,
            timezone, phones, emails, website, opening_hours, hours_text, supports, publics, None, None,
            modalities, area, VISIBILITY_PUBLIC, VISIBILITY_PUBLIC, updated, "active", self.origin, False,
        )

    def _commune(self, postal: Any, insee: Any, commune: Any, plain: bool) -> tuple[Any, ...]:
        """The values of commune_place's Place of the item's postal code, INSEE code and commune (its
        commune and postal code interned, as assemble has them), or (postal code, INSEE code, commune) when
        it finds none: remembered for the reading (by the JSON strings, when they are strings). BadValue
        (a ValueError) as commune_place."""
        postal_code, insee_code, name = _postal_of(postal), _insee_of(insee), _text(commune)
        place = commune_place(insee_code, postal_code, name, "")
        known: tuple[Any, ...] = (
            (postal_code, insee_code, name) if place is None
            else (intern(place[0]), place[1], intern(place[2]), *place[3:]))
        if plain and _COMMUNES:
            if len(self._communes) >= _COMMUNES:
                self._communes.clear()
            self._communes[postal, insee, commune] = known
        return known

    def _offer(self, services: Sequence[_ServiceOffer], key: tuple[Any, ...]) -> _Offered | None:
        """What the services offer a structure (key: whether it has a phone, the services' ids), read
        once a reading."""
        offer = _offer(services, key[0])
        found: _Offered | None = None
        try:
            publics_cell = cell_text(" | ".join(offer["publics"]))
            modalities_cell = cell_text(" | ".join(offer["modalites"]))
            area = self._area(offer["zone"]) if offer["zone"] else None
            if area is not None or not offer["zone"]:
                found = (*_supports(cell_text(" | ".join(offer["accompagnements"]))),
                         v.terms_list("public", publics_cell) if publics_cell else NONE,
                         v.terms_list("modality", modalities_cell) if modalities_cell else NONE, area)
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

    def _type(self, value: str) -> _Typed:
        """(type text, folded, structure type or None, what Notes.typed keeps of it) of what
        _structure_type says."""
        found = self._types.get(value)
        if found is None:
            type_text = cell_text(value)
            type_key, _, type_ = read_type(type_text, None)
            seen = (type_text, type_ or UNCLASSIFIED, False)
            found = self._types[value] = (type_text, type_key, type_, seen)
        return found
