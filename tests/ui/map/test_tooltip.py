"""A marker's hover tooltip stays inside the map and clear of its controls, near every edge, at the size the
map has in a 1024×600 window: the mouse is really moved onto the marker, the page's boxes are read back."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtTest import QTest

from pare_desktop.ui.map.view import MapPanel
from tests.map.samples import national, structure

from .test_view import js, make_panel

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

#: The map view's size in the main window at 1024×600 (list and detail beside it), measured.
SMALL_MAP = (494, 397)
LONG = "Maison de protection des familles et des adolescents de Mamoudzou – Kawéni (démo)"

#: folium's L.Map instance, found among the page's globals
MAP = "Object.values(window).find(function (v) { return v instanceof L.Map; })"


@pytest.fixture
def small(qtbot: Any) -> Iterator[MapPanel]:
    panel = make_panel(qtbot, size=SMALL_MAP)
    with qtbot.waitSignal(panel.markers_shown, timeout=10_000):
        panel.set_records([structure(1, lat=-12.78, lon=45.23, name=LONG, commune="Mamoudzou"), national(1)])
    yield panel
    panel.close()


def place(qtbot: Any, panel: MapPanel, fx: float, fy: float) -> tuple[int, int]:
    """Pan so that the marker sits at (fx, fy) of the map's width and height; its point in the view."""
    js(qtbot, panel, f"""(function () {{ var m = {MAP}; var s = m.getSize();
        var p = m.latLngToContainerPoint([-12.78, 45.23]);
        m.panBy([p.x - {fx} * s.x, p.y - {fy} * s.y], {{ animate: false }}); return 1; }})()""")
    qtbot.waitUntil(lambda: js(qtbot, panel, "PareMap.markerPoint('t:1')") != "null", timeout=10_000)
    x, y = json.loads(js(qtbot, panel, "PareMap.markerPoint('t:1')"))
    return round(x), round(y)


def hover(qtbot: Any, panel: MapPanel, x: int, y: int) -> dict[str, Any]:
    """Move the mouse away, then onto the marker; its box, text, side, and the page layout."""
    target = panel.view.focusProxy()
    QTest.mouseMove(target, QPoint(panel.width() // 2, 5))
    qtbot.waitUntil(lambda: js(qtbot, panel, "!document.querySelector('.leaflet-tooltip')"), timeout=5000)
    QTest.mouseMove(target, QPoint(x, y))
    qtbot.waitUntil(lambda: js(qtbot, panel, "!!document.querySelector('.leaflet-tooltip')"), timeout=5000)
    got = json.loads(js(qtbot, panel, """(function () {
        var t = document.querySelector('.leaflet-tooltip'), r = t.getBoundingClientRect();
        var side = ['right', 'left', 'top', 'bottom'].filter(function (s) {
            return t.classList.contains('leaflet-tooltip-' + s); })[0];
        return JSON.stringify({ tip: [r.left, r.top, r.right, r.bottom], text: t.textContent, side: side,
                                layout: JSON.parse(PareMap.layout()) }); })()"""))
    return dict(got)


def overlap(a: list[float], b: list[float]) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


@pytest.mark.parametrize(("fx", "fy"), [
    (0.97, 0.5),   # right edge: the tooltip opens to the left
    (0.5, 0.96),   # bottom edge: above
    (0.03, 0.5),   # left edge: to the right
    (0.5, 0.2),    # near the top, under the boxes
    (0.45, 0.5),   # left of centre, a name longer than the room on its right (the QA report's case)
])
def test_tooltip_stays_inside_the_map_and_clear_of_the_controls(
    qtbot: Any, small: MapPanel, fx: float, fy: float
) -> None:
    x, y = place(qtbot, small, fx, fy)
    got = hover(qtbot, small, x, y)
    tip, box = got["tip"], got["layout"]["map"]
    assert got["text"] == LONG  # whole, as text
    assert box[0] <= tip[0] and tip[2] <= box[2] and box[1] <= tip[1] and tip[3] <= box[3], got
    assert not [c for c in got["layout"]["controls"] if overlap(tip, c["rect"])], got
    # beside the marker, not somewhere else: the marker is within a gap of one of its sides
    assert tip[0] - 14 <= x <= tip[2] + 14 and tip[1] - 14 <= y <= tip[3] + 14


def test_tooltip_in_the_corner_is_pushed_inside(qtbot: Any, small: MapPanel) -> None:
    x, y = place(qtbot, small, 0.97, 0.8)  # between the legend and the right edge's middle
    got = hover(qtbot, small, x, y)
    tip, box = got["tip"], got["layout"]["map"]
    assert box[0] <= tip[0] and tip[2] <= box[2] and box[1] <= tip[1] and tip[3] <= box[3], got
    assert got["side"] in ("left", "top")
