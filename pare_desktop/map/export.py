"""`pare map --out`: the map as one self-contained HTML file (assets inlined, records as a JSON block)."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from pare_desktop.core.records import Structure

from . import csp
from .assets import SCRIPTS, STYLES, asset_file, mime_type
from .clusters import precompute
from .framing import Frame
from .page import ORIGIN, PageConfig, render_page
from .payload import MARKER_FIELDS, POSITION_SCALE, OpenState, build_payload

_SCRIPT_LINK = re.compile(r'<script src="' + re.escape(ORIGIN) + r'(?P<path>[^"]+)"></script>')
_CSS_LINK = re.compile(r'<link rel="stylesheet" href="' + re.escape(ORIGIN) + r'(?P<path>[^"]+)"/>')
_CSS_URL = re.compile(r"url\((?P<q>['\"]?)(?P<url>images/[^)'\"]+)(?P=q)\)")


def _read(path: str) -> str:
    file = asset_file(path)
    if file is None:
        raise FileNotFoundError(path)
    return file.read_text(encoding="utf-8")


def _inline_css(path: str) -> str:
    folder = path.rsplit("/", 1)[0]

    def data_uri(m: re.Match[str]) -> str:
        target = f"{folder}/{m['url']}"
        file = asset_file(target)
        if file is None:
            return m[0]
        encoded = base64.b64encode(file.read_bytes()).decode()
        return f"url(data:{mime_type(target)};base64,{encoded})"

    return _CSS_URL.sub(data_uri, _read(path)).replace("</style", "<\\/style")


def _inline_js(path: str) -> str:
    return _read(path).replace("</script", "<\\/script")


def export_html(
    records: Iterable[Structure], *, open_state: OpenState | None = None, frame: Frame | None = None
) -> str:
    """One HTML document that shows these records with no network and no other file.

    It opens on `frame` (see framing.frame_for: the filtered territory, the circle, or the markers) and
    carries its clusters precomputed (clusters.precompute)."""
    built = build_payload(records, open_state)
    lat_i, lon_i = MARKER_FIELDS.index("lat_e5"), MARKER_FIELDS.index("lon_e5")
    grid = precompute(  # from the very numbers the page reads, divided as the page divides them
        np.array([m[lat_i] for m in built.markers], dtype=np.float64) / POSITION_SCALE,
        np.array([m[lon_i] for m in built.markers], dtype=np.float64) / POSITION_SCALE,
    )
    payload = built.to_json(clusters=grid)
    blocks = {
        "pare-outlines": _read("data/outlines.geojson"),
        "pare-world": _read("data/world.geojson"),
        "pare-data": payload,
    }
    data = {"outlines": "#pare-outlines", "world": "#pare-world", "records": "#pare-data"}
    extra = {"frame": frame} if frame else {}
    html = render_page(
        PageConfig(channel=False, extra=extra),
        scripts=SCRIPTS,
        styles=STYLES,
        data=data,
        data_blocks=blocks,
    )
    html = _SCRIPT_LINK.sub(lambda m: "<script>" + _inline_js(m["path"]) + "</script>", html)
    html = _CSS_LINK.sub(lambda m: "<style>" + _inline_css(m["path"]) + "</style>", html)
    if ORIGIN in html.split("<body>", 1)[0]:
        raise RuntimeError("an asset of the map page was not inlined")
    return csp.with_policy(html, csp.policy(html, local=()))


def write_html(
    records: Iterable[Structure],
    out: Path,
    *,
    open_state: OpenState | None = None,
    frame: Frame | None = None,
) -> int:
    """Write the export; returns its size in bytes."""
    data = export_html(records, open_state=open_state, frame=frame).encode("utf-8")
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(out)
    return len(data)
