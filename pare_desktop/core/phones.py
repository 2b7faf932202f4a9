"""Phone number normalisation with each territory's own numbering plan (never FR for overseas)."""

from __future__ import annotations

import functools
import re

import phonenumbers
from phonenumbers import PhoneMetadata, PhoneNumberFormat

from pare_desktop.core.records import Phone
from pare_desktop.core.territories import referential

#: Short national numbers, valid as they are everywhere in France: dialled form -> display form.
SHORT_NUMBERS: dict[str, str] = {
    "119": "119",  # Allô Enfance en danger
    "116000": "116 000",  # Enfants disparus
    "3018": "3018",  # e-Enfance / Net Écoute
    "3020": "3020",  # Non au harcèlement
    "3919": "3919",  # Violences Femmes Info
    "15": "15",  # SAMU
    "17": "17",  # Police-secours
    "18": "18",  # Pompiers
    "112": "112",  # Urgences (Europe)
    "114": "114",  # Urgences par SMS, visio, tchat (sourds, malentendants)
    "115": "115",  # Urgence sociale (hébergement)
}

# Overseas départements share the national plan of mainland France: "0596..." dialled from Paris
# reaches Martinique. Parsing such a number with FR would give a wrong +33 E.164 form.
_SHARED_PLAN_REGIONS = ("GP", "MQ", "GF", "RE", "YT")
_SEPARATORS = re.compile(r"[\s.\-()/\u00a0\u202f]")


class InvalidPhone(ValueError):
    """A phone number that cannot be dialled in the territory it was given for."""

    def __init__(self, raw: str, territory: str) -> None:
        self.raw = raw
        self.territory = territory
        super().__init__(f"Numéro de téléphone invalide pour {territory} : « {raw} »")


def phone_region(departement: str) -> str:
    """The ISO region whose numbering plan applies in a département or collectivité ("FR" by default)."""
    territory = referential().territory(departement) if departement else None
    return territory.phone_region if territory and territory.kind != "region" else "FR"


def _parse(raw: str, region: str) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def _candidates(region: str) -> tuple[str, ...]:
    """The regions a national number is tried with, in order: overseas plans first for mainland records."""
    if region == "FR":
        return (*_SHARED_PLAN_REGIONS, "FR")
    return (region,)


def _full(compact: str, region: str) -> tuple[str, str] | None:
    """(E.164, display) through phonenumbers' parser, or None for a number invalid in `region`."""
    number = None
    if region == "FR" and compact.startswith("0") and not compact.startswith("00"):
        for overseas in _SHARED_PLAN_REGIONS:
            number = _parse(compact, overseas)
            if number is not None:
                break
    if number is None and compact:
        number = _parse(compact, region)
    if number is None:
        return None
    local = number.country_code == phonenumbers.country_code_for_region(region)
    style = PhoneNumberFormat.NATIONAL if local else PhoneNumberFormat.INTERNATIONAL
    return (phonenumbers.format_number(number, PhoneNumberFormat.E164),
            phonenumbers.format_number(number, style))


def normalize_phone(raw: str, departement: str, label: str = "", confidential: bool = False) -> Phone:
    """A Phone with its E.164 number and its local display form; raises InvalidPhone (French message).

    National numbers are read with the territory's own plan (0269... is Mayotte, 0590... is
    Guadeloupe, Saint-Barthélemy or Saint-Martin, never mainland). International numbers (+590...,
    00 33...) are kept as given: the territory is never inferred from a shared country code.
    """
    text = raw.strip()
    compact = _SEPARATORS.sub("", text)
    if compact in SHORT_NUMBERS:
        return Phone(number=compact, display=SHORT_NUMBERS[compact], label=label, confidential=confidential)
    region = phone_region(departement)
    found = _fast(compact, region) or _learn(compact, region)
    if found is None:
        territory = referential().territory(departement) if departement else None
        raise InvalidPhone(text, territory.name if territory else "la France")
    return Phone(number=found[0], display=found[1], label=label, confidential=confidential)


# --- fast path ------------------------------------------------------------------------------------
# A 10-digit national number ("0" + 9 digits) in the plan shared by mainland France and the overseas
# départements is checked with phonenumbers' own metadata (what `is_valid_number` checks, compiled into
# one regex per record region whose first matching alternative is the first region that accepts it) and
# formatted with a template learned from one real `format_number` call for the same country code, style
# and metadata number format. Anything else, and any number the fast check does not accept, goes through
# the parser above, which stays the reference (tests compare both on many numbers).

_TEN_DIGITS = re.compile(r"0[1-9][0-9]{8}")
# "+" or "00", a country code of the French numbering plans, 9 digits (the national number).
_INTERNATIONAL = re.compile(r"(?:\+|00)(33|262|590|594|596)([1-9][0-9]{8})")
_NSN_LENGTH = 9
_FAST_REGIONS = frozenset({"FR", *_SHARED_PLAN_REGIONS, "BL", "MF"})
_TYPES = ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager", "uan", "voicemail",
          "fixed_line", "mobile")
_templates: dict[tuple[int, bool, int], str] = {}


def _desc_pattern(desc: object) -> str | None:
    """A number description's pattern if it can match a national number of _NSN_LENGTH digits."""
    pattern = getattr(desc, "national_number_pattern", None)
    lengths = getattr(desc, "possible_length", None) or ()
    return pattern if pattern and (not lengths or _NSN_LENGTH in lengths) else None


