"""Phone numbers by the French numbering plan: the number itself says where it belongs.

Mainland France and the overseas départements (and Saint-Barthélemy, Saint-Martin, Saint-Pierre-et-
Miquelon's newer blocks) share one national plan of ten-digit numbers « 0X XX XX XX XX »: 0269/0639 are
Mayotte, 0590/0690 Guadeloupe, Saint-Barthélemy and Saint-Martin, 0594/0694 Guyane, 0596/0696 Martinique,
0262/0692 La Réunion; 08xx (free, shared cost, premium) and 09 (VoIP) are national (+33). The record's
territory never decides which country code a ten-digit number gets: a mainland mobile is valid for a
contact in Guyane, « 0 800 05 95 95 » stays +33 for a record anywhere. Only numbers outside that plan
(« 28 12 34 » in Nouvelle-Calédonie, « 40 41 23 45 » in Polynésie) are read with the territory's own plan.

Short numbers of the plan (1x, 11x, 116 xxx, 118 xxx, 10xx, 3xxx: 15, 119, 116 006, 3114, 3977…) are
kept as dialled. The display form is the national one wherever it can be dialled as shown (mainland and
DROM); in Saint-Pierre-et-Miquelon, Wallis-et-Futuna, Polynésie and Nouvelle-Calédonie a number of another
plan is shown with its country code. The stored number is E.164 (what `tel:` links and vCards use).
"""

from __future__ import annotations

import functools
import re

import phonenumbers
from phonenumbers import PhoneMetadata, PhoneNumberFormat, phonenumberutil

from pare_desktop.core.records import Phone
from pare_desktop.core.territories import referential

#: Well-known short numbers, by dialled form (the display form of any short number is `short_display`).
SHORT_NUMBERS: dict[str, str] = {
    "119": "119",  # Allô Enfance en danger
    "116000": "116 000",  # Enfants disparus
    "116006": "116 006",  # France Victimes
    "116111": "116 111",  # Écoute enfants (numéro européen)
    "3018": "3018",  # e-Enfance / Net Écoute
    "3020": "3020",  # Non au harcèlement
    "3114": "3114",  # Prévention du suicide
    "3919": "3919",  # Violences Femmes Info
    "3977": "3977",  # Maltraitance des personnes âgées et handicapées
    "15": "15",  # SAMU
    "17": "17",  # Police-secours
    "18": "18",  # Pompiers
    "112": "112",  # Urgences (Europe)
    "114": "114",  # Urgences par SMS, visio, tchat (sourds, malentendants)
    "115": "115",  # Urgence sociale (hébergement)
}

#: Every short number category of the French plan: 15, 17, 18 and 11x (urgences), 116 xxx (harmonised European
#: services), 118 xxx (renseignements), 10xx (opérateurs), 3xxx (services).
_SHORT = re.compile(r"1[578]|11\d|116\d{3}|118\d{3}|10\d\d|3\d{3}")

#: Country codes of the shared ten-digit plan (national form dialled the same from all of them).
SHARED_PLAN_CODES = frozenset({33, 262, 590, 594, 596})
#: Regions of the shared plan other than mainland, in the order their blocks are tried (disjoint).
_OVERSEAS_PLAN = ("GP", "MQ", "GF", "RE", "YT", "BL", "MF", "PM")
#: Number types an overseas block holds; 08 and 09 are national whatever an overseas metadata accepts.
_OVERSEAS_TYPES = ("fixed_line", "mobile")
_FR_TYPES = ("fixed_line", "mobile", "voip", "toll_free", "premium_rate", "shared_cost", "uan",
             "personal_number", "pager", "voicemail")

_SEPARATORS = re.compile(r"[\s.\-()/\u00a0\u202f]")
_NATIONAL = re.compile(r"0([1-9]\d{8})")
# "+33 6…", "0033 6…", "+33 (0)6…" (the 0 left after removing the brackets), "+262 692…"
_INTERNATIONAL = re.compile(r"(?:\+|00)(33|262|590|594|596|508)0?([1-9]\d{8})")
# what a spreadsheet leaves of a number it took for an integer: the leading 0 or + dropped
# (« 612345678 », « 33612345678 »); no other plan of the French territories has 9 or 11-12 digits
_SPREADSHEET = re.compile(r"(?:33|262|590|594|596|508)?([1-9]\d{8})")
_FLOAT = re.compile(r"\d+\.0")  # « 612345678.0 »: an integer read back as a float


