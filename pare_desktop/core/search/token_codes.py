"""Token -> code for the search index build: the tokens of a chunk's bytes found and looked up with numpy,
no bytes object made per token — exactly: a token of up to 16 bytes by its bytes themselves (two 64-bit
words in an open-addressing table), a longer one through a dict."""

from __future__ import annotations

from itertools import repeat
from typing import Any

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[Any]
SPACE = 0x20  # the one byte between tokens (build._TO_TOKENS makes every other separator a space)
_SHORT = 16  # bytes of a token kept whole in the table's two words
_PAD = bytes(_SHORT)
_MASKS = np.array([(1 << (8 * k)) - 1 for k in range(9)], dtype=np.uint64)  # the k low bytes of a word
_K0, _K1 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F)  # odd: multiplicative hashing
_FIRST_BITS = 12


class TokenCodes:
    """Tokens (bytes) -> codes 0, 1, 2... in order of first sight, `known` first; `tokens[k]`: the token
    of code k (its owner reads the new ones there: no reference back to it, no cycle that only the
    garbage collector, off while an import runs, would free)."""

    def __init__(self, *known: bytes) -> None:
        self.code: dict[bytes, int] = {token: k for k, token in enumerate(known)}
        self.tokens: list[bytes] = list(self.code)
        self._bits = _FIRST_BITS
        # the table: a slot holds a short token's two words (zero-padded: no token holds a 0 byte, see
        # of_bytes, so two tokens never share their words) and its code, -1 when empty
        self._k0 = np.zeros(1 << self._bits, dtype=np.uint64)
        self._k1 = np.zeros(1 << self._bits, dtype=np.uint64)
        self._val = np.full(1 << self._bits, -1, dtype=np.int64)
        self._used = 0

    def code_of(self, token: bytes) -> int:
        """The code of a token, coded now if new."""
        code = self.code.get(token)
        if code is None:
            code = self.code[token] = len(self.tokens)
            self.tokens.append(token)
        return code

    def of_tokens(self, raw: list[bytes]) -> Array:
        """The codes of tokens, new tokens coded."""
        code_of = self.code
        codes = np.fromiter(map(code_of.get, raw, repeat(-1)), dtype=np.int64, count=len(raw))
        unseen = np.flatnonzero(codes < 0)
        if len(unseen):
            new = [raw[i] for i in unseen.tolist()]
            for token in set(new).difference(code_of):
                self.code_of(token)
            codes[unseen] = np.fromiter(map(code_of.__getitem__, new), dtype=np.int64, count=len(new))
        return codes

    def of_bytes(self, data: bytes) -> Array:
        """The codes of the tokens of `data` — its runs of bytes other than SPACE, as data.split() gives
        them when SPACE is its only whitespace byte — new tokens coded. `data` holds no 0 byte."""
        buf = np.frombuffer(data, dtype=np.uint8)
        if not buf.all():
            raise ValueError("a 0 byte in the tokens' bytes")
        inside = np.zeros(len(buf) + 2, dtype=bool)
        np.not_equal(buf, SPACE, out=inside[1:-1])
        bounds = np.flatnonzero(inside[1:] != inside[:-1])  # token starts and ends, alternating
        starts, ends = bounds[0::2], bounds[1::2]
        del inside, bounds
        lengths = ends - starts
        # the 8 bytes from every offset of the data, little-endian (unaligned reads; 16 zeros after it)
        words = np.ndarray((len(buf) + 9,), dtype="<u8", buffer=data + _PAD, strides=(1,))
        w0 = words[starts] & _MASKS[np.minimum(lengths, 8)]
        w1 = words[starts + 8] & _MASKS[np.clip(lengths - 8, 0, 8)]
        del words
        codes = np.empty(len(starts), dtype=np.int64)
        long = np.flatnonzero(lengths > _SHORT)
        if len(long):  # a long token's words are its first 16 bytes only: not looked up in the table
            pieces = zip(starts[long].tolist(), ends[long].tolist(), strict=True)
            codes[long] = [self.code_of(data[s:e]) for s, e in pieces]
            short = np.flatnonzero(lengths <= _SHORT)
            starts, ends, w0, w1 = starts[short], ends[short], w0[short], w1[short]
        hashes = _hash(w0, w1)
        found = self._find(w0, w1, hashes)
        miss = np.flatnonzero(found < 0)
        while len(miss):  # new to the table: one of each distinct hash coded and added, then looked up
            first = miss[np.unique(hashes[miss], return_index=True)[1]]
            self._reserve(len(first))
            pieces = zip(starts[first].tolist(), ends[first].tolist(), strict=True)
            new = np.array([self.code_of(data[s:e]) for s, e in pieces], dtype=np.int64)
            self._insert(w0[first], w1[first], hashes[first], new)
            found[miss] = self._find(w0[miss], w1[miss], hashes[miss])
            miss = miss[found[miss] < 0]  # distinct tokens of one hash: the others, next round
        if len(long):
            codes[short] = found
            return codes
        return found

    def _find(self, w0: Array, w1: Array, hashes: Array) -> Array:
        """The codes of short tokens by their words, -1 for those not in the table (linear probing)."""
        mask = (1 << self._bits) - 1
        slot = (hashes >> np.uint64(64 - self._bits)).astype(np.int64)
        val = self._val[slot]
        hit = (self._k0[slot] == w0) & (self._k1[slot] == w1)
        found = np.where(hit, val, -1)
        hit |= val < 0  # an empty slot: not in the table
        at = np.flatnonzero(~hit)  # another token's slot: the next one
        slot = (slot[at] + 1) & mask
        while len(at):
            val = self._val[slot]
            hit = (self._k0[slot] == w0[at]) & (self._k1[slot] == w1[at])
            found[at[hit]] = val[hit]
            on = ~hit & (val >= 0)
            at, slot = at[on], (slot[on] + 1) & mask
        return found

    def _reserve(self, more: int) -> None:
        """Room for `more` tokens with the table at most a quarter full (else it grows, every token put
        back): most tokens are then found in their first slot."""
        if 4 * (self._used + more) <= len(self._val):
            return
        held = np.flatnonzero(self._val >= 0)
        k0, k1, val = self._k0[held], self._k1[held], self._val[held]
        while 4 * (self._used + more) > 1 << self._bits:
            self._bits += 1
        self._k0 = np.zeros(1 << self._bits, dtype=np.uint64)
        self._k1 = np.zeros(1 << self._bits, dtype=np.uint64)
        self._val = np.full(1 << self._bits, -1, dtype=np.int64)
        self._used = 0
        self._insert(k0, k1, _hash(k0, k1), val)

    def _insert(self, k0: Array, k1: Array, hashes: Array, codes: Array) -> None:
        """Put distinct tokens not in the table in it, all at once: each takes the first free slot from
        its own on (linear probing), the first of those that want the same slot taking it."""
        mask = (1 << self._bits) - 1
        slot = (hashes >> np.uint64(64 - self._bits)).astype(np.int64)
        at = np.arange(len(codes))
        while len(at):
            free = self._val[slot] < 0
            wanted, first = np.unique(slot[free], return_index=True)
            put = np.flatnonzero(free)[first]  # the tokens that take a slot
            took = at[put]
            self._k0[wanted], self._k1[wanted], self._val[wanted] = k0[took], k1[took], codes[took]
            left = np.ones(len(at), dtype=bool)
            left[put] = False
            at, slot = at[left], (slot[left] + 1) & mask  # the slot was taken: the next one
        self._used += len(codes)


def _hash(w0: Array, w1: Array) -> Array:
    """64-bit hashes of tokens' words (their high bits pick the slot)."""
    h = w0 * _K0
    h ^= w1 * _K1
    h ^= h >> np.uint64(29)
    h *= _K0
    return h
