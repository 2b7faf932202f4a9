"""Phones by the French numbering plan: the number says where it belongs, whatever the record's territory."""

from __future__ import annotations

import random

import phonenumbers
import pytest

from pare_desktop.core import phones
from pare_desktop.core.phones import InvalidPhone, display_phone, normalize_phone
from pare_desktop.core.territories import referential

ALL_TERRITORIES = [t.code for t in referential().departements()]
#: territories whose own plan is not the shared ten-digit plan: numbers of that plan get their code there
OWN_PLAN = {"975": 508, "986": 681, "987": 689, "988": 687}

# (category, as written, E.164): every category of the shared ten-digit plan
PLAN = [
    ("géographique Île-de-France", "01 45 67 89 01", "+33145678901"),
    ("géographique Nord-Ouest", "02 61 91 00 00", "+33261910000"),
    ("géographique Nord-Est", "03 53 01 31 40", "+33353013140"),
    ("géographique Sud-Est", "04 65 71 12 34", "+33465711234"),
    ("géographique Sud-Ouest", "05 36 49 12 34", "+33536491234"),
    ("mobile 06", "06 12 34 56 78", "+33612345678"),
    ("mobile 07", "07 81 23 45 67", "+33781234567"),
    ("numéro vert 0800", "0 800 05 95 95", "+33800059595"),
    ("numéro vert 0805", "0 805 20 23 23", "+33805202323"),
    ("numéro vert 0800 (autre écriture)", "0 800 235 236", "+33800235236"),
    ("service partagé 081x", "0 810 12 34 56", "+33810123456"),
    ("service 0806", "0 806 12 34 56", "+33806123456"),
    ("surtaxé 089x", "0 891 12 34 56", "+33891123456"),
    ("non géographique 09", "09 72 12 34 56", "+33972123456"),
    ("VoIP 0976 (national)", "09 76 01 23 45", "+33976012345"),
    ("Guadeloupe fixe", "0590 20 12 34", "+590590201234"),
    ("Guadeloupe mobile", "0690 00 12 34", "+590690001234"),
    ("Guadeloupe mobile 0709", "0709 01 23 45", "+590709012345"),
    ("Saint-Barthélemy fixe", "0590 27 12 34", "+590590271234"),
    ("Martinique fixe", "0596 30 12 34", "+596596301234"),
    ("Martinique mobile", "0696 20 12 34", "+596696201234"),
    ("Guyane fixe", "0594 10 12 34", "+594594101234"),
    ("Guyane mobile", "0694 20 12 34", "+594694201234"),
    ("La Réunion fixe", "0262 16 12 34", "+262262161234"),
    ("La Réunion mobile", "0692 12 34 56", "+262692123456"),
    ("Mayotte fixe", "0269 61 00 00", "+262269610000"),
    ("Mayotte mobile", "0639 01 23 45", "+262639012345"),
]
# forms of the same numbers with a country code
INTERNATIONAL = [
    ("+33 6 12 34 56 78", "+33612345678"), ("0033 6 12 34 56 78", "+33612345678"),
    ("+33 (0)1 45 67 89 01", "+33145678901"), ("+33.3.53.01.31.40", "+33353013140"),
    ("+262 269 61 00 00", "+262269610000"), ("+262 692 12 34 56", "+262692123456"),
    ("+590 590 27 12 34", "+590590271234"), ("+594 694 20 12 34", "+594694201234"),
    ("+596 696 20 12 34", "+596696201234"),
    # written with the wrong code: the plan's blocks decide (08 is national, 0269 is Mayotte)
    ("+590 800 05 95 95", "+33800059595"), ("+33 269 61 00 00", "+262269610000"),
    # other plans of the French territories and abroad, kept as given
    ("+508 41 23 45", "+508412345"), ("+681 72 12 34", "+681721234"), ("+689 40 41 23 45", "+68940412345"),
    ("+687 28 12 34", "+687281234"), ("+32 2 551 18 11", "+3225511811"),
    # what a spreadsheet leaves of a number it took for an integer
    ("612345678", "+33612345678"), ("612345678.0", "+33612345678"), ("33612345678", "+33612345678"),
    ("262269610000", "+262269610000"), ("269610000", "+262269610000"),
]
SHORT = [("15", "15"), ("17", "17"), ("18", "18"), ("112", "112"), ("114", "114"), ("115", "115"),
         ("119", "119"), ("116 000", "116 000"), ("116006", "116 006"), ("116 111", "116 111"),
         ("116 117", "116 117"), ("118 218", "118 218"), ("1014", "1014"), ("3114", "3114"),
         ("3977", "3977"), ("39 19", "3919"), ("3018", "3018"), ("3020", "3020"), ("3646", "3646")]


