"""« Mon territoire »: asked once at first start, remembered, the default filter, one click to all France."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from pare_desktop.app import Gui
from pare_desktop.ui.search.my_territory import KEY_MINE

from ..helpers import settle


def choose_in_dialog(gui: Gui, qtbot: QtBot, typed: str) -> None:
    dialog = gui.window.my_territory.dialog
    assert dialog is not None and dialog.isVisible()
    edit = dialog.combo.lineEdit()
    assert edit is not None
    edit.selectAll()
    qtbot.keyClicks(edit, typed)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    settle(gui, qtbot)


def test_asked_once_then_default_filter_and_one_click_to_france(
        make_gui: object, db_path: Path, settings: QSettings, qtbot: QtBot) -> None:
    gui: Gui = make_gui(db_path)  # type: ignore[operator]
    w, mine = gui.window, gui.window.my_territory
    assert w.search.query.territories == ()
    assert mine.ask_first_time() is not None
    choose_in_dialog(gui, qtbot, "Mayotte (976)")
    assert w.search.query.territories == ("976",)
    assert settings.value(KEY_MINE) == "976"
    assert mine.button.text() == "Toute la France"
    assert mine.ask_first_time() is None  # asked once
    # One click back to all of France, one click back to my territory.
    qtbot.mouseClick(mine.button, Qt.MouseButton.LeftButton)
    settle(gui, qtbot)
    assert w.search.query.territories == ()
    assert mine.button.text() == "Mon territoire : Mayotte"
    qtbot.mouseClick(mine.button, Qt.MouseButton.LeftButton)
    settle(gui, qtbot)
    assert w.search.query.territories == ("976",)
    # « Effacer les filtres » keeps my territory: it is the default filter.
    w.filters.open_now.click()
    settle(gui, qtbot)
    w.activateWindow()  # the dialog had the focus
    qtbot.waitUntil(w.isActiveWindow, timeout=2000)
    qtbot.keyClick(w, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    settle(gui, qtbot)
    assert w.search.query.territories == ("976",) and not w.search.query.open_now


def test_remembered_and_applied_at_next_start(make_gui: object, db_path: Path, settings: QSettings,
                                              qtbot: QtBot) -> None:
    settings.setValue(KEY_MINE, "973")
    gui: Gui = make_gui(db_path)  # type: ignore[operator]
    assert gui.window.search.query.territories == ("973",)
    assert [text for _k, text in gui.window.filters.active()] == ["Guyane (973)"]
    # Changed in the settings (Outils › Mon territoire…).
    gui.window.my_territory.action.trigger()
    choose_in_dialog(gui, qtbot, "974")  # typed, not picked
    assert gui.window.search.query.territories == ("974",)
    assert settings.value(KEY_MINE) == "974"


def test_first_start_question_can_be_skipped(gui: Gui, qtbot: QtBot) -> None:
    dialog = gui.window.my_territory.ask_first_time()
    assert dialog is not None and dialog.later.text() == "Plus tard"
    qtbot.mouseClick(dialog.later, Qt.MouseButton.LeftButton)
    settle(gui, qtbot)
    assert gui.window.search.query.territories == ()
    assert gui.window.my_territory.ask_first_time() is None
    assert gui.window.my_territory.button.text() == "Mon territoire…"


def test_the_label_sits_by_its_field(gui: Gui, qtbot: QtBot) -> None:
    dialog = gui.window.my_territory.ask()
    qtbot.waitExposed(dialog)
    dialog.resize(460, 400)  # taller than its content, as a window manager may make it
    qtbot.waitUntil(lambda: dialog.height() == 400, timeout=2000)
    label = next(lbl for lbl in dialog.findChildren(QLabel) if lbl.buddy() is dialog.combo)
    gap = dialog.combo.geometry().top() - label.geometry().bottom()
    assert 0 <= gap <= 12, gap
    assert label.height() <= label.sizeHint().height() + 4  # its text is not floating in spare height
    assert dialog.ok.mapTo(dialog, QPoint(0, 0)).y() > dialog.combo.geometry().bottom()
    dialog.close()
