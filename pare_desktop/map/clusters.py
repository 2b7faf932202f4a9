"""The map's cluster grid, precomputed with numpy for the exported page (the same grid as pare-map.js).

Level z has 4·2^z cells per side (64 px cells in Web Mercator); each cell is the union of four cells of
level z+1. A point's cell at the finest level (ZMAX) has a Morton code (the bits of X and Y interleaved),
so with the points sorted by code every cell of every level is one run: the page builds any level in one
pass over that order, and draws only the cells in view. The export carries the order, the codes, and the
coarse levels ready to draw.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

ZMAX = 15  # as in pare-map.js
BITS = ZMAX + 2
#: Levels shipped ready to draw (coarse: a few thousand cells at most); finer ones are built on demand.
SHIPPED_LEVELS = 10

Floats = npt.NDArray[np.float64]
Codes = npt.NDArray[np.uint64]


def world_xy(lat: Floats, lon: Floats) -> tuple[Floats, Floats]:
    """Web Mercator world coordinates in [0, 1) (the page's wx, wy)."""
    top = 0.9999999999
    x = np.clip((lon + 180.0) / 360.0, 0.0, top)
    s = np.sin(np.clip(lat, -85.05, 85.05) * np.pi / 180.0)
    y = np.clip(0.5 - np.log((1 + s) / (1 - s)) / (4 * np.pi), 0.0, top)
    return x, y


def _spread(v: Codes) -> Codes:
    """Bits of v (< 2^32) moved to the even positions of a 64-bit word."""
    v = v & np.uint64(0xFFFFFFFF)
    for shift, mask in (
        (16, 0x0000FFFF0000FFFF),
        (8, 0x00FF00FF00FF00FF),
        (4, 0x0F0F0F0F0F0F0F0F),
        (2, 0x3333333333333333),
        (1, 0x5555555555555555),
    ):
        v = (v | (v << np.uint64(shift))) & np.uint64(mask)
    return v


def morton(cx: Codes, cy: Codes) -> Codes:
    """Interleaved bits: x on the even bits, y on the odd ones (as the page's morton())."""
    return _spread(cx) | (_spread(cy) << np.uint64(1))


def precompute(lat: Floats, lon: Floats, *, shipped: int = SHIPPED_LEVELS) -> dict[str, Any]:
    """The grid for these points, JSON-ready: Morton order, codes in that order, coarse levels."""
    x, y = world_xy(np.asarray(lat, dtype=np.float64), np.asarray(lon, dtype=np.float64))
    span = float(2**BITS)
    cx = np.floor(x * span).astype(np.uint64)
    cy = np.floor(y * span).astype(np.uint64)
    codes = morton(cx, cy)
    order = np.argsort(codes, kind="stable")  # ties by index, as the page sorts code·2^19 + index
    codes, xs, ys, fx, fy = codes[order], x[order], y[order], cx[order], cy[order]
    levels: dict[str, list[list[Any]]] = {}
    if len(order):
        for z in range(min(shipped, ZMAX) + 1):
            shift = ZMAX - z
            prefix = codes >> np.uint64(2 * shift)
            starts = np.flatnonzero(np.r_[True, prefix[1:] != prefix[:-1]])
            k = np.diff(np.r_[starts, len(prefix)])
            levels[str(z)] = [
                prefix[starts].astype(np.float64).tolist(),
                (fx[starts] >> np.uint64(shift)).astype(np.int64).tolist(),
                (fy[starts] >> np.uint64(shift)).astype(np.int64).tolist(),
                starts.tolist(),
                k.tolist(),
                np.add.reduceat(xs, starts).tolist(),
                np.add.reduceat(ys, starts).tolist(),
                np.minimum.reduceat(xs, starts).tolist(),
                np.minimum.reduceat(ys, starts).tolist(),
                np.maximum.reduceat(xs, starts).tolist(),
                np.maximum.reduceat(ys, starts).tolist(),
            ]
    return {
        "zmax": ZMAX,
        "order": order.tolist(),
        "codes": codes.astype(np.int64).tolist(),
        "levels": levels,
        "fields": ["code", "X", "Y", "start", "k", "sx", "sy", "x0", "y0", "x1", "y1"],
    }
