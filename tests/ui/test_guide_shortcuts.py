"""The F1 guide lists every menu shortcut as the French menus write it (« Ctrl+Maj+N », not « Shift »)."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QKeySequence

from pare_desktop.app import Gui, install_translations
from pare_desktop.ui.dialogs.help import guide_text


def test_every_menu_shortcut_is_in_the_guide_in_french(gui: Gui, qapp: Any) -> None:
    translators = install_translations(qapp)
    try:
        guide = guide_text()
        shown = {}
        for menu_action in gui.window.menuBar().actions():
            menu = menu_action.menu()
            for action in menu.actions() if menu is not None else ():
                keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                if keys and keys != QKeySequence(QKeySequence.StandardKey.Quit).toString(
                        QKeySequence.SequenceFormat.NativeText):
                    shown[keys] = action.text().replace("&", "")
        assert "Ctrl+Maj+N" in shown or "Ctrl+Maj+L" in shown  # the French names of the keys
        missing = {keys: text for keys, text in shown.items() if f"**{keys}**" not in guide}
        assert not missing
        assert "Shift" not in guide and "…." not in guide
    finally:
        for t in translators:
            qapp.removeTranslator(t)
