"""Which field each column of a spreadsheet is: the user maps the columns the importer did not recognise."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ...core.importers.column_map import DAY_HOURS, IGNORE
from ...core.importers.fields import FIELDS


class ColumnMappingDialog(QDialog):
    """One line per column: its header and a list of fields (« Ignorer cette colonne » first)."""

    def __init__(self, file_name: str, headers: Sequence[str], suggestion: Mapping[str, str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Colonnes du fichier"))
        self.setModal(False)
        intro = QLabel(self.tr("Le fichier « %1 » n'a pas de colonne reconnue comme le nom des structures. "
                               "Indiquez à quoi correspond chaque colonne ; ce choix sera retenu pour les "
                               "prochains fichiers de même forme.").replace("%1", file_name), self)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        body = QWidget(self)
        form = QFormLayout(body)
        self.combos: dict[str, QComboBox] = {}
        for header in headers:
            if not header.strip():
                continue
            combo = QComboBox(body)
            combo.addItem(self.tr("Ignorer cette colonne"), IGNORE)
            if suggestion.get(header) == DAY_HOURS:
                combo.addItem(self.tr("Horaires de ce jour"), DAY_HOURS)
            for key, (label, _) in FIELDS.items():
                combo.addItem(label[:1].upper() + label[1:], key)
            index = combo.findData(suggestion.get(header, IGNORE))
            combo.setCurrentIndex(max(index, 0))
            combo.setAccessibleName(self.tr("Champ de la colonne %1").replace("%1", header))
            name = QLabel(header, body)
            name.setTextFormat(Qt.TextFormat.PlainText)
            form.addRow(name, combo)
            self.combos[header] = combo
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        buttons = QDialogButtonBox(self)
        self.ok = buttons.addButton(self.tr("Importer avec ces colonnes"),
                                    QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("Annuler"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        for combo in self.combos.values():
            combo.currentIndexChanged.connect(self._check)
        self._check()

    def mapping(self) -> dict[str, str]:
        """Header -> field key (IGNORE for a column left out), as the user chose."""
        return {header: str(combo.currentData()) for header, combo in self.combos.items()}

    def _check(self) -> None:
        """A name column is needed; each field once."""
        chosen = [k for k in self.mapping().values() if k not in (IGNORE, DAY_HOURS)]
        ok = "nom" in chosen and len(chosen) == len(set(chosen))
        self.ok.setEnabled(ok)
        self.ok.setToolTip("" if ok else self.tr("Choisissez une colonne « Nom », et chaque champ une seule "
                                                 "fois."))
