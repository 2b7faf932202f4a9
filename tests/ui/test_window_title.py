"""The window title names the application once (Qt appends the display name unless the title ends with it)."""

from __future__ import annotations

from pare_desktop.app import Gui
from pare_desktop.ui.settings import APPLICATION


def test_the_title_names_the_application_once(gui: Gui) -> None:
    title = gui.window.windowTitle()
    assert title == "Annuaire hors ligne — PARÉ Desktop"
    assert title.endswith(APPLICATION) and title.count(APPLICATION) == 1