def _region_pattern(region: str) -> str | None:
    """`is_valid_number_for_region` as a pattern: the general description and one of the number types."""
    meta = PhoneMetadata.metadata_for_region(region)
    if meta is None or meta.leading_digits is not None:
        return None
    general = _desc_pattern(meta.general_desc)
    types = [p for p in (_desc_pattern(getattr(meta, t, None)) for t in _TYPES) if p]
    if general is None or not types:
        return None
    return f"(?=(?:{general})\\Z)(?:{'|'.join(types)})"


@functools.cache
def _plan(region: str) -> tuple[re.Pattern[str], tuple[int, ...]] | None:
    """For a record region: one regex whose i-th group matches when the i-th country code tried accepts
    the number, and those country codes; None when the metadata needs the parser (leading digits)."""
    alternatives: list[str] = []
    codes: list[int] = []
    for candidate in _candidates(region):
        code = _country_code(candidate)
        # is_valid_number: the number belongs to one of the code's regions, which accepts it
        patterns = [_region_pattern(r) for r in phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(code, ())]
        if any(p is None for p in patterns):
            return None
        alternatives.append(f"({'|'.join(f'(?:{p})' for p in patterns if p)})")
        codes.append(code)
    return re.compile("|".join(alternatives)), tuple(codes)


@functools.cache
def _country_code(region: str) -> int:
    return int(phonenumbers.country_code_for_region(region))


@functools.cache
def _formats(code: int, local: bool) -> re.Pattern[str]:
    """The number formats `format_number` chooses from, as one regex whose group "f<i>" matches when the
    i-th format is the first whose leading digits and pattern fit the number (its order is kept)."""
    main_region = phonenumbers.region_code_for_country_code(code)
    meta = PhoneMetadata.metadata_for_region_or_calling_code(code, main_region)
    formats = (meta.number_format if local or not meta.intl_number_format else meta.intl_number_format
               ) if meta is not None else []
    alternatives = [f"(?P<f{i}>{f'(?={f.leading_digits_pattern[-1]})' if f.leading_digits_pattern else ''}"
                    f"(?:{f.pattern or '(?!)'}))" for i, f in enumerate(formats)]
    return re.compile("|".join(alternatives) or "(?!)")


def _format_index(code: int, local: bool, nsn: str) -> int:
    match = _formats(code, local).fullmatch(nsn)
    return int(match.lastgroup[1:]) if match is not None and match.lastgroup else -1


@functools.cache
def _code_pattern(code: int) -> re.Pattern[str] | None:
    """`is_valid_number` for a country code, as one regex over the national number (None: parser)."""
    patterns = [_region_pattern(r) for r in phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(code, ())]
    if not patterns or any(p is None for p in patterns):
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns if p))


def _fast_international(compact: str, region: str) -> tuple[str, str] | None:
    """"+33 1 23…" or "0033 1 23…" with a country code of the French plans: checked like _fast."""
    match = _INTERNATIONAL.fullmatch(compact) if region in _FAST_REGIONS else None
    if match is None:
        return None
    code, nsn = int(match[1]), match[2]
    pattern = _code_pattern(code)
    if pattern is None or pattern.fullmatch(nsn) is None:
        return None
    local = code == _country_code(region)
    template = _templates.get((code, local, _format_index(code, local, nsn)))
    return (f"+{code}{nsn}", template.format(*nsn)) if template is not None else None


def _nsn(compact: str) -> str | None:
    """The 9-digit national number of a number in a form the fast paths read, else None."""
    if _TEN_DIGITS.fullmatch(compact):
        return compact[1:]
    match = _INTERNATIONAL.fullmatch(compact)
    return match[2] if match is not None else None


def _fast(compact: str, region: str) -> tuple[str, str] | None:
    if compact[:1] == "+" or compact[:2] == "00":
        return _fast_international(compact, region)
    plan = _plan(region) if region in _FAST_REGIONS and _TEN_DIGITS.fullmatch(compact) else None
    if plan is None:
        return None
    nsn = compact[1:]
    match = plan[0].fullmatch(nsn)
    if match is None or match.lastindex is None:
        return None
    code = plan[1][match.lastindex - 1]
    local = code == _country_code(region)
    template = _templates.get((code, local, _format_index(code, local, nsn)))
    return (f"+{code}{nsn}", template.format(*nsn)) if template is not None else None


def _learn(compact: str, region: str) -> tuple[str, str] | None:
    """The parser's answer; a fast-path number also teaches the display template of its format."""
    found = _full(compact, region)
    nsn = _nsn(compact)
    if found is None or region not in _FAST_REGIONS or nsn is None:
        return found
    e164, display = found
    code_text = e164[1:-len(nsn)]
    positions = [i for i, ch in enumerate(display) if ch.isdigit()][-len(nsn):]
    if (not e164.endswith(nsn) or not code_text.isdigit() or "{" in display or "}" in display
            or "".join(display[i] for i in positions) != nsn):
        return found
    chars = list(display)
    for i in positions:
        chars[i] = "{}"
    code = int(code_text)
    local = code == _country_code(region)
    _templates[(code, local, _format_index(code, local, nsn))] = "".join(chars)
    return found
