"""GeoJSON FeatureCollections of Points whose properties use the spreadsheet headers."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pare_desktop.core.importers.batch import ImportBatch
from pare_desktop.core.importers.features import feature_list, features_to_batch
from pare_desktop.core.importers.jsonio import load_json


def read_geojson(path: Path, *, source: str, origin: str,
                 types: Mapping[str, str] | None = None) -> ImportBatch:
    features = feature_list(path, load_json(path), "FeatureCollection")
    items = ((f"élément {i} (feature)", f, "") for i, f in enumerate(features, start=1))
    return features_to_batch(items, source=source, origin=origin, fmt="geojson", types=types)
