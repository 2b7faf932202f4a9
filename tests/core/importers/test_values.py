"""Cell values: clean() keeps the meaning of the per-character reference on any text."""

from __future__ import annotations

import random
import re
import unicodedata

import pytest

from pare_desktop.core.importers.values import clean

_INVISIBLE = frozenset(
    [chr(c) for c in range(0x200B, 0x2010)] + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2060, 0x2065)] + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\ufeff", "\u061c", "\u180e"])


def _reference(value: object, *, multiline: bool = False) -> str:
    """The original definition: NFC, CR/CRLF as LF, Cc and invisible characters (bidi controls,
    zero-width) dropped (tab/LF kept or spaced), spaces folded."""
    text = unicodedata.normalize("NFC", "" if value is None else str(value))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out = []
    for ch in text:
        if ch in _INVISIBLE:
            out.append("")
        elif unicodedata.category(ch) == "Cc" and not (multiline and ch in ("\n", "\t")):
            out.append(" " if ch in "\n\t" else "")
        else:
            out.append(ch)
    text = "".join(out)
    if not multiline:
        text = re.sub(r"\s+", " ", text)
    return text.strip()


_ALPHABET = ([chr(c) for c in range(0x00, 0x21)] + [chr(c) for c in range(0x7F, 0xA1)]
             + list("aé e\u0301Ç'’;|")
             + ["\u2028", "\u2029", "\u3000", "\u202f", "\u200b", "\ufeff", "œ", "🙂", "\u202e", "\u2067",
                "\u200d", "\u061c"])


@pytest.mark.parametrize("multiline", [False, True])
def test_clean_matches_the_reference(multiline: bool) -> None:
    rng = random.Random(3)
    for _ in range(5000):
        text = "".join(rng.choice(_ALPHABET) for _ in range(rng.randrange(0, 12)))
        assert clean(text, multiline=multiline) == _reference(text, multiline=multiline), repr(text)


@pytest.mark.parametrize(("value", "multiline", "expected"), [
    (None, False, ""), (12, False, "12"), ("  Maison\r\ndes\tados  ", False, "Maison des ados"),
    ("Ligne 1\r\nLigne 2\rLigne 3\x07", True, "Ligne 1\nLigne 2\nLigne 3"),
    ("e\u0301cole", False, "\u00e9cole"),
    ("a\x00b\x1fc", False, "abc"), ("\tretrait\n", True, "retrait"),
])
def test_clean_examples(value: object, multiline: bool, expected: str) -> None:
    assert clean(value, multiline=multiline) == expected
