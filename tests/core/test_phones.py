"""Phone normalisation: each territory's own plan, short national numbers, French errors."""

from __future__ import annotations

import pytest

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
