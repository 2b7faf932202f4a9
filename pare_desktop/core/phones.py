"""Phone number normalisation with each territory's own numbering plan (never FR for overseas)."""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import PhoneNumberFormat

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
    number = None
    if region == "FR" and compact.startswith("0") and not compact.startswith("00"):
        for overseas in _SHARED_PLAN_REGIONS:
            number = _parse(compact, overseas)
            if number is not None:
                break
    if number is None and compact:
        number = _parse(compact, region)
    if number is None:
        territory = referential().territory(departement) if departement else None
        raise InvalidPhone(text, territory.name if territory else "la France")
    local = number.country_code == phonenumbers.country_code_for_region(region)
    style = PhoneNumberFormat.NATIONAL if local else PhoneNumberFormat.INTERNATIONAL
    return Phone(
        number=phonenumbers.format_number(number, PhoneNumberFormat.E164),
        display=phonenumbers.format_number(number, style),
        label=label,
        confidential=confidential,
    )
