"""Contact lists: create, rename, duplicate, delete, reorder, remove, add favourites, export; local import."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGridLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..errors import describe

ID_ROLE = Qt.ItemDataRole.UserRole


def import_local_file(directory: Any, path: Path) -> int:
    """Read a coordinator's CSV/XLSX as local structures (all rows valid, or nothing) and save them."""
    from ...core.errors import require_valid
    from ...core.importers import read_file

    batch = read_file(path, origin="local")
    require_valid(batch)
    return int(directory.import_batch(batch).added)


class ListsPanel(QWidget):
    """Named contact lists of the user data; a list mixes directory and local structures."""

    lists_changed = Signal()
    structure_activated = Signal(str)  # an item double-clicked: its structure id

    def __init__(self, directory: Any, runner: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._directory = directory
        self._runner = runner
        self.lists = QListWidget()
        self.items = QListWidget()
        self.items.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.items.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.items.model().rowsMoved.connect(self._save_order)
        self.items.itemDoubleClicked.connect(lambda it: self.structure_activated.emit(it.data(ID_ROLE)))
        self.lists.currentRowChanged.connect(lambda _: self._load_items())
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.dialog: Any = None
        grid = QGridLayout()
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(QLabel(self.tr("Listes")))
        left.addWidget(self.lists)
        right.addWidget(QLabel(self.tr("Structures de la liste")))
        right.addWidget(self.items)
        for box, buttons in (
            (
                left,
                (
                    (self.tr("Nouvelle liste…"), self._ask_create),
                    (self.tr("Renommer…"), self._ask_rename),
                    (self.tr("Dupliquer…"), self._ask_duplicate),
                    (self.tr("Supprimer…"), self._ask_delete),
                    (self.tr("Exporter / imprimer…"), self.open_export),
                    (self.tr("Importer des contacts locaux…"), self._ask_import),
                ),
            ),
            (
                right,
                (
                    (self.tr("Monter"), lambda: self.move_selected(-1)),
                    (self.tr("Descendre"), lambda: self.move_selected(1)),
                    (self.tr("Retirer de la liste"), self.remove_selected),
                    (self.tr("Ajouter les favoris"), self.add_favourites),
                ),
            ),
        ):
            for text, slot in buttons:
                b = QPushButton(text)
                b.clicked.connect(slot)
                box.addWidget(b)
        grid.addLayout(left, 0, 0)
        grid.addLayout(right, 0, 1)
        grid.setColumnStretch(1, 2)
        grid.addWidget(self.message, 1, 0, 1, 2)
        self.setLayout(grid)
        self.reload()

    # --- reading ------------------------------------------------------------------------------------
    def current_list_id(self) -> int | None:
        item = self.lists.currentItem()
        return None if item is None else int(item.data(ID_ROLE))

    def current_list_name(self) -> str:
        item = self.lists.currentItem()
        return "" if item is None else str(item.data(Qt.ItemDataRole.UserRole + 1))

    def reload(self, select: int | None = None) -> None:
        select = select if select is not None else self.current_list_id()
        self.lists.blockSignals(True)
        self.lists.clear()
        for info in self._directory.user.lists():
            item = QListWidgetItem(f"{info.name} ({info.count})")
            item.setData(ID_ROLE, info.id)
            item.setData(Qt.ItemDataRole.UserRole + 1, info.name)
            self.lists.addItem(item)
            if info.id == select:
                self.lists.setCurrentItem(item)
        if self.lists.currentRow() < 0 and self.lists.count():
            self.lists.setCurrentRow(0)
        self.lists.blockSignals(False)
        self._load_items()

    def _load_items(self) -> None:
        self.items.clear()
        lid = self.current_list_id()
        if lid is None:
            return
        ids = self._directory.user.list_ids(lid)
        found = {s.id: s for s in self._directory.get_many(ids)}
        for sid in ids:
            s = found.get(sid)
            text = s.name if s else self.tr("(structure indisponible : %1)").replace("%1", sid)
            if s is not None and s.is_local:
                text += self.tr(" — contact local")
            if s is not None and s.withdrawn:
                text += self.tr(" — retirée de l'annuaire")
            item = QListWidgetItem(text)
            item.setData(ID_ROLE, sid)
            self.items.addItem(item)

    def item_ids(self) -> list[str]:
        return [self.items.item(i).data(ID_ROLE) for i in range(self.items.count())]

    # --- editing ------------------------------------------------------------------------------------
    def _try(self, fn: Any, *args: Any) -> Any:
        try:
            result = fn(*args)
        except Exception as exc:  # ListNameError and typed core errors: shown in the panel
            self.message.setText(describe(exc)[0])
            return None
        self.message.clear()
        return result

    def create_list(self, name: str) -> int | None:
        lid = self._try(self._directory.user.create_list, name)
        if lid is not None:
            self.reload(lid)
            self.lists_changed.emit()
        return lid  # type: ignore[no-any-return]

    def rename_current(self, name: str) -> None:
        lid = self.current_list_id()
        if (
            lid is not None
            and self._try(self._directory.user.rename_list, lid, name) is None
            and not self.message.text()
        ):
            self.reload(lid)
            self.lists_changed.emit()

    def duplicate_current(self, name: str) -> int | None:
        lid = self.current_list_id()
        new = None if lid is None else self._try(self._directory.user.duplicate_list, lid, name)
        if new is not None:
            self.reload(new)
            self.lists_changed.emit()
        return None if new is None else int(new)

    def delete_current(self) -> None:
        lid = self.current_list_id()
        if lid is not None:
            self._directory.user.delete_list(lid)
            self.reload()
            self.lists_changed.emit()

    def add_to_current(self, ids: Sequence[str]) -> int:
        """Add structures (a search result, a selection) to the current list; returns how many were new."""
        lid = self.current_list_id()
        if lid is None:
            self.message.setText(self.tr("Créez ou choisissez d'abord une liste."))
            return 0
        n = self._directory.user.add_to_list(lid, ids)
        self.reload(lid)
        self.lists_changed.emit()
        return int(n)

    def add_favourites(self) -> int:
        return self.add_to_current(sorted(self._directory.user.favourite_ids()))

    def remove_selected(self) -> None:
        lid = self.current_list_id()
        ids = [it.data(ID_ROLE) for it in self.items.selectedItems()]
        if lid is not None and ids:
            self._directory.user.remove_from_list(lid, ids)
            self.reload(lid)
            self.lists_changed.emit()

    def move_selected(self, step: int) -> None:
        lid, row = self.current_list_id(), self.items.currentRow()
        if lid is None or row < 0 or not 0 <= row + step < self.items.count():
            return
        sid = self.items.item(row).data(ID_ROLE)
        self._directory.user.move_in_list(lid, sid, row + step)
        self._load_items()
        self.items.setCurrentRow(row + step)

    def _save_order(self, *_: Any) -> None:
        """After a drag: save the order shown (one position per item)."""
        lid = self.current_list_id()
        if lid is None:
            return
        for index, sid in enumerate(self.item_ids()):
            self._directory.user.move_in_list(lid, sid, index)

    # --- export and import --------------------------------------------------------------------------
    def open_export(self) -> None:
        from ..dialogs.export import ExportDialog

        lid = self.current_list_id()
        if lid is None:
            return
        name = self.current_list_name()
        self.dialog = ExportDialog(
            self._directory,
            self._runner,
            self._directory.user.list_ids(lid),
            name,
            (self.tr("Liste : %1").replace("%1", name),),
            self,
        )
        self.dialog.show()

    def import_local(self, path: Path) -> Any:
        """Import a CSV/XLSX of the coordinator's own contacts on the worker."""

        def done(n: int) -> None:
            self.message.setText(self.tr("%1 contact(s) local(aux) importé(s).").replace("%1", str(n)))
            self.reload()

        return self._runner.submit(
            import_local_file,
            self._directory,
            path,
            on_done=done,
            on_error=lambda exc: self.message.setText(describe(exc)[0]),
            progress_title=self.tr("Import des contacts locaux…"),
        )

    # --- dialogs (interactive use) ------------------------------------------------------------------
    def _ask_create(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("Nouvelle liste"), self.tr("Nom de la liste :"))
        if ok:
            self.create_list(name)

    def _ask_rename(self) -> None:
        name, ok = QInputDialog.getText(
            self, self.tr("Renommer la liste"), self.tr("Nouveau nom :"), text=self.current_list_name()
        )
        if ok:
            self.rename_current(name)

    def _ask_duplicate(self) -> None:
        name, ok = QInputDialog.getText(
            self,
            self.tr("Dupliquer la liste"),
            self.tr("Nom de la copie :"),
            text=self.tr("%1 (copie)").replace("%1", self.current_list_name()),
        )
        if ok:
            self.duplicate_current(name)

    def _ask_delete(self) -> None:
        if self.current_list_id() is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Supprimer la liste"),
            self.tr("Supprimer la liste « %1 » ? Les structures restent dans l'annuaire.").replace(
                "%1", self.current_list_name()
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_current()

    def _ask_import(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Importer des contacts locaux"), "", self.tr("Tableaux (*.csv *.xlsx)")
        )
        if name:
            self.import_local(Path(name))
