"""Column titles are read whole (no « Commune / territoir » at 1366×768), and the commune stays in sight."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pare_desktop.app import Gui
from pare_desktop.ui.results.model import COL_BADGES, COL_OPEN, COL_PLACE

from ..helpers import settle


def test_titles_are_not_cut_and_the_commune_is_shown(gui: Gui, qtbot: QtBot) -> None:
    w = gui.window
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    settle(gui, qtbot)
    table = w.results.table
    table.selectRow(0)  # the detail pane takes its room
    settle(gui, qtbot)
    header = table.horizontalHeader()
    assert not table.isColumnHidden(COL_PLACE)
    for col in (COL_PLACE, COL_OPEN, COL_BADGES):
        assert header.sectionSize(col) >= header.sectionSizeHint(col), w.model.headerData(
            col, Qt.Orientation.Horizontal)
    assert "France entière" in str(w.model.headerData(COL_PLACE, Qt.Orientation.Horizontal,
                                                      Qt.ItemDataRole.ToolTipRole))
