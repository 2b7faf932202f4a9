"""The map follows the question, read back from the page's real view (the L.Map among window's properties):
a territory filter frames that territory, « près de » its circle, a search its markers, no filter France;
a marker click gives a useful zoom and a popup no control hides; no control covers a quarter of the map."""

from __future__ import annotations

import json
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from pare_desktop.core.records import SearchQuery
from pare_desktop.core.territories import referential
from pare_desktop.ui.map.view import MapPanel
from tests.map.samples import national, structure
from tests.ui.helpers import settle

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

#: The page's own Leaflet map, found as a user script would (folium names it map_<hash>).
VIEW = (
    "(function () { for (var k in window) { var m; try { m = window[k]; } catch (e) { continue; }"
    " if (m instanceof L.Map) { var b = m.getBounds();"
    " return JSON.stringify({w: b.getWest(), s: b.getSouth(), e: b.getEast(), n: b.getNorth(),"
    " zoom: m.getZoom()}); } } return 'null'; })()"
)


def js(qtbot: QtBot, panel: MapPanel, script: str) -> Any:
    out: list[Any] = []
    panel.run_js(script, out.append)
    qtbot.waitUntil(lambda: bool(out), timeout=10_000)
    return out[0]


def view(qtbot: QtBot, panel: MapPanel) -> dict[str, float]:
    return json.loads(js(qtbot, panel, VIEW))


