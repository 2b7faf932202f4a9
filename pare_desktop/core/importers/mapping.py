"""One imported row (canonical keys, text values) checked and turned into a Structure, or its problems."""

from __future__ import annotations

import functools
import hashlib
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from pare_desktop.core.importers import values as v
from pare_desktop.core.importers.batch import Notes, Reject
from pare_desktop.core.importers.classify import UNCLASSIFIED, classify, classify_list
from pare_desktop.core.importers.fields import field_label, header_key
from pare_desktop.core.importers.places import Place, departement_code, parse_area, resolve_place
from pare_desktop.core.importers.rejects import unneutralise
from pare_desktop.core.phones import InvalidPhone, normalize_phone
from pare_desktop.core.records import (
    VISIBILITY_PRO,
    VISIBILITY_PUBLIC,
    Area,
    Phone,
    Structure,
    make_id,
    structure_of_values,
)
from pare_desktop.core.territories import referential

T = TypeVar("T")
NONE: tuple[str, ...] = ()
_NO_AREA, _NO_PLACE = Area(), Place()  # frozen: one of each for all the records that have none

_MULTILINE = {"description", "horaires_texte"}
_PHONE_SEPARATORS = re.compile(r"[/|\n]")
_PHONE_LABEL = re.compile(r"^(?P<label>[^:]*?[^\d\s+(:][^:]*?)\s*:\s*(?P<number>.+)$")


@dataclass(frozen=True, slots=True)
class Context:
    """Where a row comes from: the batch's source and origin, and its location for messages."""

    source: str
    origin: str
    location: str
    raw: Mapping[str, str]
    notes: Notes | None = None  # where values read though not as written are counted (batch warnings)
    types: Mapping[str, str] | None = None  # folded type value -> structure type, chosen by the user


def stable_source_id(name: str, postal_code: str) -> str:
    """The id of a row without "identifiant": a hash of its folded name and postal code (stable)."""
    digest = hashlib.sha256(f"{header_key(name)}|{postal_code}".encode()).hexdigest()
    return "h-" + digest[:16]


def cell_text(value: str, multiline: bool = False) -> str:
    """What a row keeps of a cell: clean text (values.clean); « '=… », « '-… », « '+262 … », cells our
    rejects file and exports protected, read back as written."""
    if value.__class__ is str and (not value or (value.isascii() and value.isprintable() and "  " not in value
                                                 and value[0] != "'")):
        return value.strip()  # what clean() gives such a value, without the call
    return v.clean(unneutralise(value) if value[:1] == "'" else value, multiline=multiline)


def split_phones(cell: str) -> list[tuple[str, str]]:
    """(label, number) pairs from "Standard : 01 99 00 12 34 / Nuit : 02 61 91 00 00" (/ or | between)."""
    out = []
    for part in _PHONE_SEPARATORS.split(cell):
        part = part.strip().lstrip("'")  # "'+262 ..." as written by our rejects file or typed in Excel
        if not part:
            continue
        m = _PHONE_LABEL.match(part)
        out.append((m["label"].strip(), m["number"].strip()) if m else ("", part))
    return out


class _Row:
    """Reads one row's fields, collecting every problem instead of stopping at the first."""

    def __init__(self, row: Mapping[str, str], ctx: Context) -> None:
        self.ctx = ctx
        self.values = {k: cell_text(val, k in _MULTILINE) for k, val in row.items()}
        self.problems: list[Reject] = []

    def get(self, key: str) -> str:
        return self.values.get(key, "")

    def fail(self, key: str, reason: str) -> None:
        self.problems.append(Reject(self.ctx.location, field_label(key), reason, self.ctx.raw))

    def parse(self, key: str, fn: Callable[[str], T], default: T) -> T:
        text = self.get(key)
        if not text:
            return default
        try:
            return fn(text)
        except v.BadValue as exc:  # our own French sentence, quoting the value
            self.fail(key, str(exc))
            return default
        except ValueError:  # Python's own (int("²")...): English, never shown
            self.fail(key, f"valeur invalide : {v.quote(text)}")
            return default


