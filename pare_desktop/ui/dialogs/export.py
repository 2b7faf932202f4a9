"""The export dialog: format, columns, confidential data (pro mode), progress and cancel; "Imprimer…"."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core.export import EXTENSIONS, ExportOptions, export, prepare_records
from ...core.export.columns import COLUMNS
from ...core.hours_fr import hours_line
from ...core.phones import shown
from ...core.records import SORT_NAME, SearchQuery, Structure
from ..errors import describe
from .files import ask_save_path

#: A territory code that matches nothing: with include_national, the search returns the national lines.
NO_TERRITORY = "—"

FORMAT_FILTERS = {
    "csv": "Fichier CSV (*.csv)",
    "xlsx": "Classeur Excel (*.xlsx)",
    "vcard": "Carnet d'adresses vCard (*.vcf)",
    "pdf": "Document PDF (*.pdf)",
    "geojson": "GeoJSON (*.geojson)",
}

FORMAT_NAMES = (
    ("csv", "CSV (Excel)"),
    ("xlsx", "Classeur Excel (XLSX)"),
    ("vcard", "vCard (carnet d'adresses)"),
    ("pdf", "PDF imprimable"),
    ("geojson", "GeoJSON (SIG, uMap)"),
)


def print_document(records: Sequence[Structure], title: str) -> QTextDocument:
    """A printable document built with insertText only: data is never read as HTML."""
    doc = QTextDocument()
    cursor = QTextCursor(doc)
    bold = QTextCharFormat()
    bold.setFontWeight(700)
    plain = QTextCharFormat()
    cursor.insertText(title + "\n\n", bold)
    for s in records:
        cursor.insertText(s.name + "\n", bold)
        lines = [" ".join(x for x in (s.address, s.postal_code, s.commune) if x)]
        lines += [f"{p.label or 'Tél.'} : {shown(p, s.departement)}" for p in s.phones]
        lines += [*list(s.emails), s.website]
        if hours := hours_line(s.opening_hours, s.hours_text):
            lines.append("Horaires : " + hours)
        cursor.insertText("\n".join(x for x in lines if x) + "\n\n", plain)
    return doc


class ExportDialog(QDialog):
    """Export `ids` (results, a selection, a list, the favourites) through the task runner."""

    exported = Signal(str, int)  # path, structures written

    def __init__(
        self,
        directory: Any,
        runner: Any,
        ids: Sequence[str],
        title: str,
        filters: Sequence[str] = (),
        parent: QWidget | None = None,
        *,
        is_list: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Exporter — %1").replace("%1", title))
        self._directory = directory
        self._runner = runner
        self._ids = list(ids)
        self._title = title
        self._filters = tuple(filters)
        self._is_list = is_list
        self.format = QComboBox()
        for key, name in FORMAT_NAMES:
            self.format.addItem(self.tr(name), key)
        self.columns = QListWidget()
        for c in COLUMNS:
            item = QListWidgetItem(c.header)
            item.setData(Qt.ItemDataRole.UserRole, c.key)
            chosen = c.default and not c.confidential
            item.setCheckState(Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)
            self.columns.addItem(item)
        self.confidential = QCheckBox(self.tr("Inclure les données confidentielles (usage professionnel)"))
        self.confidential.setEnabled(bool(directory.pro_mode))
        self.national = QCheckBox(self.tr("Ajouter à la fin les lignes nationales (119, 3020…)"))
        self.national.setChecked(is_list)
        self.separator = QComboBox()
        self.separator.addItem(self.tr("point-virgule (Excel français)"), ";")
        self.separator.addItem(self.tr("virgule"), ",")
        self.vcard_version = QComboBox()
        self.vcard_version.addItem("4.0", "4.0")
        self.vcard_version.addItem(self.tr("3.0 (anciens téléphones)"), "3.0")
        self.status = QLabel(self._count_text())
        self.national.toggled.connect(lambda _on: self.status.setText(self._count_text()))
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.export_button = QPushButton(self.tr("Exporter…"))
        self.print_button = QPushButton(self.tr("Imprimer…"))
        close = QPushButton(self.tr("Fermer"))
        self.export_button.clicked.connect(self._ask_path)
        self.print_button.clicked.connect(self._print)
        close.clicked.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Format"), self.format)
        form.addRow(self.tr("Colonnes (CSV, XLSX, GeoJSON)"), self.columns)
        form.addRow(self.tr("Séparateur CSV"), self.separator)
        form.addRow(self.tr("Version vCard"), self.vcard_version)
        form.addRow(self.national)
        form.addRow(self.confidential)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.status)
        lay.addLayout(buttons)
        self.task: Any = None

    def _count_text(self) -> str:
        text = self.tr("%n structure(s) à exporter", "", len(self._ids))
        return text + self.tr(", puis les lignes nationales") if self.national.isChecked() else text

    def options(self) -> ExportOptions:
        cols = tuple(
            self.columns.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.columns.count())
            if self.columns.item(i).checkState() == Qt.CheckState.Checked
        )
        return ExportOptions(
            columns=cols or None,
            include_confidential=self.confidential.isChecked(),
            pro_mode=bool(self._directory.pro_mode),
            separator=self.separator.currentData(),
            vcard_version=self.vcard_version.currentData(),
            title=self._title,
            filters=self._filters,
            keep_order=self._is_list,
        )

    def export_to(self, path: Path) -> Any:
        """Write the file on the worker (progress dialog after 600 ms, cancellable); returns the task."""
        fmt = self.format.currentData()
        options = self.options()
        directory, ids = self._directory, self._ids

        with_national = self.national.isChecked()

        def work(progress: Any) -> int:
            records, extra = collect(directory, ids, with_national)
            final = replace(options, dataset_version=dataset_version(directory),
                            appendix=tuple(s.id for s in extra))
            return export(records + extra, fmt, path, final, progress)

        self.export_button.setEnabled(False)
        self.task = self._runner.submit(
            work,
            on_done=lambda n: self._done(path, n),
            on_error=self._failed,
            on_cancelled=self._cancelled,
            progress_title=self.tr("Export en cours…"),
            cancellable=True,
        )
        return self.task

    def _done(self, path: Path, n: int) -> None:
        self.export_button.setEnabled(True)
        self.status.setText(
            self.tr("%1 : %2 structure(s) exportée(s).").replace("%1", path.name).replace("%2", str(n))
        )
        self.exported.emit(str(path), n)

    def _failed(self, exc: BaseException) -> None:
        self.export_button.setEnabled(True)
        self.status.setText(describe(exc)[0])

    def _cancelled(self) -> None:
        self.export_button.setEnabled(True)
        self.status.setText(self.tr("Export annulé : aucun fichier écrit."))

    def _ask_path(self) -> None:
        fmt = self.format.currentData()
        name = FORMAT_FILTERS[fmt]
        path = ask_save_path(self, self.tr("Exporter"), safe_file_name(self._title) + EXTENSIONS[fmt],
                             self.tr(name))
        if path is not None:
            self.export_to(path if path.suffix else path.with_suffix(EXTENSIONS[fmt]))

    def _print(self) -> None:
        """Records are read on the worker; the print dialog opens when they are there."""
        directory, ids, confidential = self._directory, self._ids, self.confidential.isChecked()
        with_national = self.national.isChecked()

        def work() -> list[Structure]:
            records, extra = collect(directory, ids, with_national)
            return prepare_records(records + extra, confidential)

        self._runner.submit(work, on_done=self._print_records, on_error=self._failed)

    def _print_records(self, records: list[Structure]) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter()
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            print_document(records, self._title).print_(printer)


def collect(
    directory: Any, ids: Sequence[str], with_national: bool
) -> tuple[list[Structure], list[Structure]]:
    """(the records asked for in their order, the national lines to add after them) — on the worker."""
    records = directory.get_many(ids)
    if not with_national:
        return records, []
    present = {s.id for s in records}
    national = directory.search(SearchQuery(territories=(NO_TERRITORY,), sort=SORT_NAME)).ids
    return records, [s for s in directory.get_many(list(national)) if s.id not in present]


def dataset_version(directory: Any) -> str:
    """What the export says about the data's version (read on the worker)."""
    info = directory.dataset_info()
    return str(info.version) if info.version is not None else ("démonstration" if info.is_demo else "")


def safe_file_name(title: str) -> str:
    """A title as a file name: no path separators or characters Windows refuses."""
    cleaned = "".join("-" if c in '\\/:*?"<>|' else c for c in title).strip(" .")
    return cleaned or "export"