def _expected_display(e164: str, departement: str) -> str:
    number = phonenumbers.parse(e164)
    code = number.country_code
    record_code = OWN_PLAN.get(departement, 33)
    shared = code in phones.SHARED_PLAN_CODES
    local = (shared and departement not in OWN_PLAN) or code == record_code
    style = phonenumbers.PhoneNumberFormat.NATIONAL if local else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return str(phonenumbers.format_number(number, style))


@pytest.mark.parametrize("departement", ALL_TERRITORIES)
def test_every_category_of_the_plan_in_every_territory(departement: str) -> None:
    for category, raw, e164 in PLAN:
        phone = normalize_phone(raw, departement)
        assert phone.number == e164, (category, departement)
        assert phone.display == _expected_display(e164, departement), (category, departement)
        assert display_phone(phone.number, departement) == phone.display
        if departement not in OWN_PLAN:  # national form shown, and it reads back to the same number
            assert phone.display.startswith("0"), (category, phone.display)
        assert normalize_phone(phone.display, departement).number == e164
    for raw, e164 in INTERNATIONAL:
        assert normalize_phone(raw, departement).number == e164, (raw, departement)
    for raw, display in SHORT:
        phone = normalize_phone(raw, departement)
        assert (phone.number, phone.display) == (display.replace(" ", ""), display)
        assert display_phone(phone.number, departement) == display


@pytest.mark.parametrize(
    ("raw", "departement", "number", "display"),
    [
        ("41 22 33", "975", "+508412233", "041 22 33"),
        ("72 12 34", "986", "+681721234", "72 12 34"),
        ("40 41 23 45", "987", "+68940412345", "40 41 23 45"),
        ("20.12.34", "988", "+687201234", "20.12.34"),
        ("28 12 34", "988", "+687281234", "28.12.34"),
    ],
)
def test_collectivites_own_plans(raw: str, departement: str, number: str, display: str) -> None:
    phone = normalize_phone(raw, departement)
    assert (phone.number, phone.display) == (number, display)
    assert display_phone(number, "75").startswith("+")  # from mainland: with its country code


def test_toll_free_numbers_stay_national() -> None:
    for departement in ("75", "971", "972", "973", "974", "976"):
        phone = normalize_phone("0 800 05 95 95", departement)
        assert (phone.number, phone.display) == ("+33800059595", "0 800 05 95 95")


def test_mainland_numbers_for_overseas_records() -> None:
    assert normalize_phone("06 12 34 56 78", "973").display == "06 12 34 56 78"
    assert normalize_phone("01 45 67 89 01", "976").display == "01 45 67 89 01"
    # in Nouvelle-Calédonie a mainland number is dialled with +33
    assert normalize_phone("06 12 34 56 78", "988").display == "+33 6 12 34 56 78"


def test_stored_international_display_is_shown_nationally() -> None:
    # records imported before this plan kept « +33 3 53 01 31 40 » for overseas contacts
    assert display_phone("+33353013140", "971") == "03 53 01 31 40"
    assert display_phone("+262269610000", "75") == "0269 61 00 00"
    assert display_phone("116006") == "116 006"


@pytest.mark.parametrize(("raw", "departement"), [("abc", "75"), ("", ""), ("0199", "987"),
                                                  ("06 39 98 12 34", "75"), ("0590 71 12 34", "971"),
                                                  ("12345", "75"), ("0 000 00 00 00", "971")])
