"""Typo tolerance: the vocabulary prefixes within a few edits of a query word (rapidfuzz, OSA distance)."""

from __future__ import annotations

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
    neighbouring letters as one edit (« ecuote » → « ecoute »).
    """

    def __init__(self, terms: Sequence[str]) -> None:
        self._terms = terms
        self._by_length: dict[int, list[str]] = {}

    def _prefixes(self, n: int) -> list[str]:
        found = self._by_length.get(n)
        if found is None:
            found = self._by_length[n] = sorted({t[:n] for t in self._terms})
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
            hits = process.extract(word, self._prefixes(n), scorer=OSA.distance, score_cutoff=k, limit=None)
            found.update(choice for choice, _score, _k in hits)
        return sorted(found)
