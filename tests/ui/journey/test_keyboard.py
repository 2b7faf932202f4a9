"""Keyboard only: search, ↓ into the list, favourite, note, contact list, favourites only, help (F1)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QInputDialog
from pytestqt.qtbot import QtBot

from pare_desktop.app import Gui
from pare_desktop.ui.results.model import COL_FAVOURITE, COL_NAME, COL_PLACE, COL_TYPE

from ..helpers import settle
from .test_mayotte import activate


def key(qtbot: QtBot, k: Qt.Key, mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key press where the keyboard focus is, as the user makes it."""
    focus = QApplication.focusWidget()
    assert focus is not None
    qtbot.keyClick(focus, k, mods)


CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def test_keyboard_only_favourite_note_and_list(gui: Gui, qtbot: QtBot) -> None:
    w = gui.window
    activate(gui, qtbot)
    key(qtbot, Qt.Key.Key_F, CTRL)
    qtbot.keyClicks(w.search_field, "harcelement")
    settle(gui, qtbot)
    key(qtbot, Qt.Key.Key_Down)  # into the list, on the first row
    assert w.results.table.hasFocus() and w.results.current_id()
    key(qtbot, Qt.Key.Key_Return)
    settle(gui, qtbot)
    s = w.detail.structure
    assert s is not None and s.id == w.results.current_id()
    # Favourite.
    key(qtbot, Qt.Key.Key_D, CTRL)
    settle(gui, qtbot)
    assert gui.directory.user.is_favourite(s.id)
    assert w.model.index(w.model.row_of(s.id), COL_FAVOURITE).data() == "★"
    # Note: one shortcut away, saved as typed.
    key(qtbot, Qt.Key.Key_N, CTRL | SHIFT)
    assert w.detail.note.hasFocus()
    qtbot.keyClicks(w.detail.note, "Rappeler lundi")
    qtbot.waitUntil(lambda: gui.directory.user.note(s.id) == "Rappeler lundi", timeout=3000)
    # Contact list: the menu opens where the keyboard is, « Nouvelle liste… », a name, Entrée.
    key(qtbot, Qt.Key.Key_L, CTRL | SHIFT)
    qtbot.waitUntil(lambda: getattr(w.actions_, "last_menu", None) is not None
                    and w.actions_.last_menu.isVisible(), timeout=3000)
    menu = w.actions_.last_menu
    anchor = w.detail.note.mapToGlobal(w.detail.note.rect().center())
    assert menu.geometry().top() == anchor.y()  # opened on the note, not wherever the mouse was
    qtbot.keyClick(menu, Qt.Key.Key_Down)
    assert menu.activeAction() is not None and menu.activeAction().text() == "Nouvelle liste…"
    qtbot.keyClick(menu, Qt.Key.Key_Return)
    dialog = w.actions_.last_dialog
    assert isinstance(dialog, QInputDialog)
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    edit = dialog.findChild(type(w.search_field))
    qtbot.keyClicks(edit, "Urgences")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    settle(gui, qtbot)
    lists = gui.directory.user.lists()
    assert [(x.name, x.count) for x in lists] == [("Urgences", 1)]
    # « Favoris seulement »: just the favourite, and its chip.
    activate(gui, qtbot)
    w.search_field.clear()
    w.search.set_text("")
    w.filters.favourites_only.setFocus()
    key(qtbot, Qt.Key.Key_Space)
    settle(gui, qtbot)
    assert [w.model.id_at(r) for r in range(w.model.rowCount())] == [s.id]
    assert "Favoris seulement" in [text for _k, text in w.filters.active()]


def test_visible_focus_in_the_table(gui: Gui, qtbot: QtBot) -> None:
    w = gui.window
    activate(gui, qtbot)
    w.search_field.setFocus()
    before = w.results.table.grab().toImage()
    key(qtbot, Qt.Key.Key_Down)
    assert w.results.table.hasFocus()
    after = w.results.table.grab().toImage()
    assert before != after  # the frame and the current row show where the keyboard is
    assert "focus" in w.results.table.styleSheet()


def test_only_sortable_columns_show_an_arrow(gui: Gui, qtbot: QtBot) -> None:
    w = gui.window
    header = w.results.table.horizontalHeader()
    for col in (COL_FAVOURITE, COL_TYPE, COL_PLACE):
        if w.results.table.isColumnHidden(col):
            continue
        x = header.sectionViewportPosition(col) + header.sectionSize(col) // 2
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                         pos=QPoint(x, 5))
        settle(gui, qtbot)
        assert header.sortIndicatorSection() == -1  # no arrow: that column does not sort
        assert w.search.query.sort == "relevance"
    x = header.sectionViewportPosition(COL_NAME) + 10
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(x, 5))
    settle(gui, qtbot)
    assert header.sortIndicatorSection() == COL_NAME and w.search.query.sort == "name"


def test_f1_opens_the_french_guide(gui: Gui, qtbot: QtBot) -> None:
    w = gui.window
    activate(gui, qtbot)
    w.results.table.setFocus()
    key(qtbot, Qt.Key.Key_F1)
    dialog = w._help
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    text = dialog.browser.toPlainText()
    for words in ("Les repères", "national", "démo", "retirée", "Ouvert maintenant", "Près de",
                  "Mon territoire", "Ctrl+Maj+N", "données de démonstration", "synchronisation", "F5"):
        assert words in text, words
    dialog.close()
