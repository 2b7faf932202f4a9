"""Accent- and case-insensitive text folding and tokenising (search_build keeps a bulk copy, tested equal)."""

from __future__ import annotations

import re
import unicodedata

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
# Apostrophes, dashes and similar separators become spaces.
_SEPARATORS = re.compile(r"[\s'’‘`´ʼ\-‐‑‒–—―_]+")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lowercase ASCII-ish form: no accents, ligatures spelled out, apostrophes and dashes as spaces."""
    text = text.translate(_LIGATURES)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SEPARATORS.sub(" ", stripped.lower()).strip()


def tokens(text: str) -> list[str]:
    """The folded words of a text, split on anything that is not a letter or a digit."""
    return [t for t in _NON_ALNUM.split(fold(text)) if t]


#: Longest piece of user input a message echoes (issue 12: an error once quoted 8.9 MB of a file).
ECHO_LIMIT = 100


def shorten(text: str, limit: int = ECHO_LIMIT) -> str:
    """The text as a message may echo it: at most `limit` characters, then « … »."""
    return text if len(text) <= limit else text[:limit].rstrip() + "…"
