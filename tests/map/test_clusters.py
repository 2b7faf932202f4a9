"""The cluster grid: numpy (the export) and the page's JavaScript build the very same cells."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from pare_desktop.map.clusters import ZMAX, precompute
from pare_desktop.paths import resource_path

NODE = shutil.which("node")


def points() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(3)
    lat = np.r_[rng.uniform(41.3, 51.1, 3000), np.full(20, -12.78), rng.uniform(-21.4, -20.8, 200)]
    lon = np.r_[rng.uniform(-5.0, 9.5, 3000), np.full(20, 45.23), rng.uniform(55.2, 55.9, 200)]
    return lat, lon


def test_every_level_nests_in_the_one_above_and_shared_places_stay_one_cell() -> None:
    lat, lon = points()
    n = len(lat)
    grid = precompute(lat, lon, shipped=ZMAX)
    assert sorted(grid["order"]) == list(range(n))
    assert grid["codes"] == sorted(grid["codes"])
    fields = grid["fields"]
    for z in range(ZMAX + 1):
        cols = dict(zip(fields, grid["levels"][str(z)], strict=True))
        assert sum(cols["k"]) == n
        if z:
            parents = {int(c) // 4 for c in cols["code"]}
            assert parents == {int(c) for c in grid["levels"][str(z - 1)][0]}
    finest = dict(zip(fields, grid["levels"][str(ZMAX)], strict=True))
    assert max(finest["k"]) == 20  # the twenty structures at one place


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_the_page_builds_the_same_grid_as_numpy(tmp_path: Path) -> None:
    lat, lon = points()
    grid = precompute(lat, lon, shipped=ZMAX)
    source = resource_path("map", "pare-map.js").read_text(encoding="utf-8")
    start, end = source.index("  var BITS"), source.index("  function levelFor")
    script = (
        '"use strict";\nvar S = {levels: null, pre: null}; var ZMAX = 15;\n'
        "function shipped() { return null; }\n"
        + source[start:end]
        + """
function wx(lon) { return Math.min(Math.max((lon + 180) / 360, 0), 0.9999999999); }
function wy(lat) { var s = Math.sin(Math.max(Math.min(lat, 85.05), -85.05) * Math.PI / 180);
  return Math.min(Math.max(0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI), 0), 0.9999999999); }
var data = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
var n = data.lat.length; S.px = new Float64Array(n); S.py = new Float64Array(n);
for (var i = 0; i < n; i++) { S.px[i] = wx(data.lon[i]); S.py[i] = wy(data.lat[i]); }
S.levels = buildLevels(Int32Array.from({length: n}, function (_, i) { return i; }));
var out = {order: Array.from(S.order), codes: Array.from(S.codes), levels: {}};
for (var z = 0; z <= ZMAX; z++) { var L2 = lvl(z);
  out.levels[z] = data.fields.map(function (f) { return Array.from(L2[f]); }); }
console.log(JSON.stringify(out));
"""
    )
    (tmp_path / "grid.js").write_text(script, encoding="utf-8")
    (tmp_path / "points.json").write_text(
        json.dumps({"lat": lat.tolist(), "lon": lon.tolist(), "fields": grid["fields"]}), encoding="utf-8"
    )
    assert NODE is not None
    done = subprocess.run(
        [NODE, str(tmp_path / "grid.js"), str(tmp_path / "points.json")],
        capture_output=True, text=True, timeout=120, check=True,
    )
    page = json.loads(done.stdout)
    assert page["order"] == grid["order"] and page["codes"] == grid["codes"]
    for z in range(ZMAX + 1):
        theirs_z = page["levels"][str(z)]
        for name, ours, theirs in zip(grid["fields"], grid["levels"][str(z)], theirs_z, strict=True):
            assert np.allclose(ours, theirs, rtol=1e-12, atol=1e-12), (z, name)  # sums: order of additions
