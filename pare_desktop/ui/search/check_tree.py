"""A tree (or flat list) of checkable values with a count column: territories and vocabulary facets."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

CODE_ROLE = Qt.ItemDataRole.UserRole + 1


class CheckTree(QTreeWidget):
    """Values with a check box and a count; `selection_changed` fires on a user's check or uncheck."""

    selection_changed = Signal()

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(2)
        self.setHeaderHidden(True)
        self.setAccessibleName(accessible_name)
        self.setUniformRowHeights(True)
        self.setAllColumnsShowFocus(True)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self._items: dict[str, QTreeWidgetItem] = {}
        self.itemChanged.connect(self._on_item_changed)

    def add_value(self, code: str, label: str, parent: QTreeWidgetItem | None = None,
                  checkable: bool = True) -> QTreeWidgetItem:
        item = QTreeWidgetItem(parent) if parent is not None else QTreeWidgetItem(self)
        item.setText(0, label)
        item.setData(0, CODE_ROLE, code)
        item.setToolTip(0, label)
        item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if checkable:
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Unchecked)
            self._items[code] = item
        else:
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsUserCheckable)
        if parent is None:
            self.addTopLevelItem(item)
        return item

    def label_of(self, code: str) -> str:
        item = self._items.get(code)
        return item.text(0) if item else code

    def selected(self) -> tuple[str, ...]:
        return tuple(code for code, item in self._items.items()
                     if item.checkState(0) == Qt.CheckState.Checked)

    def set_selected(self, codes: tuple[str, ...] | list[str]) -> None:
        wanted = set(codes)
        self.blockSignals(True)
        try:
            for code, item in self._items.items():
                state = Qt.CheckState.Checked if code in wanted else Qt.CheckState.Unchecked
                if item.checkState(0) != state:
                    item.setCheckState(0, state)
        finally:
            self.blockSignals(False)

    def set_counts(self, counts: Mapping[str, int], known: bool = True) -> None:
        """Show counts beside values (blank when the search engine gives none)."""
        self.blockSignals(True)
        try:
            for code, item in self._items.items():
                n = counts.get(code, 0)
                item.setText(1, str(n) if known else "")
                item.setData(1, Qt.ItemDataRole.AccessibleTextRole,
                             self.tr("%n structure(s)", "", n) if known else "")
                muted = known and n == 0 and item.checkState(0) != Qt.CheckState.Checked
                item.setForeground(0, self.palette().placeholderText() if muted else self.palette().text())
        finally:
            self.blockSignals(False)

    def keyPressEvent(self, event: object) -> None:  # space toggles the current item
        from PySide6.QtGui import QKeyEvent

        assert isinstance(event, QKeyEvent)
        item = self.currentItem()
        checkable = item is not None and item.flags() & Qt.ItemFlag.ItemIsUserCheckable
        if event.key() == Qt.Key.Key_Space and item is not None and checkable:
            checked = item.checkState(0) == Qt.CheckState.Checked
            item.setCheckState(0, Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)
            return
        super().keyPressEvent(event)

    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if column == 0 and item.data(0, CODE_ROLE) in self._items:
            self.selection_changed.emit()
