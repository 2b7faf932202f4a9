"""The field's acronyms and synonyms (resources/referentials/synonymes.txt): what a query word also means."""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from pare_desktop.core.text import tokens

log = logging.getLogger("pare.search")
FILE = ("referentials", "synonymes.txt")
#: small words an equivalent does not require (they match almost every record)
STOP_WORDS = frozenset(
    ["a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "pour", "sur", "un", "une"]
)


def parse(text: str) -> dict[str, tuple[tuple[str, ...], ...]]:
    """`TERM = equivalent ; equivalent` lines -> folded term -> equivalents as folded word tuples."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        term, _, rest = line.partition("=")
        key = tokens(term)
        if len(key) != 1:
            log.warning("synonymes.txt: ignored line %r (the term must be one word)", line[:80])
            continue
        for alternative in rest.split(";"):
            words = tuple(w for w in tokens(alternative) if w not in STOP_WORDS)
            if words and words not in out.setdefault(key[0], []):
                out[key[0]].append(words)
    return {k: tuple(v) for k, v in out.items()}


@functools.cache
def table() -> dict[str, tuple[tuple[str, ...], ...]]:
    """The shipped list (read once)."""
    from pare_desktop.paths import resource_path

    path: Path = resource_path(*FILE)
    try:
        return parse(path.read_text(encoding="utf-8"))
    except OSError as exc:
        log.warning("synonym list unreadable (%s): searching without it", exc)
        return {}


def equivalents(word: str) -> tuple[tuple[str, ...], ...]:
    """What a folded query word also stands for (empty when it is not in the list)."""
    return table().get(word, ())


def near_keys(word: str) -> list[str]:
    """Terms of the list within the edit budget of a (mistyped) word: « psycologue » -> « psychologue »."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    from .fuzzy import max_edits

    k = max_edits(word)
    if not k:
        return []
    hits = process.extract(word, list(table()), scorer=OSA.distance, score_cutoff=k, limit=None)
    return [key for key, _score, _i in hits]
