"""A long status message is read whole: the version and sync labels step aside while it shows."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from pare_desktop.app import Gui


def test_a_long_message_is_not_cut_by_the_permanent_labels(gui: Gui, qtbot: QtBot) -> None:
    w = gui.window
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    panel = w.status_panel
    w.show_message("Favori ajouté")
    assert panel.dataset.isVisible() and panel.sync.isVisible()
    long = ("Signalement enregistré sur cet ordinateur (aucune adresse d'envoi n'est réglée) : "
            "exportez-le par Outils › Exporter les signalements…")
    w.show_message(long)
    assert not panel.dataset.isVisible() and not panel.sync.isVisible()
    assert w.statusBar().currentMessage() == long
    w.statusBar().clearMessage()
    assert panel.dataset.isVisible() and panel.sync.isVisible()
