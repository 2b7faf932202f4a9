"""Importing a directory file from the app: read and preview on the worker, the user chooses the mode and
confirms, then apply; « Annuler le dernier import » puts the publisher data back as it was."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QWidget

from ...core.changes import MODE_ADD, MODES, ApplyOutcome, UndoOutcome
from ...core.directory import Directory
from ...core.errors import MissingNameColumn
from ...core.importers import ImportBatch, read_file, write_rejects
from ...core.importers.classify import fold_types
from ...core.importers.column_map import (
    MappingStore,
    remembered_columns,
    remembered_types,
    shape_of,
    suggest,
    types_key,
)
from ...core.importers.fields import header_key
from ...core.imports import ImportPreview
from ...core.progress import Progress, check_cancelled
from ...core.undo import LastImport
from ..errors import describe
from ..tasks import TaskRunner
from .column_mapping import ColumnMappingDialog
from .files import ask_open_path, ask_save_path
from .import_preview import ImportPreviewDialog, number

_FILTER = "Annuaires (*.csv *.xlsx *.json *.jsonl *.geojson *.umap);;Tous les fichiers (*)"


@dataclass(frozen=True, slots=True)
class FilePreview:
    """A file read, and what importing it would do in each mode."""

    path: Path
    batch: ImportBatch
    previews: dict[str, ImportPreview]


def _preview(directory: Directory, path: Path, columns: dict[str, str] | None, types: dict[str, str] | None,
             store: MappingStore | None, progress: Progress) -> FilePreview:
    """Read the file (with the user's columns and types, given now or remembered) and preview both modes."""
    progress.set_status("Lecture du fichier…")
    # the user's own column mapping, given now or remembered for a file of the same shape
    columns = columns or remembered_columns(path, store)
    batch = read_file(path, columns=columns, types=types, stream=True)  # data·inclusion: streamed
    check_cancelled(progress)
    if types is None:  # first reading: the types the user chose for a file of this shape, if any apply
        remembered = fold_types(remembered_types(batch.shape, store))
        if any(header_key(tv.value) in remembered for tv in batch.type_values):
            batch = read_file(path, columns=columns, types=remembered, stream=True)
            check_cancelled(progress)
    progress.set_status("Comparaison avec l'annuaire…")
    modes = (MODE_ADD,) if batch.services_only else MODES  # services complete structures, never replace
    return FilePreview(path, batch, {mode: directory.preview_import(batch, mode) for mode in modes})


def _apply(directory: Directory, preview: ImportPreview, progress: Progress) -> ApplyOutcome:
    return directory.apply_changes(preview.changes, progress)


def _undo(directory: Directory, progress: Progress) -> UndoOutcome:
    return directory.undo_last_import(progress)


class PublisherImport(QObject):
    """Asks for a file, previews it, applies the mode the user chose; undoes the last import."""

    imported = Signal(object)  # ApplyOutcome or UndoOutcome: the publisher data changed

    def __init__(self, parent: QWidget, directory: Directory, runner: TaskRunner) -> None:
        super().__init__(parent)
        self._parent = parent
        self._directory = directory
        self._runner = runner
        self.box: QMessageBox | None = None
        self.dialog: ImportPreviewDialog | None = None
        self.undo_action = QAction(self.tr("Annuler le &dernier import"), parent)
        self.undo_action.setEnabled(False)
        self.undo_action.triggered.connect(self.ask_undo)
        self.mapping_dialog: ColumnMappingDialog | None = None
        self._warnings: tuple[str, ...] = ()
        self._found: FilePreview | None = None  # what the preview dialog shows
        self._reading = 0  # the latest reading asked for: an older one that ends later is not shown
        # remembered column mappings, beside the database (user data, not publisher data)
        folder = getattr(directory, "path", None)
        self._store = MappingStore(Path(folder).parent / "colonnes-import.json") if folder else None
        self.refresh_undo_state()

    # --- import -------------------------------------------------------------------------------------------
    def ask(self) -> None:
        path = ask_open_path(self._parent, self.tr("Importer un annuaire"), self.tr(_FILTER))
        if path is not None:
            self.start(path)

    def start(self, path: Path, columns: dict[str, str] | None = None) -> Any:
        self._reading += 1
        return self._runner.submit(
            _preview,
            self._directory,
            path,
            columns,
            None,
            self._store,
            on_done=self._previewed,
            on_error=lambda exc: self._read_failed(path, exc),
            progress_title=self.tr("Lecture de l'annuaire…"),
        )

    def remap(self) -> Any:
        """The user changed a column or a type in the preview: read the file again with the choices."""
        dialog, found = self.dialog, self._found
        if dialog is None or found is None:
            return None
        self._reading += 1
        reading = self._reading

        def done(again: FilePreview) -> None:
            if reading != self._reading or self.dialog is not dialog:
                return  # a later choice is being read
            self._found = again
            self._warnings = tuple(again.batch.warnings)
            dialog.show_preview(again.previews, again.batch)

        def failed(exc: BaseException) -> None:
            if self.dialog is dialog:
                dialog.set_busy(False)
            self._failed(exc)

        return self._runner.submit(
            _preview,
            self._directory,
            found.path,
            dialog.mapping.columns(),
            dialog.mapping.types(),
            self._store,
            on_done=done,
            on_error=failed,
            progress_title=self.tr("Relecture de l'annuaire…"),
        )

    def _read_failed(self, path: Path, exc: BaseException) -> None:
        """No column is the name: ask which columns are what, remember it, read again."""
        if not isinstance(exc, MissingNameColumn):
            self._failed(exc)
            return
        dialog = ColumnMappingDialog(path.name, exc.headers, suggest(exc.headers), self._parent)

        def accepted() -> None:
            columns = dialog.mapping()
            if self._store is not None:
                with contextlib.suppress(OSError):
                    self._store.remember(shape_of(exc.headers), columns)
            self.start(path, columns)

        dialog.accepted.connect(accepted)
        dialog.show()
        self.mapping_dialog = dialog

    def _previewed(self, found: FilePreview) -> None:
        self._warnings = tuple(getattr(found.batch, "warnings", ()))  # told once the import is done
        self._found = found
        dialog = ImportPreviewDialog(found.path.name, found.previews, self._parent, found.batch)
        dialog.confirmed.connect(self._confirmed)
        dialog.save_rejects.connect(self._save_rejects)
        dialog.remap.connect(self.remap)
        dialog.setModal(False)
        dialog.show()
        self.dialog = dialog

    def _save_rejects(self) -> None:
        found = self._found
        if found is None:
            return
        suggested = found.path.stem + "-rejets.csv"
        title = self.tr("Enregistrer les rejets")
        target = ask_save_path(self.dialog, title, suggested, self.tr("CSV (*.csv)"))
        if target is not None:
            write_rejects(target, found.batch)

    def _confirmed(self, preview: ImportPreview) -> None:
        """The user imports: the columns and types chosen are kept for the next file of this shape."""
        dialog, found = self.dialog, self._found
        if dialog is not None and found is not None and self._store is not None and found.batch.shape:
            columns, types = dialog.mapping.columns(), dialog.mapping.types()
            with contextlib.suppress(OSError):
                if columns:
                    self._store.remember(found.batch.shape, columns)
                if types:  # added to the values remembered from other files of this shape
                    key = types_key(found.batch.shape)
                    self._store.remember(key, {**(self._store.get(key) or {}), **types})
        self.apply(preview)

    def apply(self, preview: ImportPreview) -> Any:
        return self._runner.submit(
            _apply,
            self._directory,
            preview,
            on_done=self._applied,
            on_error=self._failed,
            progress_title=self.tr("Import de l'annuaire…"),
        )

    def _applied(self, outcome: ApplyOutcome) -> None:
        text = (
            self.tr("%1 structure(s) ajoutée(s), %2 mise(s) à jour.")
            .replace("%1", number(outcome.added))
            .replace("%2", number(outcome.updated))
        )
        if outcome.absent:
            text += " " + self.tr("%1 retirée(s) car absente(s) du fichier.").replace(
                "%1", number(outcome.absent)
            )
        if outcome.demo_retired:
            text += " " + self.tr("Les fiches de démonstration ont été retirées.")
        text += " " + self.tr("Fichier › Annuler le dernier import permet de revenir en arrière.")
        self._inform(self.tr("Import terminé"), text)
        if self._warnings and self.box is not None:
            self.box.setInformativeText("\n".join(f"• {w}" for w in self._warnings))
        self.imported.emit(outcome)
        self.refresh_undo_state()

    # --- undo ---------------------------------------------------------------------------------------------
    def refresh_undo_state(self) -> Any:
        """Ask the worker whether an import can be undone; the action follows."""
        return self._runner.submit(
            self._directory.last_import, on_done=self._undo_state, on_error=self._failed
        )

    def _undo_state(self, last: LastImport | None) -> None:
        self.undo_action.setEnabled(last is not None)
        tip = (
            self.tr("Remettre l'annuaire tel qu'il était avant l'import « %1 » du %2")
            .replace("%1", last.source)
            .replace("%2", last.at.strftime("%d/%m/%Y à %H:%M"))
            if last
            else self.tr("Aucun import à annuler")
        )
        self.undo_action.setStatusTip(tip)
        self.undo_action.setToolTip(tip)

    def ask_undo(self) -> QMessageBox:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Annuler le dernier import"),
            self.tr(
                "Les données de l'annuaire reviennent à leur état d'avant le dernier import. "
                "Vos notes, favoris, listes et contacts locaux sont gardés."
            ),
            QMessageBox.StandardButton.NoButton,
            self._parent,
        )
        yes = box.addButton(self.tr("Annuler l'import"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Garder l'import"), QMessageBox.ButtonRole.RejectRole)
        box.buttonClicked.connect(lambda b: self.undo() if b is yes else None)
        box.setModal(False)
        box.show()
        self.box = box
        return box

    def undo(self) -> Any:
        return self._runner.submit(
            _undo,
            self._directory,
            on_done=self._undone,
            on_error=self._failed,
            progress_title=self.tr("Annulation de l'import…"),
        )

    def _undone(self, outcome: UndoOutcome) -> None:
        self._inform(
            self.tr("Import annulé"),
            self.tr("L'annuaire est revenu à son état d'avant l'import « %1 ».").replace(
                "%1", outcome.source
            ),
        )
        self.imported.emit(outcome)
        self.refresh_undo_state()

    # --- messages -----------------------------------------------------------------------------------------
    def _inform(self, title: str, text: str) -> None:
        self.box = QMessageBox(
            QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, self._parent
        )
        self.box.setModal(False)
        self.box.show()

    def _failed(self, exc: BaseException) -> None:
        message, _expected = describe(exc)
        self.box = QMessageBox(
            QMessageBox.Icon.Critical,
            self.tr("Import impossible"),
            message,
            QMessageBox.StandardButton.Ok,
            self._parent,
        )
        self.box.setModal(False)
        self.box.show()
