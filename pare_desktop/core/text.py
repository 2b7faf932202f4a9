"""The one accent- and case-insensitive text folding of the app, and its tokenising (search, territories,
importers, exports all use these)."""

from __future__ import annotations

import re
import unicodedata

# The Unicode combining-mark blocks (diacritics for Latin, Greek, Cyrillic and symbols).
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# Apostrophes, dashes and similar separators become spaces.
_SEPARATORS = re.compile(r"[\s'’‘`´ʼ\-‐‑‒–—―_]+")
_WORD = re.compile(r"[^\W_]+")


def fold_letters(text: str) -> str:
    """Lowercase, accents and ligatures removed, nothing else touched: "Œuvre Réunion" -> "oeuvre reunion".

    Fast on long texts (one regex pass; ASCII returns at once): the search index folds whole corpora.
    """
    s = text.lower()
    if s.isascii():
        return s
    s = _COMBINING.sub("", unicodedata.normalize("NFKD", s))
    return s.replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")


def fold(text: str) -> str:
    """fold_letters, with apostrophes and dashes as single spaces, trimmed: for comparing names."""
    return _SEPARATORS.sub(" ", fold_letters(text)).strip()


def tokens(text: str) -> list[str]:
    """The folded words of a text: its runs of letters and digits."""
    return _WORD.findall(fold_letters(text))


#: Longest piece of user input a message echoes (issue 12: an error once quoted 8.9 MB of a file).
ECHO_LIMIT = 100


def shorten(text: str, limit: int = ECHO_LIMIT) -> str:
    """The text as a message may echo it: at most `limit` characters, then « … »."""
    return text if len(text) <= limit else text[:limit].rstrip() + "…"
