"""Contact lists: create, rename, duplicate, delete, reorder, remove, add favourites, export; local import."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListView,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...core import contact_lists
from ..dialogs.files import ask_open_path
from ..errors import describe
from .models import COL_NAME, COL_PLACE, COL_STATE, ID_ROLE, ContactListsModel, ListEntriesModel


def import_local_file(directory: Any, path: Path) -> int:
    """Read a coordinator's CSV/XLSX as local structures (all rows valid, or nothing) and save them."""
    from ...core.errors import require_valid
    from ...core.importers import read_file

    batch = read_file(path, origin="local")
    require_valid(batch)
    return int(directory.import_batch(batch).added)


class ListsPanel(QWidget):
    """Named contact lists of the user data; a list mixes directory and local structures.

    Every read and write goes through the task runner (the GUI thread never runs SQL): each change
    returns the Task, and the views are refreshed from the snapshot the worker hands back.
    """

    lists_changed = Signal()
    structure_activated = Signal(str)  # an item double-clicked: its structure id
    loaded = Signal()  # the views show a fresh snapshot

    def __init__(self, directory: Any, runner: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._directory = directory
        self._runner = runner
        self._current: int | None = None
        self.lists_model = ContactListsModel(self)
        self.entries_model = ListEntriesModel(self)
        self.entries_model.reordered.connect(self._save_order)
        self.lists = QListView()
        self.lists.setModel(self.lists_model)
        self.lists.setAccessibleName(self.tr("Listes"))
        self.lists.selectionModel().currentRowChanged.connect(self._list_chosen)
        self.lists.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.lists.customContextMenuRequested.connect(self._lists_menu)
        self.items = QTableView()
        self.items.setModel(self.entries_model)
        self.items.setAccessibleName(self.tr("Structures de la liste"))
        self.items.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.items.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.items.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.items.setDragDropOverwriteMode(False)
        self.items.setDropIndicatorShown(True)
        self.items.setWordWrap(False)  # one line a structure; the tooltip gives the whole name
        header = self.items.horizontalHeader()
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_PLACE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_STATE, QHeaderView.ResizeMode.ResizeToContents)
        self.items.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.items.doubleClicked.connect(
            lambda index: self.structure_activated.emit(index.siblingAtColumn(0).data(ID_ROLE)))
        self.items.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.items.customContextMenuRequested.connect(self._items_menu)
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.dialog: Any = None
        self.menu: QMenu | None = None
        grid = QGridLayout()
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(QLabel(self.tr("Listes")))
        left.addWidget(self.lists)
        right.addWidget(QLabel(self.tr("Structures de la liste (glisser pour changer l'ordre)")))
        right.addWidget(self.items)
        self.list_actions = self._make_actions((
            (self.tr("Nouvelle liste…"), self._ask_create),
            (self.tr("Renommer…"), self._ask_rename),
            (self.tr("Dupliquer…"), self._ask_duplicate),
            (self.tr("Supprimer…"), self._ask_delete),
            (self.tr("Exporter / imprimer la liste…"), self.open_export),
            (self.tr("Importer des contacts locaux…"), self._ask_import),
        ))
        self.item_actions = self._make_actions((
            (self.tr("Monter"), lambda: self.move_selected(-1)),
            (self.tr("Descendre"), lambda: self.move_selected(1)),
            (self.tr("Retirer de la liste"), self.remove_selected),
            (self.tr("Ajouter les favoris"), self.add_favourites),
        ))
        self.item_actions[0].setShortcut("Ctrl+Up")
        self.item_actions[1].setShortcut("Ctrl+Down")
        self.item_actions[2].setShortcut("Delete")
        for action in self.item_actions[:3]:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.items.addAction(action)
        for box, actions in ((left, self.list_actions), (right, self.item_actions)):
            for action in actions:
                b = QPushButton(action.text())
                b.clicked.connect(action.trigger)
                box.addWidget(b)
        grid.addLayout(left, 0, 0)
        grid.addLayout(right, 0, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 3)
        grid.addWidget(self.message, 1, 0, 1, 2)
        self.setLayout(grid)
        self.reload()

    def _make_actions(self, specs: Sequence[tuple[str, Any]]) -> list[QAction]:
        out = []
        for text, slot in specs:
            action = QAction(text, self)
            action.triggered.connect(slot)
            out.append(action)
        return out

    # --- reading ------------------------------------------------------------------------------------
    def current_list_id(self) -> int | None:
        return self._current

    def current_list_name(self) -> str:
        info = self.lists_model.info(self.lists_model.row_of(self._current))
        return "" if info is None else info.name

    def item_ids(self) -> list[str]:
        return self.entries_model.ids()

    def item_texts(self) -> list[str]:
        """What each row shows: name, and its remark after « — » when there is one."""
        out = []
        for row in range(self.entries_model.rowCount()):
            name = self.entries_model.index(row, COL_NAME).data()
            remark = self.entries_model.index(row, COL_STATE).data()
            out.append(f"{name} — {remark}" if remark else name)
        return out

    def reload(self, select: int | None = None) -> Any:
        """Read the lists (and the current list's entries) on the worker; returns the Task."""
        chosen = select if select is not None else self._current
        return self._runner.submit(contact_lists.snapshot, self._directory, chosen,
                                   on_done=self._show, on_error=self._failed, key="lists-read")

    def _show(self, snap: contact_lists.ListsSnapshot) -> None:
        self._current = snap.current
        selection = self.lists.selectionModel()
        selection.blockSignals(True)
        self.lists_model.set_lists(snap.lists)
        row = self.lists_model.row_of(snap.current)
        if row >= 0:
            self.lists.setCurrentIndex(self.lists_model.index(row))
        selection.blockSignals(False)
        self.entries_model.set_entries(snap.entries)
        self.loaded.emit()

    def _list_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and current.data(ID_ROLE) != self._current:
            self._current = int(current.data(ID_ROLE))
            self.entries_model.set_entries(())
            self.reload(self._current)

    # --- editing (each one: write on the worker, then show the snapshot it returns) ------------------
    def _change(self, write: Any, *, select: int | None = None, then_select_result: bool = False,
                result_box: list[Any] | None = None) -> Any:
        directory, chosen = self._directory, select if select is not None else self._current

        def work() -> contact_lists.ListsSnapshot:
            result = write(directory.user)
            if result_box is not None:
                result_box.append(result)
            target = result if then_select_result and isinstance(result, int) else chosen
            return contact_lists.snapshot(directory, target)

        def done(snap: contact_lists.ListsSnapshot) -> None:
            self.message.clear()
            self._show(snap)
            self.lists_changed.emit()

        return self._runner.submit(work, on_done=done, on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        # ListNameError and typed core errors: shown in the panel, in French
        self.message.setText(describe(exc)[0])

    def create_list(self, name: str) -> Any:
        return self._change(lambda user: user.create_list(name), then_select_result=True)

    def rename_current(self, name: str) -> Any:
        lid = self._current
        if lid is None:
            return None
        return self._change(lambda user: user.rename_list(lid, name))

    def duplicate_current(self, name: str) -> Any:
        lid = self._current
        if lid is None:
            return None
        return self._change(lambda user: user.duplicate_list(lid, name), then_select_result=True)

    def delete_current(self) -> Any:
        lid = self._current
        if lid is None:
            return None
        self._current = None
        return self._change(lambda user: user.delete_list(lid))

    def add_to_current(self, ids: Sequence[str]) -> Any:
        """Add structures (a search result, a selection) to the current list; the Task's result counts."""
        lid = self._current
        if lid is None:
            self.message.setText(self.tr("Créez ou choisissez d'abord une liste."))
            return None
        wanted = list(ids)
        return self._change(lambda user: user.add_to_list(lid, wanted))

    def add_favourites(self) -> Any:
        lid = self._current
        if lid is None:
            self.message.setText(self.tr("Créez ou choisissez d'abord une liste."))
            return None
        return self._change(lambda user: user.add_to_list(lid, sorted(user.favourite_ids())))

    def selected_rows(self) -> list[int]:
        return sorted({i.row() for i in self.items.selectionModel().selectedRows()})

    def remove_selected(self) -> Any:
        lid = self._current
        ids = [self.entries_model.ids()[r] for r in self.selected_rows()]
        if lid is None or not ids:
            return None
        return self._change(lambda user: user.remove_from_list(lid, ids))

    def move_selected(self, step: int) -> None:
        """Move the current row up or down; the new order is saved on the worker in one write."""
        row = self.items.currentIndex().row()
        if self.entries_model.move(row, step):
            index = self.entries_model.index(row + step, COL_NAME)
            self.items.setCurrentIndex(index)

    def _save_order(self, ids: list[str]) -> None:
        lid = self._current
        if lid is not None:
            self._runner.submit(self._directory.user.set_order, lid, ids, on_error=self._failed)

    # --- context menus ------------------------------------------------------------------------------
    def _lists_menu(self, pos: QPoint) -> None:
        self.menu = QMenu(self)
        for action in self.list_actions:
            self.menu.addAction(action)
        self.menu.popup(self.lists.viewport().mapToGlobal(pos))

    def _items_menu(self, pos: QPoint) -> None:
        self.menu = QMenu(self)
        for action in self.item_actions:
            self.menu.addAction(action)
        self.menu.addSeparator()
        self.menu.addAction(self.list_actions[4])
        self.menu.popup(self.items.viewport().mapToGlobal(pos))

    # --- export and import --------------------------------------------------------------------------
    def open_export(self) -> Any:
        """The export dialog for the current list, in the order shown."""
        from ..dialogs.export import ExportDialog

        if self._current is None:
            self.message.setText(self.tr("Créez ou choisissez d'abord une liste."))
            return None
        name = self.current_list_name()
        self.dialog = ExportDialog(
            self._directory,
            self._runner,
            self.item_ids(),
            name,
            (self.tr("Liste : %1").replace("%1", name),),
            self,
            is_list=True,
        )
        self.dialog.show()
        return self.dialog

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
        path = ask_open_path(self, self.tr("Importer des contacts locaux"),
                             self.tr("Tableaux (*.csv *.xlsx)"))
        if path is not None:
            self.import_local(path)
