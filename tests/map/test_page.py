"""The page and its payloads, without Qt: local assets only, a strict policy, data kept out of markup."""

from __future__ import annotations

import json
import re

from pare_desktop.map import csp
from pare_desktop.map.assets import SCRIPTS, STYLES, asset_file
from pare_desktop.map.page import PageConfig, build_page, json_block
from pare_desktop.map.payload import MARKER_FIELDS, build_payload

from .samples import hostile, national, structure


def test_page_links_only_local_assets_and_every_one_exists() -> None:
    html = build_page(PageConfig())
    assert not re.search(r"(src|href)=\"https?://", html)
    for path in (*SCRIPTS, *STYLES, "data/outlines.geojson", "data/world.geojson"):
        assert asset_file(path) is not None, path


def test_policy_allows_exactly_the_inline_blocks_of_the_page() -> None:
    html = build_page(PageConfig())
    meta = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert meta is not None
    policy = meta.group(1)
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    scripts, styles = csp.inline_hashes(html)
    assert scripts and all(h in policy for h in scripts + styles)
    assert "tile.openstreetmap.org" not in policy
    assert "https://tile.openstreetmap.org" in build_page(PageConfig(online_osm=True))


def test_asset_paths_cannot_escape_their_folders() -> None:
    for bad in ("assets/leaflet/../../../../etc/passwd", "/etc/passwd", "assets/nope/x.js", "data/../x",
                "assets/pare/../referentials/territories.json"):
        assert asset_file(bad) is None


def test_payload_puts_national_and_unlocated_records_in_the_side_box() -> None:
    located = structure(1, lat=48.8, lon=2.3, exact=False)
    unlocated = structure(2, lat=0, lon=0).__class__(id="t:2", source="t", source_id="2", name="Sans lieu",
                                                      type="justice")
    p = build_payload([located, national(1), unlocated], open_state=lambda s: True)
    assert [dict(zip(MARKER_FIELDS, m, strict=True))["exact"] for m in p.markers] == [0]
    assert [row[0] for row in p.side] == ["n:1", "t:2"]
    assert p.markers[0][MARKER_FIELDS.index("open")] == 1


def test_hostile_text_never_reaches_the_markup() -> None:
    text = build_payload(hostile()).to_json()
    block = json_block("pare-data", text)
    inner = block[len('<script type="application/json" id="pare-data">'):-len("</script>")]
    assert "<" not in inner
    assert json.loads(inner) == json.loads(text)
