"""The filter chips row keeps its height: ticking a filter, removing its chip, many chips at once — the
results list does not move (1024×600 and 1366×768), and chips that do not fit go into a « +N » menu."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from pytestqt.qtbot import QtBot

from pare_desktop.app import Gui
from pare_desktop.core.records import SearchQuery

from ..helpers import settle, tick_territory

SIZES = [(1024, 600), (1366, 768)]


def results_rect(gui: Gui) -> QRect:
    """Where the results table is, in window coordinates."""
    table = gui.window.results.table
    return QRect(table.mapTo(gui.window, table.rect().topLeft()), table.size())



@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_results_stay_still_when_chips_come_and_go(gui: Gui, qtbot: QtBot, size: tuple[int, int]) -> None:
    w = gui.window
    w.resize(*size)
    settle(gui, qtbot)
    before = results_rect(gui)
    assert w.chips.isVisible() and w.chips.none_label.isVisible()  # « Filtres : aucun »
    height = w.chips.height()
    tick_territory(gui, qtbot, "976")
    assert [c.text() for c in w.chips.chips] == ["Mayotte (976)  ✕"] and w.chips.chips[0].isVisible()
    assert not w.chips.none_label.isVisible()
    assert results_rect(gui) == before and w.chips.height() == height
    qtbot.mouseClick(w.filters.open_now, Qt.MouseButton.LeftButton)
    settle(gui, qtbot)
    assert len(w.chips.chips) == 2 and results_rect(gui) == before
    # the chip's ✕: the filter goes, the list stays where it is
    qtbot.mouseClick(w.chips.chips[0], Qt.MouseButton.LeftButton)
    settle(gui, qtbot)
    assert w.search.query.territories == () and results_rect(gui) == before
    w.chips.chips[0].setFocus()
    qtbot.keyClick(w.chips.chips[0], Qt.Key.Key_Delete)  # Delete removes the focused chip
    settle(gui, qtbot)
    assert w.chips.chips == [] and w.chips.none_label.isVisible() and results_rect(gui) == before


def test_chips_that_do_not_fit_go_into_a_menu(gui: Gui, qtbot: QtBot) -> None:
    w = gui.window
    w.resize(1024, 600)
    settle(gui, qtbot)
    before, width = results_rect(gui), w.width()
    many = SearchQuery(territories=("971", "972", "973", "974", "976", "975", "977"),
                       types=("urgence", "justice", "sante-sexuelle"), open_now=True)
    w.filters.show_query(many)
    w.filters.changed.emit()
    settle(gui, qtbot)
    shown = [c for c in w.chips.chips if c.isVisible()]
    hidden = w.chips.hidden_chips
    assert shown and hidden and len(shown) + len(hidden) == 11
    assert w.chips.more.isVisible() and w.chips.more.text() == f"+{len(hidden)}"
    right = w.chips.more.mapTo(w, w.chips.more.rect().topRight()).x()
    assert right <= w.width() and w.width() == width  # nothing cut, the window not widened
    assert results_rect(gui) == before
    # the menu removes a hidden filter
    menu = w.chips.more.menu()
    last = hidden[-1]
    assert menu.actions()[-1].text() == f"Retirer « {last[1]} »"
    menu.actions()[-1].trigger()
    settle(gui, qtbot)
    assert last[1] not in [text for _k, text in w.filters.active()]
    assert results_rect(gui) == before