def _term(kind: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        slug = v.term(kind, text)
        if slug is None:
            possible = v.valid_values(kind)
            raise v.BadValue(f"valeur inconnue : {v.quote(text)} (valeurs possibles : {possible})")
        return slug
    return parse


def _french_hours(text: str) -> str:
    """Hours written in French (our own exports, a coordinator's table) as OSM; "" when unreadable."""
    from pare_desktop.core.hours_fr import HoursSyntaxError, parse_french_hours

    try:
        return parse_french_hours(text)
    except HoursSyntaxError:
        return ""


def _hours_from_text(text: str) -> str:
    """Free-text hours that are in fact OSM syntax or French a reader understands, as OSM; else ""."""
    from pare_desktop.core.hours import compile_hours

    if compile_hours(text) is not None and any(c.isdigit() for c in text):
        return text.strip()
    return _french_hours(text)


_POSTAL_CODE = re.compile(r"\d{5}")
_INSEE_CODE = re.compile(r"\d[\dAB]\d{3}")


@functools.lru_cache(maxsize=8192)  # codes repeat from record to record
def _postal_code(text: str) -> str:
    code = v.digits_code(text, 5)
    if not _POSTAL_CODE.fullmatch(code):
        raise v.BadValue(f"code postal invalide : {v.quote(text)} (5 chiffres)")
    return code


@functools.lru_cache(maxsize=8192)
def _insee(text: str) -> str:
    code = v.digits_code(text, 5).upper()
    if not _INSEE_CODE.fullmatch(code):
        raise v.BadValue(f"code INSEE invalide : {v.quote(text)} (5 caractères, ex. 97611)")
    return code


def _phones(r: _Row, key: str, departement: str, confidential: bool) -> list[Phone]:
    out: list[Phone] = []
    for label, number in split_phones(r.get(key)):
        try:
            out.append(normalize_phone(number, departement, label, confidential))
        except InvalidPhone:
            r.fail(key, f"numéro de téléphone invalide : {v.quote(number)}")
    return out


def _supports(cell: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(support slugs, values matching none): labels first, then synonyms; unknown values never refuse."""
    if not cell:
        return NONE, NONE
    try:
        return v.terms_list("support", cell), NONE
    except v.BadValue:
        return classify_list("support", cell)


def build_structure(row: Mapping[str, str], ctx: Context) -> Structure | list[Reject]:
    """The Structure a row describes, or the list of its problems (each naming the field)."""
    r = _Row(row, ctx)
    name = r.get("nom")
    if not name:
        r.fail("nom", "le nom est obligatoire")
    type_text = r.get("type")
    type_key, chosen, type_ = read_type(type_text, ctx.types)
    supports, unknown_supports = _supports(r.get("accompagnements"))
    publics = r.parse("publics", lambda t: v.terms_list("public", t), NONE)
    modalities = r.parse("modalites", lambda t: v.terms_list("modality", t), NONE)
    postal_code = r.parse("code_postal", _postal_code, "")
    insee = r.parse("code_insee", _insee, "")
    dept_given = r.parse("departement", departement_code, "")
    lat = r.parse("latitude", lambda t: v.number(t, -90, 90), None)
    lon = r.parse("longitude", lambda t: v.number(t, -180, 180), None)
    if (lat is None) != (lon is None) and not r.problems:
        r.fail("latitude" if lat is None else "longitude", "la latitude et la longitude vont ensemble")
    if lat is None or lon is None:
        lat = lon = None
    elif not referential().in_french_territory(lat, lon):
        swapped = referential().in_french_territory(lon, lat)
        r.fail("latitude", f"position hors de tout territoire français (latitude {lat:g}, longitude {lon:g})"
               + (" : latitude et longitude inversées ?" if swapped else ""))
        lat = lon = None
    area = r.parse("zone", parse_area, _NO_AREA)
    age_min = r.parse("age_min", v.age, None)
    age_max = r.parse("age_max", v.age, None)
    if age_min is not None and age_max is not None and age_min > age_max:
        r.fail("age_max", f"l'âge maximum ({age_max}) est inférieur à l'âge minimum ({age_min})")
    place = _NO_PLACE
    try:
        place = resolve_place(insee=insee, postal_code=postal_code, commune=r.get("commune"),
                              departement=dept_given, latitude=lat, longitude=lon)
    except ValueError as exc:
        r.fail("code_insee", str(exc))
    phone_dept = place.departement or (area.departements[0] if len(area.departements) == 1 else "")
    phones = _phones(r, "telephones", phone_dept, False) + _phones(r, "telephones_pro", phone_dept, True)
    emails = r.parse("courriels", v.emails, NONE)
    website = r.parse("site_web", v.website, "")
    visibility = r.parse("visibilite", _term("visibility"), VISIBILITY_PUBLIC)
    hidden = r.parse("adresse_confidentielle", v.yes_no, False)
    updated = r.parse("date_maj", v.parse_date, None)
    status = r.parse("statut", _term("status"), "active")
    if r.problems:
        return r.problems
    if ctx.notes is not None:
        noted(ctx.notes, type_text, type_key, type_, chosen, unknown_supports)
    opening_hours, hours_text = read_hours(r.get("horaires_osm"), r.get("horaires_fr"),
                                           r.get("horaires_texte"))
    return assemble(
        ctx.source, ctx.origin, r.get("identifiant"), name, type_, place,
        description=r.get("description"), address=r.get("adresse"), address2=r.get("complement_adresse"),
        phones=tuple(phones), emails=emails, website=website, opening_hours=opening_hours,
        hours_text=hours_text, supports=supports, publics=publics, age_min=age_min, age_max=age_max,
        modalities=modalities, area=area, visibility=visibility, hidden=hidden, updated=updated,
        status=status,
    )


def read_type(type_text: str, types: Mapping[str, str] | None) -> tuple[str, str | None, str | None]:
    """(folded value, the type the caller chose for it or None, the structure type or None when nothing
    matched) of a row's type text."""
    type_key = header_key(type_text)
    chosen = (types or {}).get(type_key)
    type_ = chosen or ((v.term("type", type_text) or classify("type", type_text)) if type_text else None)
    return type_key, chosen, type_


def noted(notes: Notes, type_text: str, type_key: str, type_: str | None, chosen: str | None,
          unknown_supports: tuple[str, ...]) -> None:
    """What a record read without problems tells the batch's warnings (its type, supports left out)."""
    if type_ is None:
        notes.unclassified[type_text] += 1
    notes.typed(type_key, type_text, type_ or UNCLASSIFIED, chosen is not None)
    if unknown_supports:
        notes.unknown_supports.update(unknown_supports)


def read_hours(osm: str, french: str, text: str) -> tuple[str, str]:
    """(opening hours in OSM syntax, hours as free text) of a row's three hours cells (cleaned)."""
    opening_hours = osm or _french_hours(french)
    if not opening_hours and text:  # a plain « horaires » column: « Lu-Ve 8h-12h » or OSM itself
        opening_hours = _hours_from_text(text)
        if opening_hours:
            text = ""  # now told by the hours themselves, in French, never raw
    return sys.intern(opening_hours), text


def assemble(
    source: str, origin: str, identifier: str, name: str, type_: str | None, place: Place,
    description: str, address: str, address2: str, phones: tuple[Phone, ...], emails: tuple[str, ...],
    website: str, opening_hours: str, hours_text: str, supports: tuple[str, ...], publics: tuple[str, ...],
    age_min: int | None, age_max: int | None, modalities: tuple[str, ...], area: Area, visibility: str,
    hidden: bool, updated: date | None, status: str,
) -> Structure:
    """The Structure of a row read without problems (every value already checked)."""
    source_id = identifier or stable_source_id(name, place.postal_code)
    return structure_of_values(
        make_id(source, source_id), source, source_id, name, type_ or UNCLASSIFIED, description, address,
        address2,
        # one string for all the records of a commune, not one a record as JSON decoding gives them
        sys.intern(place.postal_code), sys.intern(place.commune), place.commune_code,
        place.departement, place.region, place.latitude, place.longitude, place.position_exact,
        place.timezone, phones, emails, website, opening_hours, hours_text, supports, publics, age_min,
        age_max, modalities, area, visibility, VISIBILITY_PRO if hidden else VISIBILITY_PUBLIC, updated,
        status, origin, False,
    )