class InvalidPhone(ValueError):
    """A phone number that is not a number of the French plan (nor of the territory's own plan)."""

    def __init__(self, raw: str, territory: str) -> None:
        self.raw = raw
        self.territory = territory
        super().__init__(f"Numéro de téléphone invalide pour {territory} : « {raw} »")


def phone_region(departement: str) -> str:
    """The ISO region whose numbering plan applies in a département or collectivité ("FR" by default)."""
    territory = referential().territory(departement) if departement else None
    return territory.phone_region if territory and territory.kind != "region" else "FR"


def short_display(compact: str) -> str:
    """« 116 006 », « 118 218 »; other short numbers as dialled."""
    return f"{compact[:3]} {compact[3:]}" if len(compact) == 6 else compact


# --- which plan a national number belongs to ----------------------------------------------------------

def _types_pattern(region: str, types: tuple[str, ...]) -> str | None:
    meta = PhoneMetadata.metadata_for_region(region)
    if meta is None:
        return None
    general = meta.general_desc.national_number_pattern if meta.general_desc else None
    patterns = [d.national_number_pattern for d in (getattr(meta, t, None) for t in types)
                if d is not None and d.national_number_pattern and (not d.possible_length or
                                                                    9 in d.possible_length)]
    if not general or not patterns:
        return None
    return f"(?=(?:{general})\\Z)(?:{'|'.join(patterns)})"


@functools.cache
def _plan() -> re.Pattern[str]:
    """One regex over a 9-digit national significant number: the named group that matches is the region
    whose block holds it (overseas fixed and mobile blocks first, then any mainland number type)."""
    alternatives = []
    for region in _OVERSEAS_PLAN:
        pattern = _types_pattern(region, _OVERSEAS_TYPES)
        if pattern:
            alternatives.append(f"(?P<{region}>(?![89]){pattern})")
    alternatives.append(f"(?P<FR>{_types_pattern('FR', _FR_TYPES)})")
    return re.compile("|".join(alternatives))


def plan_region(nsn: str) -> str | None:
    """The region of the shared plan a 9-digit number (without its leading 0) belongs to, or None."""
    match = _plan().fullmatch(nsn)
    return match.lastgroup if match is not None else None


@functools.cache
def _code(region: str) -> int:
    return int(phonenumbers.country_code_for_region(region))


# --- display --------------------------------------------------------------------------------------

_templates: dict[tuple[int, bool, str, int], str | None] = {}
#: the same templates by what decides a display: the plan's format chosen for the number and where its
#: groups of digits fall (a new four-digit prefix seldom needs phonenumbers to format a number again)
_by_layout: dict[tuple[int, bool, int, tuple[tuple[int, int], ...]], str | None] = {}


def _format(e164: str, international: bool) -> str:
    number = phonenumbers.parse(e164, None)
    style = PhoneNumberFormat.INTERNATIONAL if international else PhoneNumberFormat.NATIONAL
    return str(phonenumbers.format_number(number, style))


def _layout(code: int, nsn: str, international: bool) -> tuple[int, tuple[tuple[int, int], ...]] | None:
    """(format chosen, spans of its groups) as phonenumbers' format_number picks them for this number, or
    None when it would not format by a pattern of the plan (then only the number itself tells)."""
    region = phonenumbers.region_code_for_country_code(code)
    meta = PhoneMetadata.metadata_for_region_or_calling_code(code, region.upper())
    if meta is None:
        return None
    intl = meta.intl_number_format
    formats = intl if international and len(intl) else meta.number_format
    chosen = phonenumberutil._choose_formatting_pattern_for_number(formats, nsn)
    if chosen is None or chosen.pattern is None:
        return None
    match = re.fullmatch(chosen.pattern, nsn)
    if match is None:
        return None
    index = next(i for i, f in enumerate(formats) if f is chosen)
    return index, tuple(match.span(g) for g in range(1, (match.re.groups or 0) + 1))


def _template(code: int, nsn: str, international: bool) -> str | None:
    """The display of numbers sharing this one's code, first four digits and length, with "{}" for each
    digit (learned from one phonenumbers call per layout; None when the display does not spell the
    digits in order)."""
    key = (code, international, nsn[:4], len(nsn))
    if key in _templates:
        return _templates[key]
    layout = _layout(code, nsn, international)
    by_layout = None if layout is None else (code, international, layout[0], layout[1])
    if by_layout is not None and by_layout in _by_layout:
        _templates[key] = _by_layout[by_layout]
        return _templates[key]
    display = _format(f"+{code}{nsn}", international)
    digits = [i for i, ch in enumerate(display) if ch.isdigit()][-len(nsn):]
    template = None
    if "{" not in display and "}" not in display and "".join(display[i] for i in digits) == nsn:
        chars = list(display)
        for i in digits:
            chars[i] = "{}"
        template = "".join(chars)
    _templates[key] = template
    if by_layout is not None:
        _by_layout[by_layout] = template
    return template


