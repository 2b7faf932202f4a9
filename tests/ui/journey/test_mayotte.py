"""A social worker in Mayotte: my territory, « écoute », open now, ↓ into the list, Entrée → the detail."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from pare_desktop.app import Gui
from pare_desktop.ui.results.model import COL_NAME, COL_OPEN

from ..helpers import settle


def activate(gui: Gui, qtbot: QtBot) -> None:
    gui.window.activateWindow()
    qtbot.waitUntil(gui.window.isActiveWindow, timeout=3000)


def rows(gui: Gui) -> list[tuple[str, str, str]]:
    """(id, name, « Ouvert ? » text) of every row, as shown."""
    m = gui.window.model
    out = []
    for r in range(m.rowCount()):
        if m.structure_at(r) is None:
            gui.runner.wait_idle()
        out.append((m.id_at(r), m.index(r, COL_NAME).data(), m.index(r, COL_OPEN).data()))
    return out


def test_mayotte_ecoute_open_now_to_detail(gui: Gui, qtbot: QtBot) -> None:
    w = gui.window
    # « Mon territoire » from its button: Mayotte.
    qtbot.mouseClick(w.my_territory.button, Qt.MouseButton.LeftButton)
    dialog = w.my_territory.dialog
    assert dialog is not None
    edit = dialog.combo.lineEdit()
    assert edit is not None
    edit.selectAll()
    qtbot.keyClicks(edit, "Mayotte")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    settle(gui, qtbot)
    assert w.search.query.territories == ("976",)
    activate(gui, qtbot)
    # « ecoute » typed in the search field, then « Ouvert maintenant ».
    qtbot.keyClick(w, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert w.search_field.hasFocus()
    qtbot.keyClicks(w.search_field, "ecoute")
    settle(gui, qtbot)
    qtbot.mouseClick(w.filters.open_now, Qt.MouseButton.LeftButton)
    settle(gui, qtbot)
    assert w.search.query.open_now and w.search.query.text == "ecoute"
    shown = rows(gui)
    states = [state for _i, _n, state in shown]
    assert "Fermé" not in states
    assert states == sorted(states, key=lambda s: s != "Ouvert")  # open first, unknown hours after
    by_id = {sid: state for sid, _n, state in shown}
    assert by_id["reference:119"] == "Ouvert"  # 24 h/24 lines are always open
    assert by_id["reference:3018"] == "Inconnu"  # unknown hours: kept, apart, never silently gone
    unknown = states.count("Inconnu")
    assert f"dont {unknown} aux horaires non renseignés" in w.count_label.text()
    tip = w.model.index(states.index("Inconnu"), COL_OPEN).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == "Horaires non renseignés"
    assert w.model.unknown_hours_from == states.index("Inconnu")  # where the dashed line sets them apart
    # ↓ from the search field goes to the list; Entrée opens the detail.
    w.search_field.setFocus()
    qtbot.keyClick(w.search_field, Qt.Key.Key_Down)
    assert w.results.table.hasFocus()
    qtbot.keyClick(w.results.table, Qt.Key.Key_Down)
    qtbot.keyClick(w.results.table, Qt.Key.Key_Return)
    settle(gui, qtbot)
    assert w.detail.structure is not None
    assert w.detail.structure.id == shown[1][0]
    assert w.detail.title.text() == shown[1][1]
    # A structure with unknown hours says so in its detail.
    w.results.select_id("reference:3018")
    settle(gui, qtbot)
    assert "Non renseignés" in [label.text() for label in w.detail.findChildren(QLabel)]
