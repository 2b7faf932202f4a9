"""Small helpers for window tests: wait for the search to settle, type text, find rows."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from pare_desktop.app import Gui


def settle(gui: Gui, qtbot: QtBot) -> None:
    """Wait for the debounce and every task to finish."""
    qtbot.waitUntil(lambda: not gui.window.search.is_pending(), timeout=5000)
    assert gui.runner.wait_idle()
    qtbot.wait(1)
    assert gui.runner.wait_idle()


def names(gui: Gui) -> list[str]:
    model = gui.window.model
    out = []
    for row in range(model.rowCount()):
        s = model.structure_at(row)
        if s is None:
            gui.runner.wait_idle()
            s = model.structure_at(row)
        assert s is not None
        out.append(s.name)
    return out
