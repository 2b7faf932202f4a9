"""Frozen dataclasses that every layer exchanges: structures, phones, areas, search queries and results."""

from __future__ import annotations

import hashlib
import json
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import MISSING, dataclass, field, fields, replace
from datetime import date
from typing import Any

from pare_desktop.core.slots import positional_maker

#: Where a record comes from. Publisher data is replaced by import and sync; local data is the user's.
ORIGIN_PUBLISHER = "publisher"
ORIGIN_DEMO = "demo"
ORIGIN_REFERENCE = "reference"  # the real national lines the app ships (119, 116 000...)
ORIGIN_LOCAL = "local"

VISIBILITY_PUBLIC = "public"
VISIBILITY_PRO = "pro"


@dataclass(frozen=True, slots=True)
class Phone:
    """A phone number: dialable form (E.164 or a short national number) and local display form."""

    number: str
    display: str
    label: str = ""
    confidential: bool = False


@dataclass(frozen=True, slots=True)
class Area:
    """Whom a structure serves: the whole country, or some régions, départements, communes (INSEE codes)."""

    national: bool = False
    regions: tuple[str, ...] = ()
    departements: tuple[str, ...] = ()
    communes: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.national or self.regions or self.departements or self.communes)


@dataclass(frozen=True, slots=True)
class Structure:
    """One structure or actor of the directory (publisher, demo, reference or local)."""

    id: str  # "source:source_id", stable across imports and syncs
    source: str
    source_id: str
    name: str
    type: str  # structure type slug (vocabulary.STRUCTURE_TYPES)
    description: str = ""
    address: str = ""
    address2: str = ""
    postal_code: str = ""
    commune: str = ""
    commune_code: str = ""  # INSEE commune code
    departement: str = ""  # INSEE code: "75", "2A", "971", "975", "987"...
    region: str = ""  # INSEE région code; "" for collectivités without région (COM)
    latitude: float | None = None
    longitude: float | None = None
    position_exact: bool = False
    timezone: str = "Europe/Paris"
    phones: tuple[Phone, ...] = ()
    emails: tuple[str, ...] = ()
    website: str = ""
    opening_hours: str = ""  # OpenStreetMap opening_hours syntax
    hours_text: str = ""  # free text ("sur rendez-vous le mercredi")
    supports: tuple[str, ...] = ()
    publics: tuple[str, ...] = ()
    age_min: int | None = None
    age_max: int | None = None
    modalities: tuple[str, ...] = ()
    area: Area = field(default_factory=Area)
    visibility: str = VISIBILITY_PUBLIC  # whole record: "public" or "pro"
    address_visibility: str = VISIBILITY_PUBLIC  # the address alone: "public" or "pro"
    updated: date | None = None
    status: str = "active"  # "active", "temporarily_closed", "closed"
    origin: str = ORIGIN_PUBLISHER
    withdrawn: bool = False  # removed upstream, kept because the user has data on it

    @property
    def is_national(self) -> bool:
        return self.area.national

    @property
    def is_local(self) -> bool:
        return self.origin == ORIGIN_LOCAL

    @property
    def is_demo(self) -> bool:
        return self.origin == ORIGIN_DEMO

    @property
    def has_position(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def for_public(self) -> Structure:
        """This record as the public may see it: confidential phones removed and, for a confidential
        address, the address removed and the position moved to the commune's centre (privacy.py).
        The record itself when nothing is hidden (no copy: exports call this for every record)."""
        hidden_phone = any(p.confidential for p in self.phones)
        if not hidden_phone and self.address_visibility != VISIBILITY_PRO:
            return self
        changes: dict[str, Any] = {"phones": tuple(p for p in self.phones if not p.confidential)}
        if self.address_visibility == VISIBILITY_PRO:
            from .privacy import public_position

            lat, lon = public_position(self)
            changes.update(address="", address2="", latitude=lat, longitude=lon, position_exact=False)
        return replace(self, **changes)


def make_id(source: str, source_id: str) -> str:
    return f"{source}:{source_id}"


# --- (de)serialisation: the one JSON form used by demo data, feeds, snapshots and exports -------------

_TUPLE_FIELDS = ("emails", "supports", "publics", "modalities")
_FIELD_NAMES = tuple(f.name for f in fields(Structure))
_FIELD_SET = frozenset(_FIELD_NAMES)


def structure_to_dict(s: Structure) -> dict[str, Any]:
    """A JSON-ready dict; the inverse of structure_from_dict. Keys are stable (feed format)."""
    out = {name: getattr(s, name) for name in _FIELD_NAMES}
    out["phones"] = [
        {"number": p.number, "display": p.display, "label": p.label, "confidential": p.confidential}
        for p in s.phones
    ]
    a = s.area
    out["area"] = {
        "national": a.national,
        "regions": list(a.regions),
        "departements": list(a.departements),
        "communes": list(a.communes),
    }
    for name in _TUPLE_FIELDS:
        out[name] = list(out[name])
    out["updated"] = s.updated.isoformat() if s.updated else None
    return out


def structure_from_dict(d: Mapping[str, Any]) -> Structure:
    """Build a Structure from its JSON form. Unknown keys are ignored; missing ones take defaults."""
    kw: dict[str, Any] = {k: v for k, v in d.items() if k in _FIELD_SET}
    kw["phones"] = phones_from_json(d.get("phones"))
    kw["area"] = area_from_json(d.get("area"))
    for name in _TUPLE_FIELDS:
        kw[name] = tuple(d.get(name) or ())
    kw["updated"] = date_from_json(d.get("updated"))
    return Structure(**kw)


def phones_from_json(items: Iterable[Mapping[str, Any]] | None) -> tuple[Phone, ...]:
    """The phones of a record's JSON form (structure_from_dict; rows.from_values reads rows with it)."""
    return tuple([
        Phone(
            number=str(p["number"]),
            display=str(p.get("display") or p["number"]),
            label=str(p.get("label") or ""),
            confidential=bool(p.get("confidential", False)),
        )
        for p in items or ()
    ])


def area_from_json(a: Mapping[str, Any] | None) -> Area:
    """The area of a record's JSON form (see phones_from_json)."""
    a = a or {}
    return Area(
        national=bool(a.get("national", False)),
        regions=tuple(a.get("regions") or ()),
        departements=tuple(a.get("departements") or ()),
        communes=tuple(a.get("communes") or ()),
    )


def date_from_json(value: object) -> date | None:
    """The update date of a record's JSON form: ISO text, else none."""
    return date.fromisoformat(value) if isinstance(value, str) and value else None


_canonical = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode


def canonical_json(s: Structure) -> bytes:
    """Deterministic bytes for one record (sorted keys, no spaces): the basis of dataset hashes."""
    return _canonical(structure_to_dict(s)).encode()


def record_hash(s: Structure) -> int:
    """sha256 of one record's canonical JSON, as an integer."""
    return int.from_bytes(hashlib.sha256(canonical_json(s)).digest(), "big")


_HASH_MOD = 1 << 256


def combine_hashes(total: int, add: Iterable[int] = (), remove: Iterable[int] = ()) -> int:
    """Update a dataset hash by adding and removing record hashes (order-free, so deltas are O(change))."""
    for h in add:
        total = (total + h) % _HASH_MOD
    for h in remove:
        total = (total - h) % _HASH_MOD
    return total


def dataset_hash(records: Iterable[Structure]) -> str:
    """The hash of a whole dataset: the sum modulo 2**256 of its records' sha256 (a multiset hash).

    Equal sets of records give equal hashes whatever their order; a delta can update it from the
    records it touches alone. Integrity only: authenticity comes from the signed manifest.
    """
    return hash_hex(combine_hashes(0, (record_hash(s) for s in records)))


def hash_hex(value: int) -> str:
    return f"{value:064x}"


# --- search contracts -------------------------------------------------------------------------------

SORT_RELEVANCE = "relevance"
SORT_NAME = "name"
SORT_DISTANCE = "distance"
SORT_UPDATED = "updated"
SORTS = (SORT_RELEVANCE, SORT_NAME, SORT_DISTANCE, SORT_UPDATED)


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """Everything the user can ask of the directory. Empty tuples mean "no filter"."""

    text: str = ""
    # Territory filters, OR between all of them. Régions and départements have separate fields because
    # INSEE codes collide ("11" is Île-de-France and Aude).
    territories: tuple[str, ...] = ()  # département / collectivité codes: "75", "2A", "976", "987"
    regions: tuple[str, ...] = ()  # région codes: "11", "84", "06" (Mayotte)
    types: tuple[str, ...] = ()  # OR
    supports: tuple[str, ...] = ()  # OR
    publics: tuple[str, ...] = ()  # OR
    modalities: tuple[str, ...] = ()  # AND (each modality asked for must be offered)
    open_now: bool = False
    near: tuple[float, float] | None = None  # (lat, lon)
    radius_km: float | None = None
    include_national: bool = True
    ids: tuple[str, ...] | None = None  # restrict to these ids (a list, favourites, a selection)
    sort: str = SORT_RELEVANCE
    offset: int = 0
    limit: int | None = None

    @property
    def is_empty(self) -> bool:
        return not (
            self.text.strip() or self.territories or self.regions or self.types or self.supports
            or self.publics or self.modalities or self.open_now or self.near or self.ids is not None
        )


@dataclass(frozen=True, slots=True)
class FacetCount:
    value: str
    count: int


@dataclass(frozen=True, slots=True)
class SearchResult:
    """Ordered ids of the matching structures, with distances and facet counts for the query."""

    ids: tuple[str, ...]
    total: int  # number of matches before offset/limit
    distances_km: tuple[float | None, ...] = ()  # aligned with ids when the query has `near`
    facets: Mapping[str, tuple[FacetCount, ...]] = field(default_factory=dict)
    # facet names: "territory" (département/collectivité codes), "region", "type", "support",
    # "public", "modality", "open_now" (value "1")
    approximate: tuple[str, ...] = ()  # folded query words found only with typo tolerance (empty: exact)


# --- building records in bulk -------------------------------------------------------------------------


def _slot_setter() -> Callable[..., Structure]:
    """Structure(*values) in field order, without the keyword __init__ (a tenth of its cost; reads, imports
    and merges build 100,000 at a time): see slots.positional_maker."""
    return positional_maker(Structure)


#: Structure(*values): every field given, in field order (see _slot_setter)
structure_of_values: Callable[..., Structure] = _slot_setter()
_FIELD_INDEX = {f.name: k for k, f in enumerate(fields(Structure))}
_field_values = operator.attrgetter(*_FIELD_INDEX)
#: each field's default (MISSING for those a record must be given): Area() is one, immutable, for all
FIELD_DEFAULTS = tuple(f.default_factory() if f.default_factory is not MISSING else f.default
                  for f in fields(Structure))
_REQUIRED = tuple(i for i, default in enumerate(FIELD_DEFAULTS) if default is MISSING)


def new_structure(**values: Any) -> Structure:
    """Structure(**values), its slots set directly (a third of the cost of the keyword __init__)."""
    out = list(FIELD_DEFAULTS)
    for name, value in values.items():
        out[_FIELD_INDEX[name]] = value
    if any(out[i] is MISSING for i in _REQUIRED):
        return Structure(**values)  # its own TypeError: a field missing
    return structure_of_values(*out)


def replaced(s: Structure, **changes: Any) -> Structure:
    """dataclasses.replace(s, **changes), through structure_of_values (a merge of 100,000 records)."""
    values = list(_field_values(s))
    for name, value in changes.items():
        values[_FIELD_INDEX[name]] = value
    return structure_of_values(*values)
