"""Phone normalisation: each territory's own plan, short national numbers, French errors."""

from __future__ import annotations

import random

import pytest

from pare_desktop.core import phones
from pare_desktop.core.phones import InvalidPhone, normalize_phone


@pytest.mark.parametrize(
    ("raw", "departement", "number", "display"),
    [
        ("0590 20 12 34", "971", "+590590201234", "0590 20 12 34"),
        ("0596 30 12 34", "972", "+596596301234", "0596 30 12 34"),
        ("0594 10 12 34", "973", "+594594101234", "0594 10 12 34"),
        ("0262 16 12 34", "974", "+262262161234", "0262 16 12 34"),
        ("0269 60 12 34", "976", "+262269601234", "0269 60 12 34"),
        ("41 22 33", "975", "+508412233", "041 22 33"),
        ("0590 27 12 34", "977", "+590590271234", "0590 27 12 34"),
        ("0590 27 12 34", "978", "+590590271234", "0590 27 12 34"),
        ("72 12 34", "986", "+681721234", "72 12 34"),
        ("40 41 23 45", "987", "+68940412345", "40 41 23 45"),
        ("20.12.34", "988", "+687201234", "20.12.34"),
        ("01 99 00 12 34", "75", "+33199001234", "01 99 00 12 34"),
        ("01.99.00.12.34", "2A", "+33199001234", "01 99 00 12 34"),
        ("01 99 00 12 34", "984", "+33199001234", "01 99 00 12 34"),
    ],
)
def test_territory_plans(raw: str, departement: str, number: str, display: str) -> None:
    phone = normalize_phone(raw, departement)
    assert (phone.number, phone.display) == (number, display)


def test_mayotte_is_never_mainland() -> None:
    assert normalize_phone("0269 61 00 00", "976").number == "+262269610000"
    # Given for a mainland structure, it is still Mayotte's number, not a +33 one.
    assert normalize_phone("0269 61 00 00", "75").number == "+262269610000"
    with pytest.raises(InvalidPhone):
        normalize_phone("0269 61 00 00", "971")


def test_international_numbers_are_kept_as_given() -> None:
    assert normalize_phone("+590 590 27 12 34", "978").number == "+590590271234"
    assert normalize_phone("+590 590 27 12 34", "75").number == "+590590271234"
    mainland = normalize_phone("+33 1 99 00 12 34", "987")
    assert (mainland.number, mainland.display) == ("+33199001234", "+33 1 99 00 12 34")


@pytest.mark.parametrize(
    ("raw", "number", "display"),
    [("119", "119", "119"), ("116 000", "116000", "116 000"), ("116000", "116000", "116 000"),
     ("3018", "3018", "3018"), ("3020", "3020", "3020"), ("3919", "3919", "3919"), ("17", "17", "17"),
     ("112", "112", "112"), ("15", "15", "15"), ("114", "114", "114"), ("115", "115", "115")],
)
@pytest.mark.parametrize("departement", ["", "75", "971", "976", "987"])
def test_short_numbers(raw: str, number: str, display: str, departement: str) -> None:
    phone = normalize_phone(raw, departement, label="Écoute", confidential=True)
    assert (phone.number, phone.display, phone.label, phone.confidential) == (number, display, "Écoute", True)


@pytest.mark.parametrize(("raw", "departement"), [("abc", "75"), ("", ""), ("0199", "987"),
                                                  ("06 39 98 12 34", "75"), ("01 99 00 12 34", "971")])
def test_invalid_raises_in_french(raw: str, departement: str) -> None:
    with pytest.raises(InvalidPhone, match="Numéro de téléphone invalide") as info:
        normalize_phone(raw, departement)
    assert f"« {raw} »" in str(info.value)
    assert isinstance(info.value, ValueError)


# --- the fast path (metadata regexes and learned templates) agrees with phonenumbers' parser -----------

def _reference(compact: str, departement: str) -> tuple[str, str] | None:
    return phones._full(compact, phones.phone_region(departement))


def _normalized(compact: str, departement: str) -> tuple[str, str] | None:
    try:
        phone = normalize_phone(compact, departement)
    except InvalidPhone:
        return None
    return phone.number, phone.display


_OVERSEAS_PREFIXES = ("0590", "0690", "0691", "0596", "0696", "0697", "0594", "0694", "0262", "0263", "0692",
                      "0693", "0269", "0639", "0976")


@pytest.mark.parametrize("departement", ["75", "2A", "", "971", "972", "973", "974", "976", "977", "978"])
def test_fast_path_agrees_with_the_parser(departement: str) -> None:
    rng = random.Random(f"phones-{departement}")
    # every 4-digit national prefix for mainland (tried against every shared-plan region), a sample of
    # them elsewhere, and many numbers in the overseas blocks; a few in each format to use its template
    share = 1.0 if departement == "75" else 0.1
    prefixes = [f"0{n:03d}" for n in range(100, 1000) if rng.random() < share]
    numbers = [p + f"{rng.randrange(10**6):06d}" for p in prefixes for _ in range(2)]
    numbers += [p + f"{rng.randrange(10**6):06d}" for p in _OVERSEAS_PREFIXES for _ in range(12)]
    for compact in numbers:
        assert _normalized(compact, departement) == _reference(compact, departement), compact
    # the same numbers written internationally ("+33 1…", "00 262 …"): the international fast path
    codes = ("33", "262", "590", "594", "596")
    for compact in numbers:
        intl = f"{rng.choice(('+', '00'))}{rng.choice(codes)}{compact[1:]}"
        assert _normalized(intl, departement) == _reference(intl, departement), intl


def test_fast_path_serves_numbers_without_the_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    normalize_phone("01 99 00 12 34", "75")
    normalize_phone("0269 61 00 00", "75")
    normalize_phone("0590 27 12 34", "977")

    def no_parser(compact: str, region: str) -> tuple[str, str] | None:
        raise AssertionError(f"parser called for {compact} ({region})")

    monkeypatch.setattr(phones, "_full", no_parser)
    assert _normalized("02.61.91.00.00", "75") == ("+33261910000", "02 61 91 00 00")
    assert _normalized("0269 60 12 34", "75") == ("+262269601234", "+262 269 60 12 34")
    assert _normalized("0590 27 00 01", "977") == ("+590590270001", "0590 27 00 01")
    normalize_phone("+33 1 99 00 12 34", "75")  # teaches the template of the international form
    assert _normalized("+33 2 61 91 00 00", "75") == ("+33261910000", "02 61 91 00 00")
    assert _normalized("0033 2 61 91 00 01", "75") == ("+33261910001", "02 61 91 00 01")