def click(qtbot: QtBot, panel: MapPanel, selector: str) -> None:
    """A real mouse click in the middle of the first element the selector finds well inside the page."""
    script = (
        "(function () { var all = document.querySelectorAll(" + json.dumps(selector) + ");"
        " for (var i = 0; i < all.length; i++) { var r = all[i].getBoundingClientRect(),"
        " x = r.left + r.width / 2, y = r.top + r.height / 2, inside = x > 60 && y > 90"
        " && x < innerWidth - 60 && y < innerHeight - 60;"
        " if (inside || all[i].tagName == 'BUTTON') return JSON.stringify([x, y]); } return 'null'; })()"
    )
    found = js(qtbot, panel, script)
    x, y = json.loads(found)
    QTest.mouseClick(panel.view.focusProxy(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(int(x), int(y)))


def layout(qtbot: QtBot, panel: MapPanel) -> dict[str, Any]:
    return json.loads(js(qtbot, panel, "PareMap.layout()"))


def frames(v: dict[str, float], bbox: tuple[float, float, float, float], *, slack: float = 4.0) -> bool:
    """The view shows the whole bbox and is not more than `slack` times its size (plus a margin)."""
    west, south, east, north = bbox
    inside = v["w"] <= west and v["e"] >= east and v["s"] <= south and v["n"] >= north
    width, height = east - west, north - south
    tight = (v["e"] - v["w"]) <= slack * width + 0.3 and (v["n"] - v["s"]) <= slack * height + 0.3
    return inside and tight


def overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def area(r: list[float]) -> float:
    return max(0.0, r[2] - r[0]) * max(0.0, r[3] - r[1])


def bbox(code: str, *, region: bool = False) -> tuple[float, float, float, float]:
    ref = referential()
    t = ref.region(code) if region else ref.territory(code)
    assert t is not None
    return t.bbox


def show_map(gui: Any, qtbot: QtBot) -> MapPanel:
    w, ws = gui.window, gui.workspace
    if w.tabs.currentIndex() != ws.map_tab:
        w.tabs.setCurrentIndex(ws.map_tab)
    panel: MapPanel = ws.map
    qtbot.waitUntil(lambda: panel.is_ready, timeout=30_000)
    settle(gui, qtbot)
    return panel


def ask(gui: Any, qtbot: QtBot, query: SearchQuery) -> None:
    with qtbot.waitSignal(gui.workspace.map.markers_shown, timeout=30_000):
        gui.window.set_query(query)
        settle(gui, qtbot)
    qtbot.wait(50)


def test_window_map_frames_the_territory_the_circle_the_search_then_france(gui: Any, qtbot: QtBot) -> None:
    w = gui.window
    w.set_query(SearchQuery(territories=("976",)))
    settle(gui, qtbot)
    panel = show_map(gui, qtbot)
    qtbot.waitUntil(lambda: frames(view(qtbot, panel), bbox("976")), timeout=10_000)
    # then Guyane as a région: Guyane, not a blank coast at 300 m
    ask(gui, qtbot, SearchQuery(regions=("03",)))
    v = view(qtbot, panel)
    assert frames(v, bbox("03", region=True)), v
    assert v["zoom"] <= 10
    # « près de Kourou, 20 km »: the circle and what is inside it
    ask(gui, qtbot, SearchQuery(near=(5.16281, -52.64265), radius_km=20))
    v = view(qtbot, panel)
    assert v["w"] <= -52.64265 - 0.17 and v["e"] >= -52.64265 + 0.17  # 20 km ≈ 0.18° of longitude there
    assert v["s"] <= 5.16281 - 0.17 and v["n"] >= 5.16281 + 0.17
    assert v["e"] - v["w"] < 2.5
    assert json.loads(js(qtbot, panel, "PareMap.state()"))["around"] == [5.16281, -52.64265, 20]
    # a search: the markers it found (demo data: the Mayotte lines for « Mayotte »)
    ask(gui, qtbot, SearchQuery(text="Mamoudzou"))
    located = [s for s in gui.directory.get_many(w.model.ids()) if s.has_position and not s.is_national]
    assert located
    v = view(qtbot, panel)
    for s in located:
        assert v["w"] <= s.longitude <= v["e"] and v["s"] <= s.latitude <= v["n"], s.name
    assert v["e"] - v["w"] < 20
    # no filter: mainland France, every overseas territory one click away
    ask(gui, qtbot, SearchQuery())
    v = view(qtbot, panel)
    assert v["w"] <= -4.5 and v["e"] >= 8.0 and v["s"] <= 42.5 and v["n"] >= 51.0 and v["e"] - v["w"] < 40
    codes = json.loads(js(qtbot, panel, "JSON.stringify(Array.from(document.querySelectorAll("
                          "'.pare-jump')).map(function (b) { return b.dataset.code; }))"))
    assert codes == ["metropole", "971", "972", "973", "974", "976", "975", "977", "978", "986", "987", "988"]
    click(qtbot, panel, '.pare-jump[data-code="973"]')  # one click, with the mouse
    qtbot.waitUntil(lambda: frames(view(qtbot, panel), bbox("973")), timeout=10_000)
    # a cluster clicked with the mouse zooms in on what it holds (or lists what shares one place)
    click(qtbot, panel, '.pare-jump[data-code="metropole"]')
    qtbot.waitUntil(lambda: view(qtbot, panel)["e"] - view(qtbot, panel)["w"] > 10, timeout=10_000)
    before = view(qtbot, panel)["zoom"]
    click(qtbot, panel, ".marker-cluster")

    def opened() -> bool:
        listed = js(qtbot, panel, "document.querySelectorAll('.leaflet-popup .pare-list-item').length")
        return bool(view(qtbot, panel)["zoom"] > before or listed)

    qtbot.waitUntil(opened, timeout=10_000)


def test_marker_click_at_1024x600_a_useful_zoom_and_a_popup_no_control_hides(gui: Any, qtbot: QtBot) -> None:
    w = gui.window
    w.resize(1024, 600)
    w.set_query(SearchQuery(territories=("976",)))
    settle(gui, qtbot)
    panel = show_map(gui, qtbot)
    qtbot.waitUntil(lambda: frames(view(qtbot, panel), bbox("976")), timeout=10_000)
    box = layout(qtbot, panel)
    map_area = area(box["map"])
    for control in box["controls"]:  # collapsed by default on a small window
        assert area(control["rect"]) <= map_area / 4, control
    # a marker drawn alone, clicked with the mouse
    ids = [s.id for s in gui.directory.get_many(w.model.ids()) if s.has_position and not s.is_national]
    point = None
    for _ in range(6):
        point = next((json.loads(p) for p in (js(qtbot, panel, f"PareMap.markerPoint('{i}')") for i in ids)
                      if p != "null"), None)
        if point is not None:
            break
        js(qtbot, panel, "document.querySelector('.leaflet-control-zoom-in').click() || 1")
    assert point is not None
    before = view(qtbot, panel)["zoom"]
    with qtbot.waitSignal(panel.structure_clicked, timeout=10_000):
        QTest.mouseClick(panel.view.focusProxy(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         QPoint(int(point[0]), int(point[1])))
    settle(gui, qtbot)
    qtbot.waitUntil(lambda: layout(qtbot, panel)["popup"] is not None, timeout=10_000)
    qtbot.wait(100)
    after = view(qtbot, panel)
    assert before <= after["zoom"] <= 14  # not a blank 300 m view
    box = layout(qtbot, panel)
    popup = box["popup"]
    m = box["map"]
    assert m[0] <= popup[0] and popup[2] <= m[2] and m[1] <= popup[1] and popup[3] <= m[3]
    for control in box["controls"]:
        assert not overlap(popup, control["rect"]), control


def test_boxes_collapse_and_expand_and_stay_under_a_quarter_of_a_small_map(qtbot: QtBot) -> None:
    panel = MapPanel()
    qtbot.addWidget(panel)
    panel.resize(640, 430)  # about the map's share of a 1024×600 window
    panel.show()
    qtbot.waitUntil(lambda: panel.is_ready, timeout=20_000)
    records = [structure(i, lat=48 + i * 0.01, lon=2.0) for i in range(30)]
    records += [national(i, name=f"Ligne nationale d'écoute numéro {i}") for i in range(40)]
    with qtbot.waitSignal(panel.markers_shown, timeout=10_000):
        panel.set_records(records)
    for title in (".pare-side .pare-box-title", ".pare-legend .pare-box-title"):
        assert js(qtbot, panel, f"document.querySelector('{title}').getAttribute('aria-expanded')") == "false"
        js(qtbot, panel, f"document.querySelector('{title}').click() || 1")
        assert js(qtbot, panel, f"document.querySelector('{title}').getAttribute('aria-expanded')") == "true"
    box = layout(qtbot, panel)
    for control in box["controls"]:  # expanded, they scroll inside their cap
        assert area(control["rect"]) <= area(box["map"]) / 4, control
    panel.close()


def test_each_new_territory_is_framed_even_after_the_first_one(qtbot: QtBot) -> None:
    panel = MapPanel()
    qtbot.addWidget(panel)
    panel.resize(800, 600)
    panel.show()
    qtbot.waitUntil(lambda: panel.is_ready, timeout=20_000)
    panel.follow(SearchQuery(territories=("973",)))
    qtbot.waitUntil(lambda: frames(view(qtbot, panel), bbox("973")), timeout=10_000)
    panel.follow(SearchQuery(territories=("974",)))  # La Réunion
    qtbot.waitUntil(lambda: frames(view(qtbot, panel), bbox("974")), timeout=10_000)
    panel.close()
