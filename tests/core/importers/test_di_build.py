"""The direct way of building data·inclusion structures (di_build) gives, item by item, what the generic
spreadsheet way (mapping.build_structure of datainclusion._row) gives: the same record and the same notes,
or nothing when the generic way rejects the item (which then words the rejects)."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.bench_import import write_datainclusion
from benchmarks.di_varied import write_varied
from pare_desktop.core import store
from pare_desktop.core.importers.batch import Notes
from pare_desktop.core.importers.datainclusion import _row, _service_offer, scan_datainclusion
from pare_desktop.core.importers.di_build import DirectBuilder
from pare_desktop.core.importers.jsonio import JsonItems
from pare_desktop.core.importers.mapping import Context, build_structure
from pare_desktop.core.records import Area, Structure, canonical_json, new_structure, replaced

from .test_datainclusion import SERVICE, STRUCTURE

DATA = Path(__file__).parent / "data"


def _notes(notes: Notes) -> tuple[Any, ...]:
    return (dict(notes.unclassified), dict(notes.unknown_supports), notes.type_seen, dict(notes.type_counts))


def _same(item: dict[str, Any], offers: list[Any], direct: DirectBuilder, notes: Notes,
          strict: bool = True) -> bool:
    """Both ways on one item, the direct one as datainclusion.built takes it (the generic way when it
    answers None); True when the direct way built the record. `strict`: it builds every item the generic
    way builds (not so for a list where a code is expected: no file the schema let through holds one)."""
    mine = direct.build(item, offers)
    built = mine is not None
    if mine is None:
        mine = build_structure(_row(item, offers), Context("src", "import", "ligne 1", {}, direct.notes))
    theirs = build_structure(_row(item, offers), Context("src", "import", "ligne 1", {}, notes))
    assert repr(mine) == repr(theirs), item
    if not isinstance(theirs, list):
        assert not isinstance(mine, list)
        assert built or not strict, (item, theirs)
        assert canonical_json(mine) == canonical_json(theirs)
        assert store.to_values(mine) == store.to_values(theirs)
    assert _notes(direct.notes) == _notes(notes)
    return built


def _check_file(path: Path) -> tuple[int, int]:
    """(records built the direct way, items left to the generic way) of every structure of a file."""
    scan = scan_datainclusion(path, source="src", origin="import")
    direct, notes = DirectBuilder("src", "import", Notes()), Notes()
    built = left = 0
    for _, item in JsonItems(path).items(scan.structures):
        offers = [offer for _, _, offer in scan.services.get(str(item["id"]), [])]
        if _same(item, offers, direct, notes):
            built += 1
        else:
            left += 1
    return built, left


def test_varied_file_item_by_item(tmp_path: Path) -> None:
    path = tmp_path / "varied.jsonl"
    write_varied(path, 1500)
    built, left = _check_file(path)
    assert built > 1000 and left > 10  # both ways taken: the file holds values the generic way refuses


def test_bench_file_and_fixtures_item_by_item(tmp_path: Path) -> None:
    path = tmp_path / "bench.jsonl"
    write_datainclusion(path, 400)
    assert _check_file(path)[0] > 300
    for name in ("di_v0.json", "di_api_page.json"):
        assert _check_file(DATA / name)[0] > 0


_TEXT = st.one_of(
    st.sampled_from(["", " ", "  a  b ", "'=1+1", "'+262 262 00 00 00", "a\tb\nc", "\u202eexe", "É\u0301",
                     "Maison des adolescents", "CSAPA du Nord", "x" * 120]),
    st.text(max_size=12),
)
_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(-200, 100000), _TEXT,
                    st.floats(allow_nan=True, allow_infinity=True),
                    st.sampled_from([-0.0, 0.0, 45.0, 48.85, 2.35, -61.5, 16.25, 1e-7]))
_VALUE = st.one_of(_SCALAR, st.lists(_SCALAR, max_size=3))
_FIELDS = {
    "nom": st.one_of(_VALUE, st.sampled_from(["Maison des adolescents", "Point écoute jeunes", "CCAS"])),
    "code_postal": st.one_of(_VALUE, st.sampled_from(["75011", "97600", "1000", 75011, "7501"])),
    "code_insee": st.one_of(_VALUE, st.sampled_from(["75111", "97611", "2A004", "75107", "99999", 1053])),
    "commune": st.one_of(_VALUE, st.sampled_from(["Paris", "Mamoudzou", "Ajaccio", "Lyon 7e"])),
    "latitude": st.one_of(_SCALAR, st.sampled_from([48.86, -12.78, "48,86", "48.86"])),
    "longitude": st.one_of(_SCALAR, st.sampled_from([2.38, 45.22, "2,38"])),
    "telephone": st.one_of(_VALUE, st.sampled_from(["01 99 00 12 34", "+33 1 99 00 12 34", "12", "115",
                                                    "Standard : 01 99 00 12 34 / 0639 00 00 00"])),
    "courriel": st.one_of(_VALUE, st.sampled_from(["a@b.fr", "a@b.fr et c@d.fr", "pas un courriel"])),
    "site_web": st.one_of(_VALUE, st.sampled_from(["https://a.fr", "www.a.fr", "javascript:x"])),
    "date_maj": st.one_of(_VALUE, st.sampled_from(["2024-05-18", "2024-05-18T10:00:00", "18/05/2024",
                                                   "2024-13-01"])),
    "horaires_accueil": st.one_of(_VALUE, st.sampled_from([
        "Mo-Fr 09:00-17:00", "Lundi au vendredi de 9h à 17h", "sur rendez-vous"])),
    "description": _VALUE, "adresse": _VALUE, "complement_adresse": _VALUE,
    "typologie": st.one_of(_VALUE, st.sampled_from(["CCAS", "csapa", "MDA, CCAS"])),
    "reseaux_porteurs": st.one_of(_VALUE, st.just(["cmp"])),
    "type_structure": st.one_of(st.none(), st.sampled_from(["", "mda", "inconnu", "Écoute"])),
    "zone_eligibilite": st.one_of(_VALUE, st.sampled_from([["976"], ["france"], ["97611", "2A"], ["R84"]])),
    "presentation_resume": st.one_of(st.none(), _TEXT), "profils": st.one_of(st.none(), st.just(["jeunes"])),
    "id": st.one_of(_TEXT, st.integers(0, 10)),
}
_SERVICES = st.lists(st.fixed_dictionaries({}, optional={
    "thematiques": st.lists(st.sampled_from(["sante--sante-mentale", "famille", "inconnue"]), max_size=2),
    "publics": st.lists(st.sampled_from(["jeunes", "femmes", "inconnu"]), max_size=2),
    "modes_accueil": st.lists(st.sampled_from(["a-distance", "en-presentiel"]), max_size=2),
    "zone_eligibilite": st.lists(st.sampled_from(["976", "france", "2A", "9"]), max_size=2),
    "frais": st.just(["gratuit"]), "telephone": st.just("01 99 00 12 34"),
}), max_size=2)


#: one builder for every example, as for the items of one file (its caches kept from item to item); the
#: offers it was given kept alive with it (it knows them by id)
_SHARED = (DirectBuilder("src", "import", Notes()), Notes(), [])


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({}, optional=_FIELDS), _SERVICES)
def test_any_item_either_way(fields: dict[str, Any], services: list[dict[str, Any]]) -> None:
    item = {**STRUCTURE, **fields}
    offers = [_service_offer({**SERVICE, **s}) for s in services]
    direct, notes, alive = _SHARED
    alive.append(offers)
    _same(item, offers, direct, notes, strict=False)


def test_numbers_read_as_their_text() -> None:
    """A JSON float and its text read the same (-0.0 is written « 0 », NaN and out of range refused)."""
    built = 0
    for lat, lon in ((45.0, -0.0), (45.0, 0.0), (48.123456789012345, 2), (44.9, 1e-7), (-12.78, 45.2),
                     (math.nan, 2.0), (91.0, 2.0), (45, 2), (45.0, math.inf)):
        item = {**STRUCTURE, "latitude": lat, "longitude": lon}
        built += _same(item, [], DirectBuilder("src", "import", Notes()), Notes())
    assert built == 6


def test_numbers_and_booleans_are_not_one_key() -> None:
    """1, 1.0 and True are one dict key but three cells (« 1 », « 1 », « oui »): one builder, each read."""
    direct, notes = DirectBuilder("src", "import", Notes()), Notes()
    for field in ("commune", "horaires_accueil", "adresse"):
        for value in (True, 1, 1.0, False, 0, "1", None):
            _same({**STRUCTURE, field: value}, [], direct, notes)


def test_records_made_slot_by_slot_are_the_dataclass_ones() -> None:
    """records.new_structure and replaced (set slot by slot) give what Structure(...) and
    dataclasses.replace give, to the repr; a field missing is Structure's own TypeError."""
    given: dict[str, Any] = {"id": "s:1", "source": "s", "source_id": "1", "name": "N", "type": "t",
                             "supports": ("a",), "area": Area(national=True)}
    made = new_structure(**given)
    assert repr(made) == repr(Structure(**given)) and made == Structure(**given)
    assert repr(new_structure(**{**given, "area": Area()})) == repr(Structure(**{**given, "area": Area()}))
    changes: dict[str, Any] = {"type": "u", "publics": ("p",), "modalities": ("m",), "withdrawn": True,
                               "area": Area(departements=("976",))}
    assert repr(replaced(made, **changes)) == repr(dataclasses.replace(made, **changes))
    with pytest.raises(TypeError):
        new_structure(id="s:2", source="s")
