"""The import preview's mapping: how each column was read and which structure type each value became."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...core import vocabulary
from ...core.importers.batch import ImportBatch, TypeValue
from ...core.importers.column_map import DAY_HOURS, IGNORE
from ...core.importers.fields import FIELDS

UNCLASSIFIED = vocabulary.UNCLASSIFIED_TYPE
#: the background of a value classified « Non classé » (light amber, dark text stays readable)
UNCLASSIFIED_BACKGROUND = QColor(255, 228, 181)


def _number(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def _item(text: str, tip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)  # plain text: a value from the file is never markup
    item.setFlags(Qt.ItemFlag.ItemIsEnabled)
    if tip:
        item.setToolTip(tip)
    return item


def _note(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


def field_combo(current: str, parent: QWidget | None = None) -> QComboBox:
    """The fields a column can be read as (« Ignorer cette colonne » first), `current` selected."""
    combo = QComboBox(parent)
    combo.addItem(combo.tr("Ignorer cette colonne"), IGNORE)
    if current == DAY_HOURS:
        combo.addItem(combo.tr("Horaires de ce jour"), DAY_HOURS)
    for key, (label, _) in FIELDS.items():
        combo.addItem(label[:1].upper() + label[1:], key)
    combo.setCurrentIndex(max(combo.findData(current), 0))
    return combo


def type_combo(current: str, parent: QWidget | None = None) -> QComboBox:
    """The structure types (« Non classé » last), `current` selected."""
    combo = QComboBox(parent)
    for term in vocabulary.terms("type"):
        combo.addItem(term.short or term.label, term.slug)
        combo.setItemData(combo.count() - 1, term.label, Qt.ItemDataRole.ToolTipRole)
    combo.setCurrentIndex(max(combo.findData(current), 0))
    return combo


class MappingPanel(QTabWidget):
    """Two tabs: the file's type values → structure types, and its columns → fields (CSV, XLSX).

    Changing a combo box emits `changed`; the owner reads the file again with `columns()` and `types()`
    (on the worker) and calls `show_batch` with what it read."""

    changed = Signal()
    blocked = Signal(bool)  # the columns chosen cannot be read (no name column, a field twice)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("import-mapping")
        self.types_page = QWidget()
        types_layout = QVBoxLayout(self.types_page)
        self.types_note = _note()
        self.types_note.setObjectName("types-note")
        self.types_table = QTableWidget(0, 3)
        self.types_table.setObjectName("type-values")
        self.types_table.setHorizontalHeaderLabels(
            [self.tr("Calque ou type dans le fichier"), self.tr("Fiches"), self.tr("Type de structure")])
        types_layout.addWidget(self.types_note)
        types_layout.addWidget(self.types_table, 1)
        self.columns_page = QWidget()
        columns_layout = QVBoxLayout(self.columns_page)
        self.columns_note = _note(self.tr("Chaque colonne du fichier et ce qu'elle devient. Votre choix est "
                                          "retenu pour les prochains fichiers de même forme."))
        self.columns_problem = _note()
        self.columns_problem.setObjectName("columns-problem")
        self.columns_table = QTableWidget(0, 2)
        self.columns_table.setObjectName("columns")
        self.columns_table.setHorizontalHeaderLabels([self.tr("Colonne du fichier"), self.tr("Lue comme")])
        columns_layout.addWidget(self.columns_note)
        columns_layout.addWidget(self.columns_problem)
        columns_layout.addWidget(self.columns_table, 1)
        for table in (self.types_table, self.columns_table):
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
            table.verticalHeader().setVisible(False)
            table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            table.setWordWrap(False)
        self.types_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.types_table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.columns_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.type_combos: dict[str, QComboBox] = {}  # value as written -> its combo
        self.column_combos: dict[str, QComboBox] = {}  # header -> its combo
        self._chosen: dict[str, str] = {}  # value -> type the user (or a remembered choice) gave
        self._columns_changed = False

    # --- what the user chose ------------------------------------------------------------------------------
    def types(self) -> dict[str, str]:
        """Value -> structure type, for the values the user chose (this time or remembered)."""
        return dict(self._chosen)

    def columns(self) -> dict[str, str] | None:
        """Header -> field from the combo boxes, or None when the user changed no column."""
        if not self._columns_changed:
            return None
        return {header: str(combo.currentData()) for header, combo in self.column_combos.items()}

    # --- filling ------------------------------------------------------------------------------------------
    def show_batch(self, batch: ImportBatch) -> None:
        """Fill both tabs from what the file gave (rows kept in place when the values are the same, so that
        the focus stays where the user is); a tab with nothing to show is left out."""
        self._chosen = {tv.value: tv.type for tv in batch.type_values if tv.chosen}
        self._fill_types(batch.type_values, batch.fmt)
        self._fill_columns(batch.columns)
        unclassified = sum(1 for tv in batch.type_values if tv.type == UNCLASSIFIED)
        title = self.tr("Types de structure (%1)").replace("%1", _number(len(batch.type_values)))
        if unclassified:
            title = self.tr("Types de structure (%1 non classé(s))").replace("%1", _number(unclassified))
        pages = [(self.types_page, title)] if batch.type_values else []
        if batch.columns:
            columns = self.tr("Colonnes (%1)").replace("%1", _number(len(batch.columns)))
            pages.append((self.columns_page, columns))
        if [self.widget(i) for i in range(self.count())] != [page for page, _ in pages]:
            current = self.currentWidget()
            while self.count():
                self.removeTab(0)
            for page, text in pages:
                self.addTab(page, text)
            if current is not None and self.indexOf(current) >= 0:
                self.setCurrentWidget(current)
        for page, text in pages:
            self.setTabText(self.indexOf(page), text)
        self.setVisible(bool(pages))

    def _fill_types(self, values: tuple[TypeValue, ...], fmt: str) -> None:
        table = self.types_table
        unclassified = [tv for tv in values if tv.type == UNCLASSIFIED]
        what = self.tr("chaque calque") if fmt == "umap" else self.tr("chaque valeur de type")
        text = self.tr("Le type de structure donné à %1 du fichier ; changez-le dans la liste. Votre choix "
                       "est retenu pour les prochains fichiers de même forme.").replace("%1", what)
        if unclassified:
            many = (self.tr("%1 calque(s) ne correspondent") if fmt == "umap"
                    else self.tr("%1 valeur(s) ne correspondent"))
            text = (many.replace("%1", _number(len(unclassified)))
                    + self.tr(" à aucun type (surlignés) : leurs fiches seront « Non classé » à moins "
                              "que vous ne choisissiez un type. ") + text)
        self.types_note.setText(text)
        same = [tv.value for tv in values] == list(self.type_combos)
        if not same:
            table.setRowCount(0)
            self.type_combos.clear()
        for row, tv in enumerate(values):
            if not same:
                table.insertRow(row)
            shown = tv.value or self.tr("(sans type)")
            value = _item(shown, tv.value)
            count = _item(_number(tv.count))
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if not tv.value:
                font = QFont(value.font())
                font.setItalic(True)
                value.setFont(font)
            if tv.type == UNCLASSIFIED:
                value.setToolTip(self.tr("Aucun type reconnu : choisissez-en un dans la liste."))
                font = QFont(value.font())
                font.setBold(True)
                value.setFont(font)
                for item in (value, count):
                    item.setBackground(QBrush(UNCLASSIFIED_BACKGROUND))
                    item.setForeground(QBrush(QColor(0, 0, 0)))
            table.setItem(row, 0, value)
            table.setItem(row, 1, count)
            if same:
                combo = self.type_combos[tv.value]
                with QSignalBlocker(combo):
                    combo.setCurrentIndex(max(combo.findData(tv.type), 0))
                continue
            combo = type_combo(tv.type, table)
            combo.setAccessibleName(self.tr("Type de structure pour « %1 »").replace("%1", shown))
            combo.currentIndexChanged.connect(lambda _i, v=tv.value, c=combo: self._type_chosen(v, c))
            table.setCellWidget(row, 2, combo)
            self.type_combos[tv.value] = combo
        table.resizeRowsToContents()

    def _fill_columns(self, columns: tuple[tuple[str, str], ...]) -> None:
        table = self.columns_table
        self.columns_problem.setVisible(False)
        if [h for h, _ in columns] == list(self.column_combos):
            for header, field in columns:
                combo = self.column_combos[header]
                with QSignalBlocker(combo):
                    combo.setCurrentIndex(max(combo.findData(field), 0))
            return
        table.setRowCount(0)
        self.column_combos.clear()
        for header, field in columns:
            row = table.rowCount()
            table.insertRow(row)
            table.setItem(row, 0, _item(header, header))
            combo = field_combo(field, table)
            combo.setAccessibleName(self.tr("Champ de la colonne %1").replace("%1", header))
            combo.currentIndexChanged.connect(lambda _i: self._column_chosen())
            table.setCellWidget(row, 1, combo)
            self.column_combos[header] = combo
        table.resizeRowsToContents()

    # --- changes ------------------------------------------------------------------------------------------
    def _type_chosen(self, value: str, combo: QComboBox) -> None:
        self._chosen[value] = str(combo.currentData())
        self.changed.emit()

    def _column_chosen(self) -> None:
        """A name column is needed and each field once; else say so and wait for the user."""
        chosen = [str(c.currentData()) for c in self.column_combos.values()]
        fields = [k for k in chosen if k not in (IGNORE, DAY_HOURS)]
        problem = ""
        if "nom" not in fields:
            problem = self.tr("Choisissez la colonne qui donne le nom des structures.")
        elif len(fields) != len(set(fields)):
            problem = self.tr("Chaque champ ne peut venir que d'une colonne.")
        self.columns_problem.setText(problem)
        self.columns_problem.setVisible(bool(problem))
        self.blocked.emit(bool(problem))
        if problem:
            return
        self._columns_changed = True
        self.changed.emit()
