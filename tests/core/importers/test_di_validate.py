"""data·inclusion schema checks: the plain e-mail shortcut never accepts what the schema would refuse."""

from __future__ import annotations

import random
from typing import Any

import pydantic_core
import pytest
from pydantic.networks import validate_email

from pare_desktop.core.importers import di_validate
from pare_desktop.core.importers.di_validate import plain_email, schema_problems


def _schema_accepts(address: str) -> bool:
    try:
        validate_email(address)
    except pydantic_core.PydanticCustomError:
        return False
    return True


@pytest.mark.parametrize("address", [
    "contact@example.org", "a.b+c_d-e@sous-domaine.exemple.fr", "-x@ab.cd", "x@" + "a" * 63 + ".fr",
    "a" * 64 + "@exemple.fr", "a@b.co",
])
def test_plain_addresses(address: str) -> None:
    assert plain_email(address) and _schema_accepts(address)


@pytest.mark.parametrize("address", [
    "", "contact", "a..b@exemple.fr", ".a@exemple.fr", "a.@exemple.fr", "a@exemple", "a@-exemple.fr",
    "a@exemple-.fr", "a@ab--cd.fr", "a@xn--bcher-kva.fr", "a@exemple.local", "a@x.localhost", "a@b.test",
    "a@b.arpa", "a@b.onion", "a@b.invalid", "a@b.f", "a@b.123", "a" * 65 + "@exemple.fr",
    "x@" + "a" * 64 + ".fr", "A@EXEMPLE.FR", " a@exemple.fr", "Nom <a@exemple.fr>", "é@exemple.fr", 3,
])
def test_not_plain_addresses(address: object) -> None:
    assert not plain_email(address)


def _segment(rng: random.Random, chars: str, lengths: tuple[int, ...]) -> str:
    return "".join(rng.choice(chars) for _ in range(rng.choice(lengths)))


def test_plain_addresses_are_always_accepted_by_the_schema() -> None:
    rng = random.Random(11)
    seen = 0
    for _ in range(6000):
        odd_local, odd_domain = rng.choice(("", "", ".!#'")), rng.choice(("", "", "A_"))
        local = ".".join(_segment(rng, "abxyZ09_+-" + odd_local, (0, 1, 2, 4, 8, 20, 63, 64, 65))
                         for _ in range(rng.choice((1, 1, 2, 3))))
        labels = [_segment(rng, "abcdefxyz0129-" + odd_domain, (0, 1, 2, 3, 6, 10, 62, 63, 64))
                  for _ in range(rng.choice((1, 1, 2, 4)))]
        tld = rng.choice(("fr", "org", "com", "paris", "fr", "org", "f", "local", "test", "c0m", "xn--p1ai",
                          "localhost", "arpa", ""))
        address = f"{local}@{'.'.join([*labels, tld])}"
        if plain_email(address):
            seen += 1
            assert _schema_accepts(address), address
    assert seen > 250  # enough plain addresses were really checked


def _problems_without_shortcut(item: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
                               service: bool) -> list[tuple[str, str]]:
    with monkeypatch.context() as m:
        m.setattr(di_validate, "plain_email", lambda value: False)
        return schema_problems(item, service=service, v0=False)


@pytest.mark.parametrize("courriel", ["mda@example.org", "pas un courriel", "a@b.local", None, 12])
def test_same_problems_with_the_shortcut(courriel: object, monkeypatch: pytest.MonkeyPatch) -> None:
    structure = {"source": "pare", "id": "s1", "nom": "X", "date_maj": "2025-01-02", "courriel": courriel}
    service = {"source": "pare", "id": "v1", "structure_id": "s1", "nom": "Écoute", "description": "Écoute.",
               "date_maj": "pas une date", "courriel": courriel}
    for item, is_service in ((structure, False), (service, True)):
        expected = _problems_without_shortcut(item, monkeypatch, is_service)
        assert schema_problems(item, service=is_service, v0=False) == expected
        assert ("courriel" in dict(expected)) == (courriel in ("pas un courriel", "a@b.local", 12))


def test_plain_addresses_follow_the_special_use_names(monkeypatch: pytest.MonkeyPatch) -> None:
    import email_validator

    assert not plain_email("a@b.test") and plain_email("a@b.fr")  # the answers are remembered...
    monkeypatch.setattr(email_validator, "SPECIAL_USE_DOMAIN_NAMES",
                        [n for n in email_validator.SPECIAL_USE_DOMAIN_NAMES if n != "test"] + ["fr"])
    assert plain_email("a@b.test") and not plain_email("a@b.fr")  # ...until the names change
    email_validator.SPECIAL_USE_DOMAIN_NAMES.remove("fr")  # in place too
    assert plain_email("a@b.fr")


@pytest.mark.parametrize("courriel", ["pas un courriel", "a@b.local", "a@@b.fr"])
def test_a_bad_address_is_told_in_french(courriel: str) -> None:
    """pydantic words a refused address in English (« value is not a valid email address: … »): the reject
    says it in French, quoting the value."""
    item = {"source": "pare", "id": "s1", "nom": "Maison", "date_maj": "2025-01-02", "courriel": courriel}
    (reason,) = [r for field, r in schema_problems(item, service=False, v0=False) if field == "courriel"]
    assert reason == f"adresse de courriel invalide : « {courriel} »"
