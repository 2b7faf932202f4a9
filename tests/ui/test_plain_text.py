"""Every role of every item model shows data as text: nothing Qt would render as rich text (issue 12, item 7).

The results tooltip once rendered names as HTML (<b> in bold, <img> loaded). The walk covers every item
view of the window (results, lists, filters...) and the sync history model, with hostile records.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QModelIndex, Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QAbstractItemView, QApplication
from pytestqt.qtbot import QtBot

from pare_desktop.core.directory import Directory
from pare_desktop.core.records import SearchQuery, Structure
from pare_desktop.sync.history import HistoryEntry
from pare_desktop.ui import plain
from pare_desktop.ui.sync.history import SyncHistoryModel

from .helpers import settle

HOSTILE = '<img src="x" onerror="alert(1)"><b>Gras</b><script>alert(2)</script> ${7*7} & "q"'
ROLES = [*range(0, 16), *range(int(Qt.ItemDataRole.UserRole), int(Qt.ItemDataRole.UserRole) + 12)]


def rendered(value: str) -> QTextDocument:
    """The document Qt shows for a tooltip: HTML when the text looks like it, else plain text."""
    doc = QTextDocument()
    if GuiQt.mightBeRichText(value):
        doc.setHtml(value)
    else:
        doc.setPlainText(value)
    return doc


def check_value(where: str, role: int, value: str, seen: list[str]) -> None:
    if role not in plain.INTERPRETED_ROLES:
        return  # item views paint Display/Accessible/... text as plain text
    doc = rendered(value)
    html = doc.toHtml()
    assert "<img" not in html, f"{where}: an image would load from {value!r}"
    assert "font-weight:700" not in html and "font-weight:600" not in html, f"{where}: bold markup {value!r}"
    shown = doc.toPlainText()
    if "<" in value or "&lt;" in value:
        assert "<" in shown, f"{where}: markup interpreted in {value!r}"
    if "Gras" in shown:
        seen.append(where)


def walk(model: QAbstractItemModel, name: str, seen: list[str], parent: QModelIndex | None = None) -> None:
    parent = parent or QModelIndex()
    flat = isinstance(model, QAbstractListModel)  # its columnCount() is private in PySide6
    columns = 1 if flat else model.columnCount(parent)
    for section in range(columns):
        for role in ROLES:
            value = model.headerData(section, Qt.Orientation.Horizontal, role)
            if isinstance(value, str):
                check_value(f"{name} header {section}", role, value, seen)
    for row in range(model.rowCount(parent)):
        for col in range(columns):
            index = model.index(row, col, parent)
            for role in ROLES:
                value = model.data(index, role)
                if isinstance(value, str):
                    check_value(f"{name} ({row}, {col}) role {role}", role, value, seen)
            if col == 0 and not flat and model.rowCount(index) > 0:
                walk(model, name, seen, index)


@pytest.fixture
def hostile_db(db_path: Path) -> Path:
    with Directory.open(db_path) as d:
        sid = d.user.save_local(Structure(
            id="", source="local", source_id="", name=HOSTILE, type="urgence", commune=HOSTILE,
            description=HOSTILE, hours_text=HOSTILE, opening_hours="Mo-Su 00:00-24:00"))
        lid = d.user.create_list("Liste <b>Gras</b> <img src=x>")
        d.user.add_to_list(lid, [sid if isinstance(sid, str) else sid.id])
    return db_path


def test_every_role_of_every_model_is_plain_text(make_gui: Any, hostile_db: Path, qtbot: QtBot) -> None:
    gui = make_gui(hostile_db)
    gui.window.set_query(SearchQuery(text="gras"))
    settle(gui, qtbot)
    assert gui.window.model.rowCount() == 1
    gui.window.model.data(gui.window.model.index(0, 1))  # ask for the page, then wait for it
    settle(gui, qtbot)
    lists = getattr(gui.workspace, "lists", None)
    if lists is not None and hasattr(lists, "reload"):
        lists.reload()
        settle(gui, qtbot)
    seen: list[str] = []
    views = [w for w in QApplication.allWidgets()
             if isinstance(w, QAbstractItemView) and w.model() is not None]
    assert views
    for view in views:
        walk(view.model(), f"{type(view).__name__}:{view.objectName() or type(view.model()).__name__}", seen)
    history = SyncHistoryModel([HistoryEntry(datetime(2026, 1, 1), None, "failed", 1, 2, 0, HOSTILE)])
    walk(history, "SyncHistoryModel", seen)
    assert any("ResultsModel" in w for w in seen), seen  # the hostile name's tooltip was checked
    assert any("SyncHistoryModel" in w for w in seen), seen


def test_tooltip_helper_keeps_plain_text_unchanged(qapp: object) -> None:
    assert plain.tooltip("Maison des ados") == "Maison des ados"
    assert plain.tooltip("a < b") == "a < b"
    assert plain.tooltip(None) is None
    escaped = plain.tooltip("<b>Gras</b>")
    assert escaped is not None and rendered(escaped).toPlainText() == "<b>Gras</b>"
