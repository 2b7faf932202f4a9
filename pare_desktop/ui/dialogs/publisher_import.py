"""Importing a directory file from the app: read and apply on the worker, rejects shown before applying."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ...core.directory import Directory, ImportOutcome
from ...core.errors import MissingNameColumn
from ...core.importers import ImportBatch, read_file, write_rejects
from ...core.importers.column_map import MappingStore, remembered_columns, shape_of, suggest
from ...core.progress import Progress, check_cancelled
from ..errors import describe
from ..tasks import TaskRunner
from .column_mapping import ColumnMappingDialog

_FILTER = "Annuaires (*.csv *.xlsx *.json *.jsonl *.geojson *.umap);;Tous les fichiers (*)"


def _read(path: Path, columns: dict[str, str] | None, store: MappingStore | None,
          progress: Progress) -> ImportBatch:
    progress.set_status("Lecture du fichier…")
    # the user's own column mapping, given now or remembered for a file of the same shape
    batch = read_file(path, columns=columns or remembered_columns(path, store))
    check_cancelled(progress)
    return batch


def _apply(directory: Directory, batch: ImportBatch, progress: Progress) -> ImportOutcome:
    return directory.import_batch(batch, progress)


class PublisherImport(QObject):
    """Asks for a file, reads it, asks what to do with rejected rows, applies all or nothing."""

    imported = Signal(object)  # ImportOutcome

    def __init__(self, parent: QWidget, directory: Directory, runner: TaskRunner) -> None:
        super().__init__(parent)
        self._parent = parent
        self._directory = directory
        self._runner = runner
        self.box: QMessageBox | None = None
        self.mapping_dialog: ColumnMappingDialog | None = None
        self._warnings: tuple[str, ...] = ()
        # remembered column mappings, beside the database (user data, not publisher data)
        folder = getattr(directory, "path", None)
        self._store = MappingStore(Path(folder).parent / "colonnes-import.json") if folder else None

    def ask(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self._parent, self.tr("Importer un annuaire"), str(Path.home()), self.tr(_FILTER)
        )
        if path:
            self.start(Path(path))

    def start(self, path: Path, columns: dict[str, str] | None = None) -> Any:
        return self._runner.submit(
            _read,
            path,
            columns,
            self._store,
            on_done=lambda b: self._read_done(path, b),
            on_error=lambda exc: self._read_failed(path, exc),
            progress_title=self.tr("Lecture de l'annuaire…"),
        )

    def _read_done(self, path: Path, batch: ImportBatch) -> None:
        if not batch.rejects:
            self.apply(batch)
            return
        shown = "\n".join(f"• {r.location}, {r.field} : {r.reason}" for r in batch.rejects[:8])
        more = len(batch.rejects) - 8
        if more > 0:
            shown += "\n" + self.tr("… et %1 autre(s).").replace("%1", str(more))
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Lignes rejetées"),
            self.tr("%1 : %2 ligne(s) ne peuvent pas être importées ; rien n'a été modifié.")
            .replace("%1", path.name)
            .replace("%2", str(batch.rejected_rows)),
            QMessageBox.StandardButton.NoButton,
            self._parent,
        )
        box.setInformativeText(shown)
        skip = box.addButton(
            self.tr("Importer les %1 structure(s) valides").replace("%1", str(len(batch.records))),
            QMessageBox.ButtonRole.AcceptRole,
        )
        save = box.addButton(self.tr("Enregistrer les rejets…"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(self.tr("Annuler"), QMessageBox.ButtonRole.RejectRole)
        skip.setEnabled(bool(batch.records))

        def clicked(button: Any) -> None:
            if button is skip:
                self.apply(batch)
            elif button is save:
                target, _ = QFileDialog.getSaveFileName(
                    self._parent,
                    self.tr("Enregistrer les rejets"),
                    str(path.with_name(path.stem + "-rejets.csv")),
                    self.tr("CSV (*.csv)"),
                )
                if target:
                    write_rejects(Path(target), batch)

        box.buttonClicked.connect(clicked)
        box.setModal(False)
        box.show()
        self.box = box

    def apply(self, batch: ImportBatch) -> Any:
        self._warnings = tuple(getattr(batch, "warnings", ()))  # told once the import is done
        return self._runner.submit(
            _apply,
            self._directory,
            batch,
            on_done=self._applied,
            on_error=self._failed,
            progress_title=self.tr("Import de l'annuaire…"),
        )

    def _applied(self, outcome: ImportOutcome) -> None:
        text = (
            self.tr("%1 structure(s) ajoutée(s), %2 mise(s) à jour.")
            .replace("%1", str(outcome.added))
            .replace("%2", str(outcome.updated))
        )
        if outcome.demo_retired:
            text += " " + self.tr("Les fiches de démonstration ont été retirées.")
        self.box = QMessageBox(
            QMessageBox.Icon.Information,
            self.tr("Import terminé"),
            text,
            QMessageBox.StandardButton.Ok,
            self._parent,
        )
        if self._warnings:
            self.box.setInformativeText("\n".join(f"• {w}" for w in self._warnings))
        self.box.setModal(False)
        self.box.show()
        self.imported.emit(outcome)

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
