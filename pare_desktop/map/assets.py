"""The page's static assets: which file each local URL path serves (installed packages, our resources)."""

from __future__ import annotations

import mimetypes
from pathlib import Path, PurePosixPath

from pare_desktop.paths import resource_path

#: Scripts of the page, in load order (URL paths under the page's origin).
SCRIPTS: tuple[str, ...] = (
    "assets/leaflet/leaflet.js",
    "assets/pare/pare-map.js",
)
#: Leaflet.markercluster: loaded only for the benchmark's anchor (our page clusters on its own grid).
MARKERCLUSTER_SCRIPT = "assets/markercluster/leaflet.markercluster.js"
#: Style sheets of the page, in load order (the cluster bubbles keep Leaflet.markercluster's look).
STYLES: tuple[str, ...] = (
    "assets/leaflet/leaflet.css",
    "assets/markercluster/MarkerCluster.css",
    "assets/markercluster/MarkerCluster.Default.css",
    "assets/pare/pare-map.css",
)
#: The outlines drawn as the offline base map.
DATA_FILES: dict[str, tuple[str, ...]] = {
    "data/outlines.geojson": ("referentials", "outlines.geojson"),
    "data/world.geojson": ("referentials", "world.geojson"),
}

_TYPES = {
    ".js": "text/javascript",
    ".css": "text/css",
    ".png": "image/png",
    ".json": "application/json",
    ".geojson": "application/json",
    ".html": "text/html",
    ".svg": "image/svg+xml",
}


def _package_dirs() -> dict[str, Path]:
    import xstatic.pkg.leaflet as leaflet
    import xstatic.pkg.leaflet_markercluster as markercluster

    return {
        "leaflet": Path(leaflet.BASE_DIR),
        "markercluster": Path(markercluster.BASE_DIR),
        "pare": resource_path("map"),
    }


def asset_file(url_path: str) -> Path | None:
    """The file behind a URL path ("assets/leaflet/leaflet.js", "data/outlines.geojson"), or None.

    Only files inside the known asset folders are served: ".." and absolute paths are refused.
    """
    path = PurePosixPath(url_path.lstrip("/"))
    if ".." in path.parts or not path.parts:
        return None
    if str(path) in DATA_FILES:
        return resource_path(*DATA_FILES[str(path)])
    if len(path.parts) < 3 or path.parts[0] != "assets":
        return None
    base = _package_dirs().get(path.parts[1])
    if base is None:
        return None
    candidate = base.joinpath(*path.parts[2:]).resolve()
    if not candidate.is_relative_to(base.resolve()) or not candidate.is_file():
        return None
    return candidate


def mime_type(url_path: str) -> str:
    """The MIME type served for a path."""
    suffix = PurePosixPath(url_path).suffix.lower()
    return _TYPES.get(suffix) or mimetypes.guess_type(url_path)[0] or "application/octet-stream"
