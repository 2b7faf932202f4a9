"""Small helpers for window tests: wait for the search to settle, type text, find rows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pare_desktop.app import Gui
from pare_desktop.core.records import Structure


def settle(gui: Gui, qtbot: QtBot) -> None:
    """Wait for the debounce and every task to finish."""
    qtbot.waitUntil(lambda: not gui.window.search.is_pending(), timeout=5000)
    assert gui.runner.wait_idle()
    qtbot.wait(1)
    assert gui.runner.wait_idle()


def structures(gui: Gui) -> list[Structure]:
    """The structure of every row of the results, in order (rows still loading are waited for)."""
    model = gui.window.model
    out = []
    for row in range(model.rowCount()):
        s = model.structure_at(row)
        if s is None:
            gui.runner.wait_idle()
            s = model.structure_at(row)
        assert s is not None
        out.append(s)
    return out


def names(gui: Gui) -> list[str]:
    return [s.name for s in structures(gui)]


def tick_territory(gui: Gui, qtbot: QtBot, code: str) -> None:
    """Tick a territory as a user does: make it current in the filter tree, then Space."""
    tree = gui.window.filters.territories
    gui.window.filters.toolbox.setCurrentWidget(tree)
    item = tree._items[code]
    if item.parent() is not None:
        item.parent().setExpanded(True)
    tree.scrollToItem(item)
    tree.setCurrentItem(item)
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_Space)
    settle(gui, qtbot)
