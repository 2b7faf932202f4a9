"""Places as real files write them: arrondissements, merged communes, postal code and name tried first."""

from __future__ import annotations

from pathlib import Path

import pytest

from pare_desktop.core.importers import read_file
from pare_desktop.core.importers.places import parse_area, resolve_place
from pare_desktop.core.territories import referential


@pytest.mark.parametrize(("code", "today", "postal"), [
    ("75107", "75056", "75007"), ("75120", "75056", "75020"), ("13201", "13055", "13001"),
    ("13216", "13055", "13016"), ("69381", "69123", "69001"), ("69389", "69123", "69009"),
])
def test_arrondissements(code: str, today: str, postal: str) -> None:
    place = resolve_place(insee=code, postal_code="", commune="", departement="", latitude=None,
                          longitude=None)
    assert (place.commune_code, place.postal_code) == (today, postal)
    assert referential().alias_postal_codes(code) == (postal,)


def test_merged_commune_code_and_name() -> None:
    ref = referential()
    assert ref.commune("01120") is None and ref.current_commune("01120").code == "01262"  # type: ignore[union-attr]
    by_name = resolve_place(insee="", postal_code="01120", commune="Cordieux", departement="",
                            latitude=None, longitude=None)
    assert by_name.commune_code == "01262"


def test_unknown_code_falls_back_on_postal_code_and_name(tmp_path: Path) -> None:
    path = tmp_path / "ancien.csv"
    path.write_text("nom;type;code insee;code postal;commune\n"
                    "A (démo);urgence;97699;97600;Mamoudzou\n"  # a code that never existed
                    "B (démo);urgence;97699;;\n", encoding="utf-8")
    batch = read_file(path)
    (a,) = batch.records
    assert a.commune_code == "97611"
    (reject,) = batch.rejects
    assert (reject.location, reject.reason) == ("ligne 3", "code INSEE inconnu : « 97699 »")


def test_area_with_arrondissement() -> None:
    assert parse_area("75107 | 13201").communes == ("75056", "13055")
