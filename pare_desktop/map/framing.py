"""What part of the world the map shows for a question: a territory, a circle, the results, or France."""

from __future__ import annotations

from typing import Any

from pare_desktop.core.records import SearchQuery
from pare_desktop.core.territories import referential

#: Mainland France with Corse (west, south, east, north).
METROPOLE_BBOX = (-5.3, 41.3, 9.6, 51.15)

Frame = dict[str, Any]


def _union(boxes: list[tuple[float, float, float, float]]) -> tuple[float, float, float, float]:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def territory_boxes(query: SearchQuery) -> list[tuple[float, float, float, float]]:
    """The bboxes of the query's départements, collectivités and régions (régions looked up as régions)."""
    ref = referential()
    boxes = []
    for code in query.territories:
        t = ref.territory(code)
        if t is not None:
            boxes.append(tuple(float(v) for v in t.bbox))
    for code in query.regions:
        r = ref.region(code)
        if r is not None:
            boxes.append(tuple(float(v) for v in r.bbox))
    return boxes  # type: ignore[return-value]


def frame_for(query: SearchQuery) -> Frame:
    """The map frame that answers this question (JSON-ready, read by the page's `PareMap.frame`).

    « près de » → the circle; a territory filter → that territory (several: their union, unless they lie
    on different oceans, then the first one); any other question → the markers found; none → France.
    """
    if query.near is not None and query.radius_km:
        lat, lon = query.near
        km = max(0.1, float(query.radius_km))
        return {"kind": "around", "lat": float(lat), "lon": float(lon), "km": km}
    boxes = territory_boxes(query)
    if boxes:
        box = _union(boxes)
        if box[2] - box[0] > 40 or box[3] - box[1] > 40:  # e.g. Mayotte and Guyane: frame the first asked
            box = boxes[0]
        return {"kind": "bbox", "bbox": list(box)}
    if query.is_empty:
        return {"kind": "bbox", "bbox": list(METROPOLE_BBOX)}
    return {"kind": "markers", "bbox": list(METROPOLE_BBOX)}
