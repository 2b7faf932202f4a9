"""Item models of the lists view: the lists (name and count) and one list's entries, reorderable."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from ...core.contact_lists import (
    STATE_LOCAL,
    STATE_MISSING,
    STATE_NATIONAL,
    STATE_WITHDRAWN,
    ListEntry,
)
from ...core.userdata import ContactListInfo
from ..plain import tooltip

IndexLike = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
NAME_ROLE = Qt.ItemDataRole.UserRole + 2
ROWS_MIME = "application/x-pare-list-rows"

COL_NAME, COL_PLACE, COL_STATE = range(3)
_HEADERS = ("Structure", "Commune", "Remarque")
_STATES = {
    STATE_LOCAL: "contact local",
    STATE_WITHDRAWN: "retirée de l'annuaire",
    STATE_MISSING: "structure indisponible",
    STATE_NATIONAL: "ligne nationale",
}


class ContactListsModel(QAbstractListModel):
    """The user's lists, « Nom (n) »; ID_ROLE gives the list id, NAME_ROLE its bare name."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._lists: list[ContactListInfo] = []

    def set_lists(self, lists: Sequence[ContactListInfo]) -> None:
        self.beginResetModel()
        self._lists = list(lists)
        self.endResetModel()

    def rowCount(self, parent: IndexLike = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lists)

    def data(self, index: IndexLike, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._lists):
            return None
        info = self._lists[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{info.name} ({info.count})"
        if role == ID_ROLE:
            return info.id
        if role == NAME_ROLE:
            return info.name
        return None

    def row_of(self, list_id: int | None) -> int:
        return next((i for i, info in enumerate(self._lists) if info.id == list_id), -1)

    def info(self, row: int) -> ContactListInfo | None:
        return self._lists[row] if 0 <= row < len(self._lists) else None


class ListEntriesModel(QAbstractTableModel):
    """One list's structures in the user's order; rows move by drag or by `move`, then `reordered`."""

    reordered = Signal(list)  # the ids in their new order

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._entries: list[ListEntry] = []

    # --- contents ---------------------------------------------------------------------------------
    def set_entries(self, entries: Sequence[ListEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def ids(self) -> list[str]:
        return [e.id for e in self._entries]

    def entry(self, row: int) -> ListEntry | None:
        return self._entries[row] if 0 <= row < len(self._entries) else None

    # --- reading ----------------------------------------------------------------------------------
    def rowCount(self, parent: IndexLike = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: IndexLike = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return _HEADERS[section] if 0 <= section < len(_HEADERS) else None
        return str(section + 1)

    def data(self, index: IndexLike, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        e = self._entries[index.row()]
        if role == ID_ROLE:
            return e.id
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                        Qt.ItemDataRole.AccessibleTextRole):
            return None
        col = index.column()
        if col == COL_NAME:
            text = e.name or e.id
        elif col == COL_PLACE:
            text = f"{e.commune} ({e.departement})" if e.commune and e.departement else e.commune
        else:
            text = _STATES.get(e.state, "")
        return tooltip(text) if role == Qt.ItemDataRole.ToolTipRole else text

    # --- moving -----------------------------------------------------------------------------------
    def flags(self, index: IndexLike) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid():
            return base | Qt.ItemFlag.ItemIsDragEnabled
        return Qt.ItemFlag.ItemIsDropEnabled

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [ROWS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({i.row() for i in indexes if i.isValid()})
        mime = QMimeData()
        mime.setData(ROWS_MIME, QByteArray(",".join(map(str, rows)).encode()))
        return mime

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: IndexLike) -> bool:
        return data.hasFormat(ROWS_MIME) and action == Qt.DropAction.MoveAction

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: IndexLike) -> bool:
        """Move the dragged rows before `row` (or onto `parent`'s row). Returns False on purpose: the
        rows have moved already, and a True would make the view remove the "source" rows after it."""
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        text = bytes(data.data(ROWS_MIME).data()).decode()
        rows = [int(x) for x in text.split(",") if x]
        target = row if row >= 0 else parent.row() if parent.isValid() else len(self._entries)
        self.move_rows(rows, target)
        return False

    def move(self, row: int, step: int) -> bool:
        """Move one row up (-1) or down (+1); returns whether it moved."""
        target = row + step
        if not (0 <= row < len(self._entries) and 0 <= target < len(self._entries)):
            return False
        return self.move_rows([row], target + 1 if step > 0 else target)

    def move_rows(self, rows: Sequence[int], before: int) -> bool:
        """Move the given rows (kept in their order) so that they sit before row `before`."""
        rows = sorted({r for r in rows if 0 <= r < len(self._entries)})
        if not rows:
            return False
        moving = [self._entries[r] for r in rows]
        kept = [e for i, e in enumerate(self._entries) if i not in set(rows)]
        at = before - sum(1 for r in rows if r < before)
        new = kept[:at] + moving + kept[at:]
        if new == self._entries:
            return False
        self.layoutAboutToBeChanged.emit()
        old = self._entries
        position = {id(e): i for i, e in enumerate(new)}
        self._entries = new
        for persistent in self.persistentIndexList():
            if 0 <= persistent.row() < len(old):
                moved_to = position[id(old[persistent.row()])]
                self.changePersistentIndex(persistent, self.index(moved_to, persistent.column()))
        self.layoutChanged.emit()
        self.reordered.emit(self.ids())
        return True
