"""The Windows build ships numpy 1.26 (wine 8 cannot run numpy 2): code paths that numpy 2 serves natively."""

from __future__ import annotations

import numpy as np
import pytest

from pare_desktop.core.search import index


def test_row_popcounts_without_bitwise_count_give_numpy_2_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(7)
    words = rng.integers(0, 2**64 - 1, size=(5, 9), dtype=np.uint64, endpoint=True)
    words[0] = 0
    words[1] = np.iinfo(np.uint64).max
    expected = [sum(bin(int(x)).count("1") for x in row) for row in words]
    assert index.row_popcounts(words).tolist() == expected
    assert index.row_popcounts(words[:, ::2]).tolist() == [  # a strided view, as a slice would give
        sum(bin(int(x)).count("1") for x in row) for row in words[:, ::2]]
    monkeypatch.delattr(np, "bitwise_count", raising=False)  # numpy 1.26
    assert index.row_popcounts(words).tolist() == expected
    assert index.row_popcounts(words[:, ::2]).tolist() == [
        sum(bin(int(x)).count("1") for x in row) for row in words[:, ::2]]
