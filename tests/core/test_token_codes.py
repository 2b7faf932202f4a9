"""The index build's token coding (core/search/token_codes.py): the codes numpy finds for a chunk's bytes
are exactly those of its tokens (data.split()), whatever their length, whatever their hashes collide."""

from __future__ import annotations

import numpy as np
import pytest

from pare_desktop.core.search import token_codes
from pare_desktop.core.search.token_codes import TokenCodes


def _tokens_back(codes: TokenCodes, found: np.ndarray) -> list[bytes]:
    token_of = {code: token for token, code in codes.code.items()}
    return [token_of[int(c)] for c in found]


def _check(codes: TokenCodes, data: bytes) -> None:
    found = codes.of_bytes(data)
    assert found.dtype == np.int64
    assert _tokens_back(codes, found) == data.split()
    assert found.tolist() == codes.of_tokens(data.split()).tolist()


_AWKWARD = [
    b"a", b"ab", b"abcdefg", b"abcdefgh", b"abcdefghi", b"abcdefghijklmno", b"abcdefghijklmnop",
    b"abcdefghijklmnopq", b"abcdefghijklmnopqr" * 3, b"abcdefghijklmnopz", b"\x1d",
    "d\u00e9partemental".encode(), "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9".encode(),
    "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9".encode(), "\U0001f600".encode(),
    b"\xff\xfe", b"0", b"00000000", b"000000000000000000",
]


def test_every_length_and_byte_coded_as_split_gives_it() -> None:
    codes = TokenCodes(b"\x1d")
    data = b"  ".join(_AWKWARD) + b" " + b" ".join(reversed(_AWKWARD)) + b"   "
    _check(codes, data)
    _check(codes, b" ".join(_AWKWARD[::2]) + b" new words " + b" ".join(_AWKWARD[1::2]))
    _check(codes, b"")
    _check(codes, b"    ")
    assert codes.code[b"\x1d"] == 0


def test_tokens_listed_once_in_order_of_codes() -> None:
    codes = TokenCodes(b"\x1d")
    codes.of_bytes(b"b a b \x1d c a")
    codes.of_tokens([b"d", b"a", b"e" * 20])
    codes.of_bytes(b"e d " + b"e" * 20 + b" f")
    assert codes.tokens[0] == b"\x1d"
    assert sorted(codes.tokens[1:]) == sorted({b"a", b"b", b"c", b"d", b"e" * 20, b"e", b"f"})
    assert [codes.code[t] for t in codes.tokens] == list(range(len(codes.tokens)))


@pytest.mark.parametrize("distinct", [1, 3])
def test_colliding_hashes_still_exact(monkeypatch: pytest.MonkeyPatch, distinct: int) -> None:
    """Every token on one hash (or three): the table's slots and the rounds of new tokens still hold
    each token apart."""

    def collide(w0: np.ndarray, w1: np.ndarray) -> np.ndarray:
        return ((w0 % np.uint64(distinct)) << np.uint64(60)).astype(np.uint64)

    monkeypatch.setattr(token_codes, "_hash", collide)
    codes = TokenCodes(b"\x1d")
    words = [f"w{i}".encode() for i in range(300)] + _AWKWARD
    _check(codes, b" ".join(words))
    _check(codes, b" ".join(reversed(words)) + b" more and more")


def test_table_grows_with_many_tokens() -> None:
    codes = TokenCodes(b"\x1d")
    rng = np.random.default_rng(5)
    for _ in range(4):
        words = [f"mot{int(i)}".encode() for i in rng.integers(0, 30_000, 20_000)]
        _check(codes, b" \x1d ".join(words))
    assert len(codes.code) > 20_000


def test_a_zero_byte_is_refused() -> None:
    """Tokens are told apart by their zero-padded bytes: build._TO_TOKENS makes every 0 byte a space."""
    with pytest.raises(ValueError):
        TokenCodes(b"\x1d").of_bytes(b"a \x00 b")
