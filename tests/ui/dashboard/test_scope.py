"""The dashboard shows what the territory filter covers: Mayotte alone when the user ticks Mayotte, Paris and
Mayotte side by side, every territory again once the filter is cleared — readable at 1024×600."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pare_desktop.app import Gui

from ..helpers import settle, tick_territory


def open_dashboard(gui: Gui, qtbot: QtBot) -> None:
    w, ws = gui.window, gui.workspace
    bar = w.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(ws.dashboard_tab).center())
    qtbot.waitUntil(lambda: ws.dashboard.stats is not None, timeout=20_000)
    settle(gui, qtbot)


def shown_rows(gui: Gui) -> list[str]:
    """The table's row headers as drawn."""
    m = gui.workspace.dashboard.matrix.model()
    return [m.headerData(r, Qt.Orientation.Vertical) for r in range(m.rowCount())]


def test_mayotte_filter_shows_mayotte(gui: Gui, qtbot: QtBot) -> None:
    w = gui.window
    w.resize(1024, 600)
    open_dashboard(gui, qtbot)
    d = gui.workspace.dashboard
    assert len(d.matrix.rows) > 100  # no filter: every territory
    with qtbot.waitSignal(d.stats_shown, timeout=20_000):
        tick_territory(gui, qtbot, "976")
    assert w.search.query.territories == ("976",)
    assert shown_rows(gui) == ["976 Mayotte"]
    # the one row is on screen, whole, under the headers
    d.pages.setCurrentIndex(0)
    qtbot.wait(10)
    rect = d.matrix.visualRect(d.matrix.model().index(0, 0))
    assert d.matrix.viewport().rect().contains(rect)
    assert d.matrix.verticalHeader().sectionSize(0) >= d.matrix.fontMetrics().height()
    # charts: Mayotte's bar alone, no mainland chart of 96 empty départements
    d.pages.setCurrentIndex(1)
    qtbot.wait(10)
    assert not d.boxes["mainland"].isVisible() and not d.boxes["mainland_2"].isVisible()
    assert d.boxes["overseas"].isVisible() and d.overseas.labels == ["976 Mayotte"]
    assert d.overseas.height() < 120  # one thin bar, not a block filling the page
    assert d.boxes["types"].isVisible() and d.boxes["supports"].isVisible()
    # a mainland département beside it: both, the mainland one in a single chart
    with qtbot.waitSignal(d.stats_shown, timeout=20_000):
        tick_territory(gui, qtbot, "75")
    assert shown_rows(gui) == ["75 Paris", "976 Mayotte"]
    assert d.boxes["mainland"].isVisible() and not d.boxes["mainland_2"].isVisible()
    assert d.mainland.labels == ["75 Paris"] and d.overseas.labels == ["976 Mayotte"]
    assert d._mainland_title.text() == "Métropole : structures par département"
    # the filters cleared: every territory again, the mainland in two halves
    with qtbot.waitSignal(d.stats_shown, timeout=20_000):
        w.activateWindow()
        qtbot.keyClick(w, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
        settle(gui, qtbot)
    assert len(d.matrix.rows) > 100 and d.boxes["mainland_2"].isVisible()

