"""A window that fits 1024×600, 1366×768 and 1920×1080: nothing in the detail pane wider than its viewport,
no sideways scrolling, « Ouvert ? » and the badges in sight, names readable with a full-name tooltip."""

from __future__ import annotations

import html
import re

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from pare_desktop.app import Gui
from pare_desktop.core.records import SearchQuery
from pare_desktop.ui.results.model import COL_BADGES, COL_NAME, COL_OPEN

from ..helpers import settle

SIZES = [(1024, 600), (1366, 768), (1920, 1080)]


def overflowing(gui: Gui) -> list[str]:
    """Visible widgets of the detail pane that reach past the right edge of its viewport."""
    pane = gui.window.detail
    viewport = pane.viewport()
    out = []
    for child in pane.widget().findChildren(QWidget):
        if not child.isVisibleTo(pane.widget()) or child.width() <= 0:
            continue
        right = child.mapTo(viewport, QPoint(child.width(), 0)).x()
        if right > viewport.width():
            out.append(f"{type(child).__name__} {child.accessibleName()!r} ends at {right}")
    return out


def open_longest(gui: Gui, qtbot: QtBot) -> None:
    """The structure with the most to show: phones, e-mail, web site, address and hours."""
    w = gui.window
    w.set_query(SearchQuery(text="maison des adolescents"))
    settle(gui, qtbot)
    row = next(r for r in range(w.model.rowCount())
               if (s := w.model.structure_at(r)) and s.emails and s.website and s.opening_hours and s.phones)
    w.results.table.selectRow(row)
    settle(gui, qtbot)
    assert w.detail.structure is not None and w.detail.structure.emails


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_detail_pane_never_wider_than_its_viewport(gui: Gui, qtbot: QtBot, size: tuple[int, int]) -> None:
    w = gui.window
    w.resize(*size)
    qtbot.waitUntil(lambda: w.width() == size[0], timeout=2000)
    open_longest(gui, qtbot)
    qtbot.wait(50)
    pane = w.detail
    assert pane.widget().width() <= pane.viewport().width()
    assert pane.horizontalScrollBar().maximum() == 0  # tabbing into it cannot scroll sideways
    assert overflowing(gui) == []
    # Tab through every action of the pane: the view never moves sideways.
    pane.star.setFocus()
    for _ in range(12):
        qtbot.keyClick(w.focusWidget() or pane, Qt.Key.Key_Tab)
        assert pane.horizontalScrollBar().value() == 0


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_open_and_badges_visible_and_names_readable(gui: Gui, qtbot: QtBot, size: tuple[int, int]) -> None:
    w = gui.window
    w.resize(*size)
    qtbot.waitUntil(lambda: w.width() == size[0], timeout=2000)
    w.set_query(SearchQuery(territories=("976",)))
    settle(gui, qtbot)
    table = w.results.table
    header = table.horizontalHeader()
    room = table.viewport().width()
    for col in (COL_NAME, COL_OPEN, COL_BADGES):
        assert not table.isColumnHidden(col)
        assert header.sectionViewportPosition(col) >= 0
        assert header.sectionViewportPosition(col) + header.sectionSize(col) <= room, col
    assert header.sectionSize(COL_NAME) >= 150
    assert table.horizontalScrollBar().maximum() == 0
    assert table.textElideMode() == Qt.TextElideMode.ElideMiddle
    name = w.model.structure_at(0).name  # type: ignore[union-attr]
    tip = w.model.index(0, COL_NAME).data(Qt.ItemDataRole.ToolTipRole)
    shown = html.unescape(re.sub(r"<[^>]+>", "", tip)).replace("\xa0", " ")  # plain.tooltip escapes markup
    assert name in shown