def _dialled_with_code(code: int, record_region: str) -> bool:
    """Whether a number of country `code` must be shown with its code to a reader in `record_region`."""
    record_code = _code(record_region) if record_region else 33
    if code in SHARED_PLAN_CODES:
        return record_code not in SHARED_PLAN_CODES
    return code != record_code


def display_phone(number: str, departement: str = "", fallback: str = "") -> str:
    """How a stored number (E.164 or short) reads for a record of `departement`: national form where it
    can be dialled as shown (« 06 12 34 56 78 », « 0269 61 00 00 »), else with its country code;
    `fallback` (else the number itself) for a number that is neither."""
    if not number.startswith("+"):
        return short_display(number) if _SHORT.fullmatch(number) else (fallback or number)
    return _display(number, phone_region(departement)) or fallback or number


def shown(phone: Phone, departement: str) -> str:
    """The text French outputs show for a stored phone of a record in `departement` (see display_phone);
    records stored before this plan (« +33 3 53 01 31 40 » for a Guadeloupe contact) read right too."""
    return display_phone(phone.number, departement, phone.display)


@functools.lru_cache(maxsize=65536)
def _display(number: str, record_region: str) -> str | None:
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return None
    code = int(parsed.country_code or 0)
    nsn = phonenumbers.national_significant_number(parsed)
    return _show(code, nsn, record_region)


def _show(code: int, nsn: str, record_region: str) -> str:
    international = _dialled_with_code(code, record_region)
    template = _template(code, nsn, international)
    return template.format(*nsn) if template is not None else _format(f"+{code}{nsn}", international)


# --- reading --------------------------------------------------------------------------------------

def normalize_phone(raw: str, departement: str, label: str = "", confidential: bool = False) -> Phone:
    """A Phone with its E.164 number and its display form; raises InvalidPhone (French message).

    A ten-digit national number, or one written with a shared-plan country code (+33, +262, +590, +594,
    +596, 0033, « +33 (0)… »), is placed by the plan's own blocks: « +33 269 61 00 00 » is Mayotte's
    +262 269 61 00 00, « +590 800 05 95 95 » the national +33 800 05 95 95. Other numbers are read with
    the territory's own plan; international numbers of other countries are kept as given.
    """
    key = (raw.strip(), departement)
    found = _read_before.get(key)
    if found is None:
        found = _read(*key)
        if len(_read_before) >= 8192:
            _read_before.clear()
        _read_before[key] = found
    number, display = found
    return Phone(number=number, display=display, label=label, confidential=confidential)


#: numbers read lately (a standard or a national line many records of a file share): a plain dict, emptied
#: when full, costs a distinct number less than an lru_cache would
_read_before: dict[tuple[str, str], tuple[str, str]] = {}


def _read(text: str, departement: str) -> tuple[str, str]:
    """(stored number, display) of a number as written (trimmed) for a record of `departement`."""
    compact = _SEPARATORS.sub("", text)
    if _SHORT.fullmatch(compact):
        return compact, short_display(compact)
    region = phone_region(departement)
    match = (_NATIONAL.fullmatch(compact) or _INTERNATIONAL.fullmatch(compact)
             or _SPREADSHEET.fullmatch(text[:-2] if _FLOAT.fullmatch(text) else compact))
    if match is not None:
        nsn = match[match.lastindex or 1]
        found = plan_region(nsn)
        if found is not None:
            code = _code(found)
            return f"+{code}{nsn}", _show(code, nsn, region)
    parsed = _parse_other(compact, region)
    if parsed is None:
        territory = referential().territory(departement) if departement else None
        raise InvalidPhone(text, territory.name if territory else "la France")
    code = int(parsed.country_code or 0)
    nsn = phonenumbers.national_significant_number(parsed)
    return f"+{code}{nsn}", _show(code, nsn, region)


def _parse_other(compact: str, region: str) -> phonenumbers.PhoneNumber | None:
    """A number outside the shared plan: the territory's own (6- or 8-digit) plan, or international."""
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    try:
        number = phonenumbers.parse(compact, region)
    except phonenumbers.NumberParseException:
        return None
    if int(number.country_code or 0) in SHARED_PLAN_CODES:
        return None  # ten-digit plan numbers were all tried above: this one is in no block
    return number if phonenumbers.is_valid_number(number) else None
