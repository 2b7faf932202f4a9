"""Column titles are read whole: no « Commune / territoir » at 1366×768."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from pare_desktop.app import Gui
from pare_desktop.ui.results.model import COL_OPEN, COL_PLACE

from ..helpers import settle


def test_place_and_open_titles_are_not_cut(gui: Gui, qtbot: QtBot) -> None:
    w = gui.window
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    settle(gui, qtbot)
    header = w.results.table.horizontalHeader()
    assert not w.results.table.isColumnHidden(COL_PLACE)
    for col in (COL_PLACE, COL_OPEN):
        assert header.sectionSize(col) >= header.sectionSizeHint(col), w.model.headerData(col,
                                                                                           header.orientation())
