"""Typo tolerance: the vocabulary prefixes within a few edits of a query word (rapidfuzz, OSA distance)."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence


def max_edits(word: str) -> int:
    """The edit budget of a query word: one from 4 letters, two from 8; none for short words or numbers."""
    if len(word) < 4 or not word.isalpha():
        return 0
    return 2 if len(word) >= 8 else 1


class Vocabulary:
    """A sorted term list seen through its prefixes of each length, for as-you-type typo tolerance.

    A word being typed is compared with the terms cut to its length (give or take the edit budget), so
    « psycolo » finds « psychologue » and « mayote » finds « mayotte ». OSA counts a swap of two
    neighbouring letters as one edit (« ecuote » → « ecoute »). The first letter is taken as typed (as
    search engines usually do): only the terms starting with it are compared, a twentieth of the vocabulary.
    """

    def __init__(self, terms: Sequence[str]) -> None:
        self._terms = terms
        self._prefix_sets: dict[tuple[str, int], list[str]] = {}

    def _prefixes(self, first: str, n: int) -> list[str]:
        """The distinct n-letter prefixes (or shorter whole terms) of the terms starting with `first`."""
        found = self._prefix_sets.get((first, n))
        if found is None:
            lo = bisect_left(self._terms, first)
            hi = bisect_left(self._terms, first + "\U0010ffff", lo)
            # sorted terms give sorted prefixes: dict.fromkeys drops the repeats and keeps the order
            found = self._prefix_sets[(first, n)] = list(dict.fromkeys(t[:n] for t in self._terms[lo:hi]))
        return found

    def near(self, word: str) -> list[str]:
        """Distinct prefixes (or whole shorter terms) within max_edits(word) of `word`, sorted."""
        from rapidfuzz import process  # imported at the first typo: commands that never meet one skip it
        from rapidfuzz.distance import OSA

        k = max_edits(word)
        if not k:
            return []
        found: set[str] = set()
        for n in range(max(1, len(word) - k), len(word) + k + 1):
            choices = self._prefixes(word[0], n)
            hits = process.extract(word, choices, scorer=OSA.distance, score_cutoff=k, limit=None)
            found.update(choice for choice, _score, _k in hits)
        return sorted(found)
