"""The search index's postings (core/search/build.Postings) against the plainest inversion there is: a set
of rows per word. Texts with heads, more columns and shared columns, fed in chunks, rows in any final
order, and past 65 536 distinct words (the radix sorts then take two passes)."""

from __future__ import annotations

import gc
import weakref

import numpy as np
import pytest

from pare_desktop.core.search.build import Postings, _stable_order
from pare_desktop.core.text import tokens


def _plain(texts: list[str], row_of: np.ndarray) -> dict[str, list[int]]:
    rows: dict[str, set[int]] = {}
    for i, text in enumerate(texts):
        for word in tokens(text):
            rows.setdefault(word, set()).add(int(row_of[i]))
    return {word: sorted(r) for word, r in rows.items()}


def _as_dict(terms: list[str], ptr: np.ndarray, rows: np.ndarray) -> dict[str, list[int]]:
    assert ptr.dtype == np.int64 and rows.dtype == np.int32 and len(ptr) == len(terms) + 1
    assert terms == sorted(terms)
    return {t: rows[ptr[k] : ptr[k + 1]].tolist() for k, t in enumerate(terms)}


@pytest.mark.parametrize("words", [300, 200_000])
def test_postings_are_the_rows_of_each_word(words: int) -> None:
    rng = np.random.default_rng(words)
    vocab = [f"mot{k}" for k in range(words)] + ["Écoute", "ÉCOLE", "cœur", "l’été", "ΣΟΦΙΑΣ"]
    n = 3000

    def text(size: int) -> str:
        return " ".join(vocab[int(k)] for k in rng.integers(0, len(vocab), size))

    heads = [text(4) for _ in range(n)]
    own = [text(int(rng.integers(0, 80))) for _ in range(n)]
    more = [text(3) for _ in range(n)]
    places = ["Pyrénées-Orientales", "Paris", "", "Hautes-Alpes mot1"]
    shared = [places[int(k)] for k in rng.integers(0, len(places), n)]
    row_of = rng.permutation(n)
    postings = Postings()
    for start in range(0, n, 700):
        part = slice(start, start + 700)
        postings.add(own[part], [shared[part]], heads=heads[part], more=[more[part]])
    whole = [" ".join(t) for t in zip(heads, own, more, shared, strict=True)]
    assert _as_dict(*postings.finish_heads(row_of)) == _plain(heads, row_of)
    expected = _plain(whole, row_of)
    assert _as_dict(*postings.finish(row_of)) == expected
    assert words < 1000 or len(expected) > 1 << 16


def test_postings_in_arrival_order_and_empty() -> None:
    postings = Postings()
    postings.add(["b a b", "", "a c"])
    postings.add([])
    postings.add(["c"])
    assert _as_dict(*postings.finish()) == {"a": [0, 2], "b": [0], "c": [2, 3]}
    terms, ptr, rows = Postings().finish()
    assert terms == [] and ptr.tolist() == [0] and len(rows) == 0


@pytest.mark.parametrize("bound", [1, 200, 1 << 16, (1 << 16) + 1, 1 << 20, (1 << 31) - 1])
def test_stable_order_is_a_stable_argsort(bound: int) -> None:
    values = np.random.default_rng(bound).integers(0, bound, 5000).astype(np.int32)
    assert _stable_order(values, bound).tolist() == np.argsort(values, kind="stable").tolist()


def test_a_build_is_freed_without_the_garbage_collector() -> None:
    """The collector is off while an import runs: a finished build must go as soon as it is dropped
    (a cycle kept its tokens, words and table until the next collection: megabytes at 100k records)."""
    from benchmarks.synth import synthetic_structures, territory_names
    from pare_desktop.core.search.build import IndexBuilder

    records = synthetic_structures(300, seed=4)
    gc.disable()
    try:
        builder = IndexBuilder(territory_names())
        builder.add(records)
        builder.arrays()
        postings = weakref.ref(builder._all_postings)
        tokens = weakref.ref(builder._all_postings._tokens)
        del builder
        assert postings() is None and tokens() is None
    finally:
        gc.enable()
