"""Free category values (uMap layer names, « type » columns) matched to structure and support types."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping

from pare_desktop.core import vocabulary
from pare_desktop.core.importers.fields import header_key
from pare_desktop.paths import resource_path

#: The structure type of a record whose file says nothing we recognise (never a refusal).
UNCLASSIFIED = vocabulary.UNCLASSIFIED_TYPE


@functools.cache
def synonyms() -> dict[str, dict[str, tuple[str, ...]]]:
    """kind ("type", "support") -> slug -> synonyms, from resources/vocabulary/synonyms.json."""
    raw = json.loads(resource_path("vocabulary", "synonyms.json").read_text(encoding="utf-8"))
    return {kind: {slug: tuple(words) for slug, words in table.items()}
            for kind, table in raw.items() if not kind.startswith("_")}


#: Single words too common to classify a longer value by themselves: « Association de quartier » is not
#: an « association spécialisée », « Point accueil écoute jeunes » is not a national listening line. As a
#: whole value they still match (a uMap layer named « Écoute »).
GENERIC_WORDS = frozenset(header_key(w) for w in (
    "écoute", "association", "associations", "enfance", "département", "accueil", "jeunes", "jeunesse",
    "santé", "prévention", "famille", "familles", "point", "maison", "centre", "service", "services", "aide",
    "information", "soutien", "urgence", "urgences", "secours", "enfants", "ligne", "lignes", "numéro",
    "coordination", "réseau", "victimes", "droit", "psy", "ado",
))


@functools.cache
def _forms(kind: str) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """(exact form -> slug, [(form, slug)] longest first, the forms that may be found inside a longer
    value): slugs, labels, short labels and synonyms match a whole value; inside a longer one, only forms
    of several words and single-word synonyms that are not GENERIC_WORDS (acronyms, « gendarmerie »...)."""
    exact: dict[str, str] = {}
    inside: dict[str, str] = {}
    for term in vocabulary.terms(kind):
        if kind == "type" and term.slug == UNCLASSIFIED:
            continue
        for form in (term.slug, term.label, term.short_label):
            key = header_key(form)
            exact.setdefault(key, term.slug)
            if " " in key:
                inside.setdefault(key, term.slug)
    for slug, words in synonyms().get(kind, {}).items():
        for word in words:
            key = header_key(word)
            exact.setdefault(key, slug)
            if " " in key or key not in GENERIC_WORDS:
                inside.setdefault(key, slug)
    ordered = sorted(((form, slug) for form, slug in inside.items() if form), key=lambda fs: -len(fs[0]))
    return exact, ordered


@functools.lru_cache(maxsize=65536)
def classify(kind: str, value: str) -> str | None:
    """The slug a free value names: equal to a slug, label, short label or synonym, or containing one as
    whole words (the longest wins; see _forms for which); accents, case and punctuation ignored. None when
    nothing matches."""
    key = header_key(value)
    if not key:
        return None
    exact, ordered = _forms(kind)
    if key in exact:
        return exact[key]
    padded = f" {key} "
    for form, slug in ordered:
        if f" {form} " in padded:
            return slug
    return None


def classify_list(kind: str, cell: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(slugs, values matching nothing) of a cell holding several values separated by | ; , or /."""
    found: list[str] = []
    unknown: list[str] = []
    for piece in re.split(r"[|;\n]", cell):
        piece = piece.strip()
        if not piece:
            continue
        # a label holding commas (« Écoute, information, orientation ») is one value; else split
        whole = _forms(kind)[0].get(header_key(piece))
        parts = [piece] if whole else [p.strip() for p in re.split(r"[,/]", piece) if p.strip()]
        for part in parts:
            slug = classify(kind, part)
            if slug is None:
                unknown.append(part)
            elif slug not in found:
                found.append(slug)
    return tuple(found), tuple(unknown)


def fold_types(types: Mapping[str, str] | None) -> dict[str, str]:
    """A caller's value -> structure type mapping keyed by folded value (« ÉCOUTE » is « écoute »);
    types that do not exist are left out (the value is then matched as usual)."""
    if not types:
        return {}
    known = set(vocabulary.slugs("type"))
    return {header_key(value): slug for value, slug in types.items() if slug in known}
