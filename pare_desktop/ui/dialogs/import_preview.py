"""The import preview: what the file will change in each mode, how it was understood, the rejected lines."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.changes import MODE_ADD, MODE_REPLACE
from ...core.importers.batch import ImportBatch
from ...core.imports import ImportPreview
from .import_mapping import MappingPanel

#: how long after the user's last change of mapping the file is read again
REMAP_DELAY_MS = 300


def number(n: int) -> str:
    """French digit grouping: 12 345 (narrow no-break space)."""
    return f"{n:,}".replace(",", "\u202f")


def _plain(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class ImportPreviewDialog(QDialog):
    """Shows both modes' counts, how the file was understood (types, columns) and the rejects; nothing is
    applied until « Importer » is pressed. A change of mapping emits `remap`: the owner reads the file
    again on the worker and calls `show_preview` with the new counts."""

    confirmed = Signal(object)  # the ImportPreview of the chosen mode
    save_rejects = Signal()
    remap = Signal()  # the user changed a column or a type: read again with mapping.columns()/types()

    def __init__(self, file_name: str, previews: Mapping[str, ImportPreview], parent: QWidget | None,
                 batch: ImportBatch | None = None) -> None:
        super().__init__(parent)
        self.file_name = file_name
        self.previews = dict(previews)
        self.busy = False
        self._blocked = False
        self.setWindowTitle(self.tr("Importer un annuaire"))
        self.setObjectName("import-preview")
        layout = QVBoxLayout(self)
        self.heading = _plain("")
        layout.addWidget(self.heading)

        box = QGroupBox(self.tr("Que faire de ces structures ?"))
        modes = QVBoxLayout(box)
        self.add_button = QRadioButton(self.tr("&Ajouter et mettre à jour (recommandé)"))
        self.add_button.setToolTip(
            self.tr("Rien n'est retiré de l'annuaire ; les fiches de démonstration et leur bandeau restent.")
        )
        self.replace_button = QRadioButton(self.tr("&Remplacer tout l'annuaire"))
        self.replace_button.setToolTip(
            self.tr(
                "Les structures absentes du fichier et les fiches de démonstration sont retirées ; "
                "celles que vous avez annotées restent, marquées « retirée »."
            )
        )
        self.add_button.setChecked(True)
        self._group = QButtonGroup(self)
        for b in (self.add_button, self.replace_button):
            self._group.addButton(b)
            modes.addWidget(b)
        modes.addStretch(1)

        counts = QGroupBox(self.tr("Ce que l'import va faire"))
        form = QFormLayout(counts)
        self.count_labels: dict[str, QLabel] = {}
        for key, text in (
            ("added", self.tr("Nouvelles structures")),
            ("updated", self.tr("Mises à jour")),
            ("unchanged", self.tr("Inchangées")),
            ("absent", self.tr("Retirées (absentes du fichier)")),
            ("withdrawn", self.tr("Gardées mais marquées « retirée » (annotées)")),
            ("rejected", self.tr("Lignes rejetées")),
            # a services file: those it cannot complete (their structure not imported first), else hidden
            ("unmatched", self.tr("Services sans structure connue")),
        ):
            label = _plain("")
            label.setObjectName(f"count-{key}")
            self.count_labels[key] = label
            form.addRow(text, label)
        self._counts_form = form
        self.demo_label = _plain("")
        # its text can be long (demo records retired, replaced): the whole width of the box, wrapped
        form.addRow(QLabel(self.tr("Démonstration :")))
        form.addRow(self.demo_label)
        top = QHBoxLayout()  # side by side: the tables below get the height
        top.addWidget(box, 2)
        top.addWidget(counts, 3)
        layout.addLayout(top)

        # how the file was understood (issue 11 item 2): type values and columns, each one changeable
        self.mapping = MappingPanel(self)
        self.mapping.changed.connect(self._remap)
        # a choice is read after a short pause, so that a user typing « Prév » in a list is read once
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(REMAP_DELAY_MS)
        self._pause.timeout.connect(self.remap)
        self.mapping.blocked.connect(self._set_blocked)
        self.mapping_area = QVBoxLayout()
        self.mapping_area.addWidget(self.mapping)
        layout.addLayout(self.mapping_area, 1)

        self.rejects_note = _plain(self.tr("Lignes qui ne seront pas importées :"))
        layout.addWidget(self.rejects_note)
        self.rejects = QTableWidget(0, 3)
        self.rejects.setObjectName("rejects")
        self.rejects.setHorizontalHeaderLabels([self.tr("Où"), self.tr("Champ"), self.tr("Problème")])
        self.rejects.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rejects.verticalHeader().setVisible(False)
        self.rejects.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.rejects.setWordWrap(True)
        layout.addWidget(self.rejects, 1)

        self.status = _plain("")
        self.status.setObjectName("preview-status")
        layout.addWidget(self.status)
        self.buttons = QDialogButtonBox()
        self.import_button = QPushButton()
        self.import_button.setDefault(True)
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button = QPushButton(self.tr("Enregistrer les rejets…"))
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.clicked.connect(self.save_rejects)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("Annuler"))
        self.buttons.accepted.connect(self._confirm)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._group.buttonToggled.connect(lambda *_: self._show_counts())
        self.show_preview(self.previews, batch)

    def show_preview(self, previews: Mapping[str, ImportPreview], batch: ImportBatch | None = None) -> None:
        """Show what the file (read again after a change of mapping) would do; the chosen mode stays.
        Ignored while a newer choice waits to be read (its reading will come)."""
        if self._pause.isActive():
            return
        self.previews = dict(previews)
        self.busy = False
        first = self.previews[MODE_ADD]
        head = self.tr("%1 : %2 structure(s) lue(s)").replace("%1", self.file_name)
        head = head.replace("%2", number(first.importable))
        if first.rejects:
            head += self.tr(", %1 ligne(s) rejetée(s)").replace("%1", number(first.rejected_rows))
        self.heading.setText(head + ".")
        self.replace_button.setEnabled(MODE_REPLACE in self.previews)
        if MODE_REPLACE not in self.previews:
            self.add_button.setChecked(True)
        if batch is not None:
            self.mapping.show_batch(batch)
        else:
            self.mapping.setVisible(False)
        self.rejects.setRowCount(0)
        for r in first.rejects:
            row = self.rejects.rowCount()
            self.rejects.insertRow(row)
            for col, text in enumerate((r.location, r.field, r.reason)):
                self.rejects.setItem(row, col, QTableWidgetItem(text))  # plain text, no tooltip (no HTML)
        self.rejects.resizeRowsToContents()  # the whole reason, on several lines if need be
        for widget in (self.rejects, self.rejects_note, self.save_button):
            widget.setVisible(bool(first.rejects))
        self.status.setText("")
        self.status.setVisible(False)
        self._show_counts()

    def set_busy(self, busy: bool) -> None:
        """While the file is read again: « Importer » waits, the user is told (the lists stay usable)."""
        self.busy = busy
        self.status.setText(self.tr("Relecture du fichier avec vos choix…") if busy else "")
        self.status.setVisible(busy)
        self._show_counts()

    def _remap(self) -> None:
        self.set_busy(True)
        self._pause.start()

    def _set_blocked(self, blocked: bool) -> None:
        self._blocked = blocked
        self._show_counts()

    @property
    def mode(self) -> str:
        return MODE_REPLACE if self.replace_button.isChecked() else MODE_ADD

    @property
    def preview(self) -> ImportPreview:
        return self.previews[self.mode]

    def _show_counts(self) -> None:
        p = self.preview
        c = p.counts
        values = {
            "added": c.added,
            "updated": c.updated,
            "unchanged": c.unchanged,
            "absent": c.absent,
            "withdrawn": c.withdrawn,
            "rejected": p.rejected_rows,
            "unmatched": p.unmatched,
        }
        for key, n in values.items():
            self.count_labels[key].setText(number(n))
        self._counts_form.setRowVisible(self.count_labels["unmatched"], bool(p.unmatched))
        if c.demo_retired:
            text = self.tr("%1 fiche(s) de démonstration retirée(s)").replace("%1", number(c.demo_retired))
        elif self.mode == MODE_ADD:
            text = self.tr("conservée, avec son bandeau")
        else:
            text = self.tr("aucune fiche de démonstration")
        if c.superseded:
            more = self.tr(" ; %1 remplacée(s) par une structure du fichier : vos notes et listes suivent")
            text += more.replace("%1", number(c.superseded))
        self.demo_label.setText(text)
        n = p.importable
        if p.rejects:
            label = self.tr("&Importer les %1 structure(s) valides").replace("%1", number(n))
        else:
            label = self.tr("&Importer")
        self.import_button.setText(label)
        self.import_button.setEnabled(n > 0 and not self.busy and not self._blocked)

    @Slot()
    def _confirm(self) -> None:
        self.confirmed.emit(self.preview)
        self.accept()
