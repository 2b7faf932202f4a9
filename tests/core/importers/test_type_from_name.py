"""type_from_name reads a Latin-1 name byte by byte: the same answer as its text way (lower case, _plain,
words, the longest hint whole), whatever character stands around, inside or instead of a hint's letters."""

from __future__ import annotations

import random

import pytest

from pare_desktop.core.importers import di_tables as t
from pare_desktop.core.importers.datainclusion import _plain, type_from_name


def _by_text(name: str) -> str | None:
    """The text way, as it was written first: every hint tried, the longest first."""
    key = f" {' '.join(_plain(name.lower()).split())} "
    for hint in sorted(t.NAME_HINTS, key=len, reverse=True):
        if f" {hint} " in key:
            return t.NAME_HINTS[hint]
    return None


#: every Latin-1 character, and a few beyond (œ, ’, İ whose lower case is two characters, Σ, a line
#: separator, an ideographic space)
_CHARS = [chr(c) for c in range(256)] + ["œ", "Œ", "’", "İ", "Σ", "\u2028", "\u3000"]


@pytest.mark.parametrize("char", _CHARS, ids=lambda c: f"U+{ord(c):04X}")
def test_any_character_around_or_in_a_hint(char: str) -> None:
    for hint in t.NAME_HINTS:
        for name in (char + hint, hint + char, hint.replace(" ", char), char + hint.upper(),
                     hint.upper().replace(" ", char + " "), f"x{char}{hint}{char}y", hint.replace("e", char),
                     hint.replace("o", char).upper(), f"Centre {char} {hint} nord"):
            assert type_from_name(name) == _by_text(name), repr(name)


def test_names_of_hint_words_and_separators() -> None:
    words = [w for hint in t.NAME_HINTS for w in hint.split()]
    words += [w.upper() for w in words] + ["Hôpital", "COLLÈGE", "lycée", "d'", "l’", "Œuvre", "-", "(", ")"]
    glue = ["", " ", "'", "’", "-", "/", ".", "\xa0", "\x85", "\x1f", "\t"]
    rng = random.Random(14)
    for _ in range(20_000):
        name = "".join(rng.choice(words) + rng.choice(glue) for _ in range(rng.randint(0, 6)))
        assert type_from_name(name) == _by_text(name), repr(name)
    assert type_from_name("Maison des adolescents du Nord") == "sante-ado-psy"
    assert type_from_name("Club de prévention spécialisée") == "prevention-specialisee"
    assert type_from_name("CENTRE HOSPITALIER d’Arles") == "sante-hopital"
    assert type_from_name("Mairie") is None
