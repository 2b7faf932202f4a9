"""The sync history dialog: one table model over the sync_history rows, newest first."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QTableView, QVBoxLayout, QWidget

from ...sync.history import HistoryEntry
from .. import plain

OUTCOMES = {
    "updated": "mise à jour",
    "up_to_date": "déjà à jour",
    "failed": "échec",
    "cancelled": "annulée",
    "offline": "hors ligne",
}
COL_DATE, COL_OUTCOME, COL_FROM, COL_TO, COL_BYTES, COL_MESSAGE = range(6)
HEADERS = ("Date", "Résultat", "De la version", "À la version", "Téléchargé", "Détail")

Index = QModelIndex | QPersistentModelIndex


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} Mo" if n >= 1_000_000 else f"{n / 1000:.0f} ko" if n >= 1000 else f"{n} o"


class SyncHistoryModel(QAbstractTableModel):
    """Rows of the sync history (frozen entries)."""

    def __init__(self, entries: list[HistoryEntry], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entries = entries

    def set_entries(self, entries: list[HistoryEntry]) -> None:
        self.beginResetModel()
        self._entries = entries
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.tr(HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        e = self._entries[index.row()]
        col = index.column()
        if col == COL_DATE:
            return e.started_at.strftime("%d/%m/%Y %H:%M")
        if col == COL_OUTCOME:
            return self.tr(OUTCOMES.get(e.outcome, e.outcome))
        if col == COL_FROM:
            return "" if e.from_version is None else str(e.from_version)
        if col == COL_TO:
            return "" if e.to_version is None else str(e.to_version)
        if col == COL_BYTES:
            return _size(e.bytes_downloaded)
        return plain.tooltip(e.message) if role == Qt.ItemDataRole.ToolTipRole else e.message


class SyncHistoryDialog(QDialog):
    """Non-modal: the user keeps working while it is open."""

    def __init__(self, entries: list[HistoryEntry], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Historique des synchronisations"))
        self.model = SyncHistoryModel(entries, self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setAccessibleName(self.tr("Historique des synchronisations"))
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.horizontalHeader().setSectionResizeMode(COL_MESSAGE, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(buttons)
        self.resize(820, 360)
