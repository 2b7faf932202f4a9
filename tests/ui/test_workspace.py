"""The views beside the list, wired together: map, dashboard, contact lists, export and import actions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pare_desktop.core.records import SearchQuery
from tests.ui.helpers import settle


def map_state(qtbot: QtBot, gui: Any) -> dict[str, Any]:
    out: list[Any] = []
    gui.workspace.map.run_js("PareMap.state()", out.append)
    qtbot.waitUntil(lambda: bool(out), timeout=10_000)
    return json.loads(out[0])


def test_map_follows_results_and_selection(gui: Any, qtbot: QtBot) -> None:
    w, ws = gui.window, gui.workspace
    w.set_query(SearchQuery(territories=("976",)))
    settle(gui, qtbot)
    with qtbot.waitSignal(ws.map.markers_shown, timeout=30_000) as shown:
        w.tabs.setCurrentIndex(ws.map_tab)
    located = [s for s in gui.directory.get_many(w.model.ids()) if s.has_position and not s.is_national]
    assert shown.args == [len(located)]
    # a marker click selects the structure in the list
    target = located[0].id
    ws.map.structure_clicked.emit(target)
    settle(gui, qtbot)
    assert w.results.current_id() == target
    # selecting in the list while the map is shown centres it on the structure with its popup open
    other = located[-1]
    w.select_structure(other.id)
    qtbot.waitUntil(lambda: map_state(qtbot, gui)["popup"], timeout=10_000)
    state = map_state(qtbot, gui)
    assert abs(state["lat"] - other.latitude) < 0.01 and abs(state["lon"] - other.longitude) < 0.01
    # a filter change updates the markers without reloading the page
    with qtbot.waitSignal(ws.map.markers_shown, timeout=30_000):
        w.set_query(SearchQuery(territories=("974",)))
    assert map_state(qtbot, gui)["ready"]


def test_dashboard_click_filters_the_list(gui: Any, qtbot: QtBot) -> None:
    w, ws = gui.window, gui.workspace
    with qtbot.waitSignal(ws.dashboard.stats_shown, timeout=30_000):
        w.tabs.setCurrentIndex(ws.dashboard_tab)
    # a click on the cell Guyane × « Mise à l'abri » of the table
    matrix = ws.dashboard.matrix
    ws.dashboard.pages.setCurrentIndex(0)
    index = matrix.model().index(matrix.rows.index("973"), matrix.columns.index("mise-a-l-abri"))
    expected = int(index.data())
    matrix.scrollTo(index)
    qtbot.mouseClick(matrix.viewport(), Qt.MouseButton.LeftButton, pos=matrix.visualRect(index).center())
    settle(gui, qtbot)
    assert w.tabs.currentIndex() == 0
    assert (w.search.query.territories, w.search.query.supports) == (("973",), ("mise-a-l-abri",))
    # the list shows those structures: the cell's count, plus the national lines counted apart
    national = sum(1 for s in (w.model.structure_at(r) for r in range(w.model.rowCount()))
                   if s is not None and s.is_national)
    assert w.model.rowCount() - national == expected


def test_export_action_exports_the_current_results(gui: Any, qtbot: QtBot, tmp_path: Path) -> None:
    w, ws = gui.window, gui.workspace
    w.set_query(SearchQuery(territories=("976",)))
    settle(gui, qtbot)
    dialog = ws.open_export()
    assert sorted(dialog._ids) == sorted(w.model.ids())
    target = tmp_path / "mayotte.csv"
    with qtbot.waitSignal(dialog.exported, timeout=30_000) as done:
        dialog.export_to(target)
    assert done.args[0] == str(target) and done.args[1] == len(w.model.ids())
    assert "Mayotte" in target.read_text(encoding="utf-8-sig")
    dialog.close()


def test_settings_then_sync_from_the_window(gui: Any, qtbot: QtBot, tmp_path: Path) -> None:
    """The user types the feed address in the settings dialog, then syncs: the demo makes way."""
    from pare_desktop.sync import keys
    from pare_desktop.sync.publish import build
    from tests.sync.feedkit import records, write_source
    from tests.sync.servers import Scripted, serve_file

    w, ws = gui.window, gui.workspace
    priv, pub = keys.generate(tmp_path / "keys")
    build([write_source(tmp_path / "src.pare.jsonl", records(20))], priv, tmp_path / "feed")
    with Scripted(lambda r: serve_file(r, tmp_path / "feed")) as srv:
        with qtbot.waitSignal(ws.sync.settings_shown, timeout=10_000) as shown:
            ws.open_sync_settings()
        dialog = shown.args[0]
        dialog.feed.setText("ftp://nulle-part")
        dialog.key.setText(str(pub))
        assert not dialog.save()
        assert "Adresse du flux" in dialog.problem.text()
        assert gui.directory.meta("sync.feed_url") == ""  # nothing half-saved
        dialog.feed.setText(srv.url)
        with qtbot.waitSignal(dialog.saved, timeout=10_000):
            assert dialog.save()
        assert w.banner.isVisible()
        with qtbot.waitSignal(ws.sync.dataset_changed, timeout=30_000):
            ws.sync.action.trigger()
        settle(gui, qtbot)
        for box in list(ws.sync._dialogs):
            box.close()
    assert not gui.directory.dataset_info().is_demo
    qtbot.waitUntil(lambda: not w.banner.isVisible(), timeout=10_000)
    assert "version 1" in w.status_panel.dataset.text()