def test_invalid_raises_in_french(raw: str, departement: str) -> None:
    with pytest.raises(InvalidPhone, match="Numéro de téléphone invalide") as info:
        normalize_phone(raw, departement)
    assert f"« {raw} »" in str(info.value)
    assert isinstance(info.value, ValueError)


def _reference(nsn: str) -> str | None:
    """The plan as phonenumbers' own API says it: an overseas fixed or mobile block, else mainland."""
    if nsn[0] not in "89":
        for region in ("GP", "MQ", "GF", "RE", "YT", "BL", "MF", "PM"):
            number = phonenumbers.parse("0" + nsn, region)
            if (phonenumbers.is_valid_number_for_region(number, region) and phonenumbers.number_type(number)
                    in (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE)):
                return str(number.country_code)
    number = phonenumbers.parse("0" + nsn, "FR")
    return "33" if phonenumbers.is_valid_number_for_region(number, "FR") else None


def test_fast_plan_agrees_with_phonenumbers() -> None:
    rng = random.Random("phones-plan")
    prefixes = [f"{n:03d}" for n in range(100, 1000)]
    numbers = [p + f"{rng.randrange(10**6):06d}" for p in prefixes for _ in range(3)]
    for p in ("590", "690", "691", "596", "696", "697", "594", "694", "262", "263", "692", "693", "269",
              "639", "709", "976", "939", "800", "805"):
        numbers += [p + f"{rng.randrange(10**6):06d}" for _ in range(40)]
    for nsn in numbers:
        found = phones.plan_region(nsn)
        code = str(phonenumbers.country_code_for_region(found)) if found else None
        assert code == _reference(nsn), nsn
        if found is not None:  # the display templates agree with phonenumbers' formatting
            for departement in ("75", "971", "988"):
                assert normalize_phone("0" + nsn, departement).display == _expected_display(
                    f"+{code}{nsn}", departement), nsn


def test_fast_path_needs_no_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    normalize_phone("01 99 00 12 34", "75")
    normalize_phone("0269 61 00 00", "75")
    normalize_phone("0590 27 12 34", "977")

    def no_parser(*args: object, **kwargs: object) -> None:
        raise AssertionError("parser called")

    monkeypatch.setattr(phonenumbers, "parse", no_parser)
    assert normalize_phone("02.61.91.00.00", "75").display == "02 61 91 00 00"
    assert normalize_phone("+33 2 61 91 00 01", "971").display == "02 61 91 00 01"
    assert normalize_phone("0269 60 12 34", "75").display == "0269 60 12 34"
    assert normalize_phone("0590 27 00 01", "977").display == "0590 27 00 01"


def test_numbers_of_other_lengths_keep_every_digit() -> None:
    # Germany numbers its lines with 10 to 11 digits after the same four: a display template learned from
    # one length once cut the next number short, or failed on it (IndexError: the whole import refused)
    for raw in ("+49 30 12345678", "+49 30 1234567", "+49 30 123456789"):
        phone = normalize_phone(raw, "75")
        assert phone.display == _expected_display(phone.number, "75")
        assert phone.display.replace(" ", "") == raw.replace(" ", "")


def test_a_display_learned_from_another_prefix_is_phonenumbers_own() -> None:
    # templates are shared by numbers the plan formats alike: checked against phonenumbers for prefixes
    # never seen before, in a random order
    rng = random.Random("phones-layout")
    numbers = [f"{first}{rng.randrange(10**8):08d}" for first in "1234567" for _ in range(150)]
    numbers += [f"{block}{rng.randrange(10**6):06d}" for block in ("262", "692", "590", "690", "594", "596")
                for _ in range(30)]
    rng.shuffle(numbers)
    for nsn in numbers:
        try:
            phone = normalize_phone("0" + nsn, "75")
        except InvalidPhone:
            continue
        assert phone.display == _expected_display(phone.number, "75"), nsn
