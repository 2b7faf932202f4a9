"""A search found by forgiving a typo says so: « orthographe approchée » by the count, the word in a tip."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from pare_desktop.app import Gui

from ..helpers import settle


def test_a_typo_is_forgiven_and_said(gui: Gui, qtbot: QtBot) -> None:
    w = gui.window
    qtbot.keyClicks(w.search_field, "psycologue")
    settle(gui, qtbot)
    assert w.model.rowCount() > 0
    assert w.count_label.text().endswith("résultat(s) · orthographe approchée")
    assert "« psycologue »" in w.count_label.toolTip()
    w.search_field.clear()
    qtbot.keyClicks(w.search_field, "psychologue")
    settle(gui, qtbot)
    assert w.count_label.text().endswith("résultat(s)")
    assert w.count_label.toolTip() == ""
