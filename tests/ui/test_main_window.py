"""The window end to end on a real SQLite file: typing, filters (overseas), sorting, detail, keyboard."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTextBrowser, QToolButton, QWidget
from pytestqt.qtbot import QtBot

from pare_desktop.app import Gui
from pare_desktop.core.records import SearchQuery
from pare_desktop.ui.detail.wrap_row import shown_text
from pare_desktop.ui.results.model import COL_NAME

from .helpers import names, settle


def test_typing_gives_results_and_count(gui: Gui, qtbot: QtBot) -> None:
    w = gui.window
    total = w.model.rowCount()
    assert total > 300
    qtbot.keyClicks(w.search_field, "119")
    settle(gui, qtbot)
    assert 0 < w.model.rowCount() < total
    assert any("119" in n for n in names(gui))
    assert w.count_label.text().endswith("résultat(s)")


def test_overseas_territory_shows_local_and_national(gui: Gui, qtbot: QtBot) -> None:
    w = gui.window
    w.set_query(SearchQuery(territories=("976",)))
    settle(gui, qtbot)
    records = [w.model.structure_at(r) for r in range(w.model.rowCount())]
    assert all(s is not None for s in records)
    assert any(s.is_national for s in records if s)
    assert any(s.departement == "976" for s in records if s)
    assert all(s.departement == "976" or s.is_national for s in records if s)
    assert [text for _k, text in w.filters.active()] == ["Mayotte (976)"]
    assert len(w.chips.chips) == 1
    w.chips.chips[0].click()
    settle(gui, qtbot)
    assert w.search.query.territories == ()


def test_filter_click_and_clear_all(gui: Gui, qtbot: QtBot) -> None:
    w = gui.window
    tree = w.filters.lists["types"]
    item = tree._items["urgence"]
    item.setCheckState(0, Qt.CheckState.Checked)
    settle(gui, qtbot)
    assert w.search.query.types == ("urgence",)
    types = {w.model.structure_at(r).type for r in range(w.model.rowCount())}  # type: ignore[union-attr]
    assert types == {"urgence"}
    qtbot.keyClick(w, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    settle(gui, qtbot)
    assert w.search.query.types == ()
    assert w.chips.chips == [] and w.chips.none_label.isVisible()  # « Filtres : aucun »


def test_sorting_by_name_descending(gui: Gui, qtbot: QtBot) -> None:
    w = gui.window
    w.results.table.sortByColumn(COL_NAME, Qt.SortOrder.DescendingOrder)
    settle(gui, qtbot)
    shown = names(gui)[:20]
    ascending = names(gui)
    assert shown[0] == ascending[0]
    w.results.table.sortByColumn(COL_NAME, Qt.SortOrder.AscendingOrder)
    settle(gui, qtbot)
    assert names(gui)[:20] == list(reversed(ascending))[:20]


def test_selection_shows_detail_as_plain_text(gui: Gui, qtbot: QtBot) -> None:
    w = gui.window
    w.results.table.selectRow(0)
    settle(gui, qtbot)
    s = w.detail.structure
    assert s is not None and w.detail.title.text() == s.name
    for label in w.detail.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText or label.text() == "" or label.buddy()


def test_empty_state_widens_to_region(gui: Gui, qtbot: QtBot) -> None:
    w = gui.window
    w.set_query(SearchQuery(text="zzzz", territories=("78",)))
    settle(gui, qtbot)
    assert w.results.is_empty_shown()
    assert "élargir à la région" in w.results.empty_title.text()
    w.results.widen.click()
    settle(gui, qtbot)
    assert (w.search.query.territories, w.search.query.regions) == ((), ("11",))


def test_keyboard_only(gui: Gui, qtbot: QtBot) -> None:
    w = gui.window
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.keyClick(w, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert w.search_field.hasFocus()
    qtbot.keyClicks(w.search_field, "enfance")
    qtbot.keyClick(w.search_field, Qt.Key.Key_Return)
    settle(gui, qtbot)
    assert w.results.table.hasFocus()
    first = w.results.current_id()
    assert first
    qtbot.keyClick(w.results.table, Qt.Key.Key_Down)
    settle(gui, qtbot)
    assert w.results.current_id() != first
    assert w.detail.structure is not None and w.detail.structure.id == w.results.current_id()
    qtbot.keyClick(w, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    settle(gui, qtbot)
    assert w.detail.structure.id in w.actions_.favourites
    qtbot.keyClick(w.results.table, Qt.Key.Key_Return)
    settle(gui, qtbot)
    assert w.detail.hasFocus()


def test_markup_in_data_is_shown_as_text(gui: Gui, qtbot: QtBot) -> None:
    from pare_desktop.core.records import Structure

    hostile = '<img src=x onerror="alert(1)"><b>Gras</b> ${7*7} & "quotes"'
    gui.directory.user.save_local(Structure(
        id="", source="local", source_id="", name=hostile, type="urgence",
        description="<script>alert(2)</script>", website="javascript:alert(3)"))
    w = gui.window
    w.set_query(SearchQuery(text="gras"))
    settle(gui, qtbot)
    assert w.model.rowCount() == 1
    assert w.model.data(w.model.index(0, COL_NAME)) == hostile
    w.results.table.selectRow(0)
    settle(gui, qtbot)
    assert w.detail.title.text() == hostile
    assert w.detail.title.textFormat() == Qt.TextFormat.PlainText
    texts = [shown_text(lbl) for lbl in w.detail.findChildren(QLabel)]  # without invisible breaks
    assert "<script>alert(2)</script>" in texts
    assert "javascript:alert(3)" in texts  # shown, but no button opens it
    buttons = [b for b in w.detail.findChildren(QToolButton) if b.text() == "Ouvrir le site"]
    assert not buttons


def test_pro_mode_and_about(gui: Gui, qtbot: QtBot) -> None:
    w = gui.window
    seen: list[bool] = []
    w.pro_mode_changed.connect(seen.append)
    w.action_pro.trigger()
    settle(gui, qtbot)
    assert gui.directory.pro_mode and seen == [True]
    dialog = w.show_about()
    text = dialog.findChild(QTextBrowser).toPlainText()
    needles = ("LGPL", "GeoNames", "CC BY 4.0", "Licence Ouverte", "Natural Earth", "Apache-2.0", "BSD-2")
    for needle in needles:
        assert needle in text
    dialog.close()


def test_add_view_and_apply_filter(gui: Gui, qtbot: QtBot) -> None:
    w = gui.window
    index = w.add_view(QWidget(), "Carte")
    assert w.tabs.tabText(index) == "Carte"
    queries: list[SearchQuery] = []
    w.current_query_changed.connect(queries.append)
    w.apply_filter(territory="973", support="ecoute-information-orientation")
    settle(gui, qtbot)
    assert w.search.query.territories == ("973",)
    assert w.search.query.supports == ("ecoute-information-orientation",)
    assert queries and queries[-1] == w.search.query
