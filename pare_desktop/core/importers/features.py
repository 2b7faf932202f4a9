"""What GeoJSON and uMap share: a Point feature's properties read with the spreadsheet headers."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pare_desktop.core.errors import ImportFormatError
from pare_desktop.core.importers import limits
from pare_desktop.core.importers.batch import BatchBuilder, ImportBatch, Reject
from pare_desktop.core.importers.column_map import shape_of
from pare_desktop.core.importers.day_hours import add_day_hours, day_columns
from pare_desktop.core.importers.fields import field_for_header
from pare_desktop.core.importers.mapping import Context, build_structure
from pare_desktop.core.importers.values import cell_from_python


def as_text(value: Any) -> str:
    """A property value as cell text: lists joined with " | ", objects as JSON."""
    if value.__class__ is str:
        return value
    if isinstance(value, list):
        return " | ".join(as_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return cell_from_python(value)


#: lines and areas drawn on a map (routes, zones): not places, skipped and counted, never a reject
SKIPPED_GEOMETRIES = frozenset({"LineString", "MultiLineString", "Polygon", "MultiPolygon", "MultiPoint",
                                "GeometryCollection"})
SKIPPED = "lignes, zones ou groupes de points (seuls les points sont des lieux)"


def feature_row(feature: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, str], str]:
    """(canonical row, raw row for the rejects file, geometry problem or "") of one feature."""
    props = feature.get("properties")
    props = props if isinstance(props, dict) else {}
    raw = {str(k): as_text(v) for k, v in props.items() if not str(k).startswith("_")}
    row: dict[str, str] = {}
    for key, text in raw.items():
        canonical = field_for_header(key)
        if canonical is not None and canonical not in row:
            row[canonical] = text
    add_day_hours(row, raw, day_columns(k for k in raw if field_for_header(k) is None))
    geometry = feature.get("geometry")
    if geometry is None:
        return row, raw, ""
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
    if kind == "MultiPoint" and isinstance(coords, list) and len(coords) == 1:
        kind, coords = "Point", coords[0]
    if isinstance(kind, str) and kind in SKIPPED_GEOMETRIES:  # a list there is unhashable: not skipped
        return row, raw, SKIPPED
    if kind != "Point":
        shown = kind if isinstance(kind, str) else type(geometry).__name__
        return row, raw, f"seules les géométries de type Point sont lues (ici : {shown})"
    if not (isinstance(coords, list) and len(coords) >= 2
            and all(isinstance(c, int | float) and not isinstance(c, bool) for c in coords[:2])):
        return row, raw, "coordonnées du point invalides"
    raw.setdefault("longitude", cell_from_python(coords[0]))
    raw.setdefault("latitude", cell_from_python(coords[1]))
    row.setdefault("longitude", raw["longitude"])
    row.setdefault("latitude", raw["latitude"])
    return row, raw, ""


def feature_list(path: Path, collection: Any, what: str) -> list[Any]:
    if not isinstance(collection, dict) or not isinstance(collection.get("features"), list):
        raise ImportFormatError(f"Le fichier « {path.name} » ne contient pas de {what} GeoJSON "
                                "(« features » manquant).", path=str(path))
    features: list[Any] = collection["features"]
    if len(features) > limits.MAX_ROWS:
        raise limits.too_many_rows(path)
    return features


def features_to_batch(
    items: Iterable[tuple[str, Any, str]], *, source: str, origin: str, fmt: str,
    warnings: Iterable[str] = (), types: Mapping[str, str] | None = None,
) -> ImportBatch:
    """`items` are (location, feature, default structure type text or ""); `types`, folded type values ->
    structure types (classify.fold_types), wins over the synonyms."""
    builder = BatchBuilder(source, fmt)
    keys: set[str] = set()
    for location, feature, default_type in items:
        builder.total_rows += 1
        if not isinstance(feature, dict):
            builder.reject([Reject(location, "feature", "élément qui n'est pas un objet GeoJSON", {})])
            continue
        try:
            row, raw, geometry_problem = feature_row(feature)
        except RecursionError:
            builder.reject([Reject(location, "propriétés", "valeurs imbriquées trop profondément", {})])
            continue
        if geometry_problem == SKIPPED:
            builder.notes.skipped[SKIPPED] += 1
            continue
        longest = max(raw, key=lambda k: len(raw[k]), default="")
        if longest and len(raw[longest]) > limits.MAX_CELL_CHARS:
            builder.reject([Reject(location, longest[:40], limits.cell_too_long(len(raw[longest])), {})])
            continue
        if geometry_problem:
            builder.reject([Reject(location, "géométrie", geometry_problem, raw)])
            continue
        if default_type and not row.get("type", "").strip():
            row["type"] = default_type
        keys.update(raw)
        result = build_structure(row, Context(source, origin, location, raw, builder.notes, types))
        builder.take(result, location, raw)
    builder.notes.extra.extend(warnings)
    builder.shape = shape_of(keys, kind=fmt)  # the properties the features carry
    return builder.build()
