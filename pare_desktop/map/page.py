"""The map page: folium builds the skeleton with local asset links; our JS draws everything from JSON."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

import folium

from pare_desktop import __version__
from pare_desktop.core.territories import referential

from . import csp
from .assets import SCRIPTS, STYLES
from .framing import METROPOLE_BBOX
from .payload import dumps, legend

ORIGIN = "pare://map/"
PAGE_PATH = "index.html"
MAX_ZOOM = 18
#: Quick jumps, in the order the issue lists them; "metropole" is mainland France with Corse.
JUMPS: tuple[str, ...] = (
    "metropole",
    "971",
    "972",
    "973",
    "974",
    "976",
    "975",
    "977",
    "978",
    "986",
    "987",
    "988",
)
#: Short labels of the territory buttons (the full name is their tooltip).
SHORT_NAMES = {
    "metropole": "France",
    "975": "St-Pierre-et-M.",
    "977": "St-Barthélemy",
    "978": "St-Martin",
    "986": "Wallis-et-F.",
    "987": "Polynésie",
    "988": "N.-Calédonie",
}
OSM_URL = csp.OSM_TILES + "/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">les contributeurs d’OpenStreetMap</a>'
)
USER_AGENT = f"PARÉ Desktop/{__version__}"


@dataclass(frozen=True, slots=True)
class Background:
    """One tile background the page may show (an MBTiles file served by the host, or OSM online)."""

    name: str
    url: str
    bounds: tuple[float, float, float, float] | None  # west, south, east, north
    min_zoom: int
    max_native_zoom: int
    attribution: str = ""  # plain text: escaped here, since Leaflet shows attributions as HTML


@dataclass(frozen=True, slots=True)
class PageConfig:
    """Everything the page needs besides the records."""

    backgrounds: tuple[Background, ...] = ()
    online_osm: bool = False
    channel: bool = True  # a Qt WebChannel carries clicks to the host
    extra: dict[str, Any] = field(default_factory=dict)


def jump_targets() -> list[dict[str, Any]]:
    """Métropole and every overseas territory with its bbox (west, south, east, north)."""
    ref = referential()
    out: list[dict[str, Any]] = []
    for code in JUMPS:
        if code == "metropole":
            out.append({"code": code, "name": "France métropolitaine", "short": SHORT_NAMES[code],
                        "bbox": list(METROPOLE_BBOX)})
            continue
        t = ref.territory(code)
        if t is not None:
            short = SHORT_NAMES.get(t.code, t.name)
            out.append({"code": t.code, "name": t.name, "short": short, "bbox": list(t.bbox)})
    return out


def bbox_of(code: str) -> tuple[float, float, float, float] | None:
    """The bbox of "metropole" or of a territory code (région, département, collectivité)."""
    if code == "metropole":
        return METROPOLE_BBOX
    t = referential().territory(code)
    return t.bbox if t else None


def _background_json(b: Background) -> dict[str, Any]:
    return {
        "name": escape(b.name),
        "url": b.url,
        "bounds": list(b.bounds) if b.bounds else None,
        "minZoom": b.min_zoom,
        "maxNativeZoom": b.max_native_zoom,
        "attribution": escape(b.attribution),
    }


def page_config_json(config: PageConfig, *, data: dict[str, str]) -> str:
    """The page's configuration as JSON (no records): legend, jumps, backgrounds, where the outlines are."""
    value: dict[str, Any] = {
        "types": legend(),
        "jumps": jump_targets(),
        "maxZoom": MAX_ZOOM,
        "channel": config.channel,
        "backgrounds": [_background_json(b) for b in config.backgrounds],
        "osm": {"url": OSM_URL, "attribution": OSM_ATTRIBUTION} if config.online_osm else None,
        "data": data,
        **config.extra,
    }
    return dumps(value)


def json_block(element_id: str, text: str) -> str:
    """A non-executable JSON data block; every "<" escaped so no "</script>" can close it."""
    safe = text.replace("<", "\\u003c")
    return f'<script type="application/json" id="{element_id}">{safe}</script>'


def render_page(
    config: PageConfig,
    *,
    scripts: Sequence[str] = SCRIPTS,
    styles: Sequence[str] = STYLES,
    data: dict[str, str] | None = None,
    data_blocks: dict[str, str] | None = None,
) -> str:
    """The page HTML without its policy; assets are linked under ORIGIN, data blocks are JSON."""
    m = folium.Map(
        location=[46.6, 2.4],
        zoom_start=6,
        tiles=None,
        maxZoom=MAX_ZOOM,
        minZoom=1,
        prefer_canvas=True,
        control_scale=False,
        world_copy_jump=False,
        zoomAnimation=False,
        fadeAnimation=False,
        zoomSnap=0.25,  # a territory fills a small map (whole zooms left France tiny at 1024×600)
    )  # a late animation would undo focus_structure()
    # Instance attributes shadow folium's CDN lists: nothing is fetched from a CDN.
    m.default_js = [(f"pare{i}", ORIGIN + path) for i, path in enumerate(scripts)]
    m.default_css = [(f"pare_css{i}", ORIGIN + path) for i, path in enumerate(styles)]
    blocks = {
        "pare-config": page_config_json(
            config, data=data or {"outlines": "data/outlines.geojson", "world": "data/world.geojson"}
        )
    }
    blocks.update(data_blocks or {})
    root: Any = m.get_root()  # a branca Figure: its .html element is not in the stubs
    for element_id, text in blocks.items():
        root.html.add_child(folium.Element(json_block(element_id, text)))
    root.html.add_child(folium.Element("<noscript>La carte demande JavaScript.</noscript>"))
    return m.get_root().render().replace("<html>", '<html lang="fr">', 1)


def build_page(config: PageConfig, *, scripts: Sequence[str] = SCRIPTS) -> str:
    """The page served on pare://map/, with its Content-Security-Policy."""
    html = render_page(config, scripts=scripts)
    return csp.with_policy(html, csp.policy(html, local=("'self'", "pare:"), online_tiles=config.online_osm))
