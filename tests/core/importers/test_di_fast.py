"""The quick schema check never vouches for an item the data·inclusion model refuses; it covers plain ones."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pydantic
import pytest
from data_inclusion.schema import v1

from benchmarks.di_varied import write_varied
from pare_desktop.core.importers import di_fast
from pare_desktop.core.importers.di_fast import surely_valid
from pare_desktop.core.importers.di_validate import schema_problems

STRUCTURE: dict[str, Any] = {
    "source": "pare", "id": "pare--1", "nom": "Maison des adolescents", "date_maj": "2025-01-15",
    "description": "Accueil des jeunes.", "code_insee": "97611", "code_postal": "97600",
    "commune": "Mamoudzou", "adresse": "1 rue de la Démo", "telephone": "0269 61 00 00",
    "site_web": "https://example.org/mda", "horaires_accueil": "Mo-Fr 08:00-16:00",
    "reseaux_porteurs": ["cmp"],
    "latitude": -12.78, "longitude": 45.2,
}
SERVICE: dict[str, Any] = {
    "source": "pare", "id": "pare--s1", "structure_id": "pare--1", "nom": "Écoute des jeunes",
    "description": "Écoute et orientation", "date_maj": "2025-01-15", "type": "accompagnement",
    "thematiques": ["sante--sante-mentale"], "publics": ["jeunes"], "modes_accueil": ["en-presentiel"],
    "zone_eligibilite": ["976", "france", "97611"], "frais": "gratuit", "mobilisable_par": ["usagers"],
    "modes_mobilisation": ["telephoner"], "volume_horaire_hebdomadaire": 3, "nombre_semaines": 4,
    "lien_mobilisation": "http://a-b.example.fr/x_y/z.html",
}
TOMORROW = (date.today() + timedelta(days=1)).isoformat()
#: values each field may be given: right and wrong types, lengths at and past the limits, odd codes
ODD: list[Any] = [
    None, "", "ab", "abc", "abcde", "a" * 150, "a" * 151, "a" * 10000, "a" * 10001, 0, 1, -1, 1.5, True,
    float("nan"), float("inf"), 10**20, 2**53, [], ["x"], {}, {"a": 1}, "75001", "7500", "750011", "2A004",
    "٣٤٥٦٧", "75 01", "75001\n", "12345678901234", "1234567890123", "123456789", "99100", "976", "2A",
    "france", "France", "2025-01-15", "1999-12-31", "2000-01-01", "2025-02-30", "2025-1-15", "15/01/2025",
    "2025-01-15T10:00:00", TOMORROW, "https://example.org", "http://example.org/a/b", "https://EXAMPLE.org",
    "https://example", "https://ex ample.org", "https://example.org:8080", "https://-x.example.org",
    "https://x-.fr", "ftp://example.org", "https://xn--bcher-kva.example", "https://example.123",
    "https://a.b.c.d.e.f.g.h.i.fr", "javascript:alert(1)", "contact@example.org", "pas un courriel", "cmp",
    "jeunes", "tous-publics", ["tous-publics"], ["tous-publics", "jeunes"], ["jeunes", "jeunes"],
    ["jeunes", "inconnu"], ["sante--sante-mentale"], ["en-presentiel", "a-distance"], ["usagers"],
    ["professionnels"], ["976", "france"], ["976", 976], ["france", "FRANCE"], ["1234567890"], "gratuit",
    "payant", "accompagnement", ["telephoner"], [None], ("jeunes",), {"jeunes"},
]


def _model_accepts(item: dict[str, Any], service: bool) -> bool:
    try:
        (v1.Service if service else v1.Structure).model_validate(item)
    except pydantic.ValidationError:
        return False
    return True


def test_checks_cover_the_models_fields() -> None:
    assert set(di_fast.STRUCTURE) == set(v1.Structure.model_fields)
    assert set(di_fast.SERVICE) == set(v1.Service.model_fields)
    assert surely_valid(STRUCTURE, service=False) and surely_valid(SERVICE, service=True)


@pytest.mark.parametrize("service", [False, True])
def test_never_vouches_for_what_the_model_refuses(service: bool) -> None:
    base = SERVICE if service else STRUCTURE
    fields = list((v1.Service if service else v1.Structure).model_fields)
    vouched = 0
    for name in fields:
        for value in ODD:
            item = dict(base, **{name: value})
            if surely_valid(item, service=service):
                vouched += 1
                assert _model_accepts(item, service), (name, value)
        item = {k: v for k, v in base.items() if k != name}
        if surely_valid(item, service=service):
            assert _model_accepts(item, service), ("absent", name)
    rng = random.Random(14)
    for _ in range(3000):  # several odd fields at once
        item = dict(base)
        for name in rng.sample(fields, 3):
            item[name] = rng.choice(ODD)
        if surely_valid(item, service=service):
            vouched += 1
            assert _model_accepts(item, service), item
    assert vouched > 100  # the check did vouch, often


def test_same_problems_as_the_model_on_a_varied_file(tmp_path: Path) -> None:
    path = tmp_path / "di.jsonl"
    write_varied(path, 1500)
    vouched = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        service = "structure_id" in item
        if surely_valid(item, service=service, skip=frozenset({"courriel"})):
            vouched += 1
            assert _model_accepts(dict(item, courriel=None), service), item
        assert schema_problems(item, service=service, v0=False) == _problems_of_the_model(item, service)
    assert vouched > 2000


def _problems_of_the_model(item: dict[str, Any], service: bool) -> list[tuple[str, str]]:
    checks = di_fast._PLANS
    try:
        di_fast._PLANS = {k: (c, r, False) for k, (c, r, _) in checks.items()}  # the check turned off
        return schema_problems(item, service=service, v0=False)
    finally:
        di_fast._PLANS = checks


def _every_check(item: dict[str, Any], service: bool, skip: frozenset[str]) -> bool:
    """surely_valid without its plans by shape: every check run on every value, every time."""
    checks, required, usable = di_fast._PLANS[service]
    if not usable:
        return False
    if any(item.get(name) is None and name not in skip for name in required):
        return False
    return all(checks[name](value) or name in skip for name, value in item.items() if name in checks)


SKIPS = [frozenset(), frozenset({"courriel"}),
         frozenset({"thematiques", "publics", "zone_eligibilite", "type"})]


@pytest.mark.parametrize("service", [False, True])
def test_plans_by_shape_give_the_verdicts_of_every_check(service: bool) -> None:
    base = SERVICE if service else STRUCTURE
    fields = list((v1.Service if service else v1.Structure).model_fields)
    rng = random.Random(15)
    items = [dict(base, **{name: value}) for name in fields for value in ODD]
    items += [{k: v for k, v in base.items() if k != name} for name in fields]
    for _ in range(3000):
        item = dict(base)
        for name in rng.sample(fields, 3):
            item[name] = rng.choice(ODD)
        if rng.random() < 0.3:  # keys in another order, a key the model does not know
            keys = list(item)
            rng.shuffle(keys)
            item = {k: item[k] for k in keys} | ({"inconnu": rng.choice(ODD)} if rng.random() < 0.5 else {})
        items.append(item)
    for item in items:
        for skip in SKIPS:
            assert surely_valid(item, service=service, skip=skip) == _every_check(item, service, skip), item


def test_a_check_said_to_accept_a_type_accepts_its_every_value() -> None:
    values = [*ODD, "", "x" * 20000, -0.0, float("-inf"), 2**70, -(2**70), False, [1], [[]], {"x": []}]
    for check, types in di_fast._ACCEPTS.items():
        for value in values:
            if type(value) in types:
                assert check(value), (check, value)


def test_remembered_verdicts_are_those_of_the_check() -> None:
    lists = list(ODD)  # lists, and the rest handed to the check as they are
    lists += [["jeunes", "familles"], ["familles", "jeunes"], ["tous-publics", "tous-publics"], ["75", "2A"],
              [1], [True], [1.0], ["1"], [["jeunes"]], [{"a": 1}], [None], ["a-distance"], ["cmp", "cmp"]]
    remembered = [c for c in {**di_fast.STRUCTURE, **di_fast.SERVICE}.values() if hasattr(c, "__wrapped__")]
    assert len(remembered) == 7
    for check in remembered:
        for _ in range(2):  # read, then remembered
            for value in lists:
                assert check(value) == check.__wrapped__(value), (check.__wrapped__, value)


def test_what_a_check_amounts_to_for_a_text_gives_its_verdict() -> None:
    texts = [v for v in ODD if isinstance(v, str)] + ["2A004", "https://a-b.example.fr/x_y/z.html", "75 001"]
    assert len(di_fast._ON_TEXT) == 7  # three patterns, two lists of values, the date, the web address
    for check, on_text in di_fast._ON_TEXT.items():
        for text in texts:
            assert bool(on_text(text)) == check(text), (check, text)
