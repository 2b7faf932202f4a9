"""GeoJSON export (RFC 7946) for GIS users and uMap: one Point per located structure."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pare_desktop.core.export import CONFIDENTIAL_NOTICE, ExportJob, report
from pare_desktop.core.export.columns import Cell
from pare_desktop.core.progress import Progress

#: columns whose values are numbers in GeoJSON (text in spreadsheets)
NUMERIC = frozenset({"age_min", "age_max"})


def _prop(key: str, value: Cell) -> str | int | None:
    """A property value: null when empty (GIS tools tell a missing value from an empty text), ages as
    numbers, dates in ISO form."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        return value.isoformat()
    if key in NUMERIC and value.isdigit():
        return int(value)
    return value


def write(job: ExportJob, path: Path, progress: Progress) -> None:
    """Structures without a position (national lines, unlocated records) are left out and counted."""
    o = job.options
    features: list[dict[str, Any]] = []
    skipped = 0
    total = len(job.records)
    for i, s in enumerate(job.records, 1):
        report(progress, i, total)
        if s.latitude is None or s.longitude is None:
            skipped += 1
            continue
        props: dict[str, Any] = {
            c.key: _prop(c.key, c.value(s)) for c in job.columns if c.key not in ("latitude", "longitude")
        }
        props["name"] = s.name  # what uMap shows as the marker's title
        props["national"] = s.is_national
        props["position_exacte"] = s.position_exact
        features.append(
            {
                "type": "Feature",
                "id": s.id,
                "geometry": {"type": "Point", "coordinates": [round(s.longitude, 6), round(s.latitude, 6)]},
                "properties": props,
            }
        )
    doc: dict[str, Any] = {}
    if job.confidential:
        doc["confidentialite"] = CONFIDENTIAL_NOTICE
    doc.update(
        {
            "type": "FeatureCollection",
            "metadata": {
                "titre": o.title,
                "date_export": o.exported_at.isoformat(),
                "version_donnees": o.dataset_version,
                "filtres": list(o.filters),
                "structures_sans_position": skipped,
            },
            "features": features,
        }
    )
    # json.dumps, not json.dump: dump streams through the pure-Python encoder (4x slower at 10k).
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    with path.open("w", encoding="utf-8") as f:
        f.write(text)
