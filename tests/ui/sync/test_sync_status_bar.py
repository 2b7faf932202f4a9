"""The status bar repeats the sync outcome as a sentence: capitalised, French, no exception text."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from pare_desktop.app import Gui
from pare_desktop.sync.settings import save_settings
from tests.sync.servers import free_port


def test_offline_reads_as_a_sentence_in_the_status_bar(gui: Gui, qtbot: QtBot) -> None:
    sync = gui.workspace.sync
    save_settings(gui.directory, feed_url=f"http://127.0.0.1:{free_port()}/")  # nothing listens there
    with qtbot.waitSignal(sync.outcome_ready, timeout=5_000):
        sync.action.trigger()
    shown = gui.window.statusBar().currentMessage()
    assert shown.startswith("Hors ligne : "), shown
    assert "Errno" not in shown and "Error" not in shown
    if sync.last_box is not None:
        sync.last_box.close()
