"""« Près de » as a social worker in Guyane meets it: completion by keyboard, national lines, wider radii."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pare_desktop.app import Gui
from pare_desktop.ui.results.model import COL_DISTANCE

from ..helpers import settle, structures


def choose_commune(gui: Gui, qtbot: QtBot, text: str) -> None:
    """Type in « Près de », go down into the completion list, press Entrée."""
    box = gui.window.filters.near
    box.edit.setFocus()
    qtbot.keyClicks(box.edit, text)
    popup = box.completer.popup()
    qtbot.waitUntil(popup.isVisible, timeout=3000)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    settle(gui, qtbot)


def shown(gui: Gui) -> list[tuple[str, bool, str]]:
    """(name, national?, distance text) of every row, as the table shows them."""
    m = gui.window.model
    return [(s.name, s.is_national, m.index(row, COL_DISTANCE).data())
            for row, s in enumerate(structures(gui))]


def test_kourou_20_km_keeps_national_lines_and_offers_wider(gui: Gui, qtbot: QtBot) -> None:
    w = gui.window
    choose_commune(gui, qtbot, "Kourou")
    assert w.search.query.near is not None and w.search.query.radius_km == 20
    assert [text for _k, text in w.filters.active()] == ["à 20 km de Kourou"]
    rows = shown(gui)
    assert rows and all(national for _n, national, _d in rows)  # nothing local within 20 km...
    assert any("119" in name for name, _nat, _d in rows)  # ...but 119 is still there
    assert {d for _n, _nat, d in rows} == {"national"}  # marked as such
    notice = w.near_notice
    assert notice.isVisible()
    assert "Aucune structure locale à moins de 20 km de Kourou" in notice.text.text()
    assert [b.text() for b in notice.radius_buttons] == ["50 km", "100 km", "200 km"]
    nearest = [b.text() for b in notice.nearest_buttons]
    assert nearest and all(" km" in t and "(démo)" in t for t in nearest)
    # The nearest structure opens in the detail pane with one click.
    qtbot.mouseClick(notice.nearest_buttons[0], Qt.MouseButton.LeftButton)
    settle(gui, qtbot)
    assert w.detail.structure is not None and nearest[0].startswith(w.detail.title.text())
    # One click widens the radius: local structures come, national lines stay.
    qtbot.mouseClick(notice.radius_buttons[1], Qt.MouseButton.LeftButton)
    settle(gui, qtbot)
    assert w.search.query.radius_km == 100
    rows = shown(gui)
    local = [r for r in rows if not r[1]]
    assert local and all(d.endswith("km") for _n, _nat, d in local)
    assert any("119" in name for name, _nat, _d in rows)
    assert not notice.isVisible()


def test_completion_with_keyboard_applies_the_filter_once(gui: Gui, qtbot: QtBot) -> None:
    w = gui.window
    changes: list[object] = []
    w.filters.near.changed.connect(lambda: changes.append(w.filters.near.value()))
    choose_commune(gui, qtbot, "Mamoud")
    near = w.filters.near.value()
    assert near is not None and near.label.startswith("Mamoudzou")
    assert len(changes) == 1
    assert w.search.query.near == (near.latitude, near.longitude)
