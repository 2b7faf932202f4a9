"""The result list: a table over ResultsModel, or a useful empty state with a way to widen the search."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from .badge_delegate import BadgeDelegate
from .model import (
    COL_BADGES,
    COL_DISTANCE,
    COL_FAVOURITE,
    COL_NAME,
    COL_OPEN,
    COL_PLACE,
    COL_TYPE,
    SORT_KEYS,
    ResultsModel,
)

#: Visual order: what matters at a glance comes first, so a narrow window loses type and commune first.
VISUAL_ORDER = (COL_FAVOURITE, COL_NAME, COL_OPEN, COL_BADGES, COL_DISTANCE, COL_PLACE, COL_TYPE)
#: Columns hidden, in this order, when the name would get narrower than NAME_MIN_WIDTH.
DROPPABLE = (COL_TYPE, COL_PLACE)
NAME_MIN_WIDTH = 260  # "Maison des adolescents de Koungou (démo)" whole at 1366×768
FOCUS_STYLE = ("ResultsTable:focus { border: 2px solid palette(highlight); }"
               " ResultsTable::item:focus { border: 1px dotted palette(highlighted-text); }")


class ResultsTable(QTableView):
    """Enter opens the current row; arrows move; multi-selection with Shift/Ctrl."""

    activated_id = Signal(str)
    resized = Signal(int)  # the width the columns can share

    def paintEvent(self, event: QPaintEvent) -> None:
        """« Ouvert maintenant »: a line sets the structures with unknown hours apart from the open ones."""
        super().paintEvent(event)
        model = self.model()
        row = model.unknown_hours_from if isinstance(model, ResultsModel) else -1
        if row <= 0 or row >= model.rowCount():
            return
        y = self.rowViewportPosition(row)
        if 0 <= y <= self.viewport().height():
            painter = QPainter(self.viewport())
            painter.setPen(QPen(self.palette().text().color(), 2, Qt.PenStyle.DashLine))
            painter.drawLine(0, y, self.viewport().width(), y)
            painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        bar = self.verticalScrollBar()
        scroll = bar.sizeHint().width() if bar.isVisible() else 0
        self.resized.emit(event.size().width() - 2 * self.frameWidth() - scroll)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            model = self.model()
            assert isinstance(model, ResultsModel)
            self.activated_id.emit(model.id_at(self.currentIndex().row()))
            return
        super().keyPressEvent(event)


class ResultsView(QStackedWidget):
    current_changed = Signal(str)  # "" when nothing is current
    activated = Signal(str)
    widen_requested = Signal()

    def __init__(self, model: ResultsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.table = ResultsTable(self)
        self.table.setModel(model)
        self.table.setAccessibleName(self.tr("Résultats"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # "Accueil d'urg…Mamoudzou (démo)"
        self.table.setStyleSheet(FOCUS_STYLE)  # where the keyboard is, visibly
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        self.table.setItemDelegateForColumn(COL_BADGES, BadgeDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setSortIndicatorShown(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_FAVOURITE, QHeaderView.ResizeMode.Fixed)
        header.setStretchLastSection(False)
        for col, width in ((COL_FAVOURITE, 28), (COL_TYPE, 110), (COL_PLACE, 135), (COL_DISTANCE, 70),
                           (COL_OPEN, 66), (COL_BADGES, 120)):
            if col not in (COL_FAVOURITE, *DROPPABLE):  # never narrower than its title and sort arrow
                width = max(width, header.sectionSizeHint(col))
            header.resizeSection(col, width)
        for position, col in enumerate(VISUAL_ORDER):
            header.moveSection(header.visualIndex(col), position)
        header.sortIndicatorChanged.connect(self._sort_indicator)
        self._show_distance = False
        self._widths = {col: header.sectionSize(col) for col in DROPPABLE}
        self.table.resized.connect(self._fit_columns)
        self.table.activated_id.connect(self.activated)
        self.table.doubleClicked.connect(
            lambda index: self.activated.emit(model.id_at(index.row())))
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        model.modelReset.connect(lambda: self.current_changed.emit(""))
        self.empty = QWidget(self)
        self.empty.setAccessibleName(self.tr("Aucun résultat"))
        layout = QVBoxLayout(self.empty)
        layout.addStretch(1)
        self.empty_title = QLabel(self.tr("Aucun résultat"), self.empty)
        font = self.empty_title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.empty_title.setFont(font)
        self.empty_text = QLabel(self.empty)
        self.empty_text.setTextFormat(Qt.TextFormat.PlainText)
        self.empty_text.setWordWrap(True)
        self.widen = QPushButton(self.empty)
        self.widen.setAccessibleName(self.tr("Élargir la recherche"))
        self.widen.clicked.connect(self.widen_requested)
        for w in (self.empty_title, self.empty_text):
            w.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(w)
        layout.addWidget(self.widen, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(2)
        self.addWidget(self.table)
        self.addWidget(self.empty)

    def show_table(self, show_distance: bool) -> None:
        self._show_distance = show_distance
        self.table.setColumnHidden(COL_DISTANCE, not show_distance)
        self.setCurrentWidget(self.table)
        self._fit_columns()

    def _fit_columns(self, room: int = -1) -> None:
        """Keep the name readable and « Ouvert ? » and the badges in sight: drop type, then commune."""
        header = self.table.horizontalHeader()
        room = room if room >= 0 else self.table.viewport().width()
        fixed = [COL_FAVOURITE, COL_OPEN, COL_BADGES] + ([COL_DISTANCE] if self._show_distance else [])
        used = sum(header.sectionSize(c) for c in fixed)
        for col in reversed(DROPPABLE):  # commune before type, as long as they fit
            if not self.table.isColumnHidden(col):
                self._widths[col] = header.sectionSize(col)  # a hidden section reads 0 wide
            fits = room - used - self._widths[col] >= NAME_MIN_WIDTH
            self.table.setColumnHidden(col, not fits)
            if fits:
                used += self._widths[col]

    def _sort_indicator(self, column: int, order: Qt.SortOrder) -> None:
        """Only columns that really sort show an arrow; a click elsewhere leaves the sort as it was."""
        if column in SORT_KEYS or column < 0:
            return
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        del order  # the one the click asked for: the previous sort stays
        header.setSortIndicator(self.model.sort_column, Qt.SortOrder.DescendingOrder
                                if self.model.descending else Qt.SortOrder.AscendingOrder)
        header.blockSignals(False)

    def show_empty(self, title: str, text: str, widen_label: str | None) -> None:
        self.empty_title.setText(title)
        self.empty_text.setText(text)
        self.widen.setVisible(widen_label is not None)
        self.widen.setText(widen_label or "")
        self.setCurrentWidget(self.empty)

    def is_empty_shown(self) -> bool:
        return self.currentWidget() is self.empty

    def selected_ids(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.id_at(r) for r in rows]

    def current_id(self) -> str:
        index = self.table.currentIndex()
        return self.model.id_at(index.row()) if index.isValid() else ""

    def select_id(self, structure_id: str) -> bool:
        row = self.model.row_of(structure_id)
        if row < 0:
            return False
        index = self.model.index(row, COL_NAME)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)
        return True

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.current_changed.emit(self.model.id_at(current.row()) if current.isValid() else "")
