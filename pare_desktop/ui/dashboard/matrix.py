"""Territories × support types as a table: the count in each cell, a tooltip, headers that stay visible."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyleOptionHeader,
    QTableView,
    QWidget,
)

from ...core import vocabulary
from ...core.stats import CoverageStats
from .charts import Colours, french_int

IndexLike = QModelIndex | QPersistentModelIndex
KEY_ROLE = Qt.ItemDataRole.UserRole + 1  # (territory code, support slug) of a cell
#: Row names too long for a narrow window, in their usual short form (the tooltip gives the full name).
SHORT_NAMES = {"Terres australes et antarctiques françaises": "TAAF"}


class CoverageMatrixModel(QAbstractTableModel):
    """Rows: every territory (mainland then overseas); columns: support types; cells: local structures."""

    def __init__(self, colours: Colours, parent: Any = None) -> None:
        super().__init__(parent)
        self.colours = colours
        self.rows: list[tuple[str, str]] = []  # (code, name)
        self.columns: list[tuple[str, str, str]] = []  # (slug, short label, label)
        self.overseas: frozenset[str] = frozenset()
        self.counts = np.zeros((0, 0), dtype=np.int64)
        self._top = 1

    def set_stats(self, stats: CoverageStats) -> None:
        self.beginResetModel()
        self.rows = [(t.key, t.label) for t in stats.territories]
        self.columns = [(s.key, s.label, vocabulary.label("support", s.key)) for s in stats.supports]
        self.overseas = stats.overseas
        self.counts = np.asarray(stats.matrix, dtype=np.int64).reshape(len(self.rows), len(self.columns))
        self._top = max(1, int(self.counts.max(initial=0)))
        self.endResetModel()

    def rowCount(self, parent: IndexLike = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: IndexLike = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def background(self, n: int) -> QColor:
        """The gap colour for none, then from pale to the highlight colour (log scale)."""
        c = self.colours
        if n == 0:
            return QColor(c.gap)
        t = 0.25 + 0.75 * math.log1p(n) / math.log1p(self._top)
        low, high = c.background, c.bar
        return QColor.fromRgbF(low.redF() + (high.redF() - low.redF()) * t,
                               low.greenF() + (high.greenF() - low.greenF()) * t,
                               low.blueF() + (high.blueF() - low.blueF()) * t)

    def data(self, index: IndexLike, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.rows)
                                       and 0 <= index.column() < len(self.columns)):
            return None
        n = int(self.counts[index.row(), index.column()])
        code, name = self.rows[index.row()]
        slug, _short, label = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return french_int(n)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self.background(n)
        if role == Qt.ItemDataRole.ForegroundRole:
            back = self.background(n)
            return QColor("#ffffff") if back.lightnessF() < 0.55 else QColor("#000000")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            what = "aucune structure" if n == 0 else f"{french_int(n)} structure" + ("s" if n > 1 else "")
            return f"{name} ({code}) — {label} : {what} (hors lignes nationales)"
        if role == KEY_ROLE:
            return (code, slug)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self.columns):
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                return self.columns[section][1]
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.columns[section][2]
            return None
        if not 0 <= section < len(self.rows):
            return None
        code, name = self.rows[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{code} {SHORT_NAMES.get(name, name)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{name} ({code})" + (" — outre-mer" if code in self.overseas else "")
        if role == Qt.ItemDataRole.FontRole and code in self.overseas:
            font = QFont()
            font.setItalic(True)
            return font
        return None


class RotatedHeader(QHeaderView):
    """Column headers written upwards: every support type's name whole, columns as narrow as a count."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setSectionsClickable(True)
        self.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

    def _text(self, logical: int) -> str:
        model = self.model()
        value = model.headerData(logical, self.orientation()) if model is not None else None
        return "" if value is None else str(value)

    def sectionSizeFromContents(self, logical: int) -> QSize:
        metrics = self.fontMetrics()
        return QSize(metrics.height() + 12, metrics.horizontalAdvance(self._text(logical)) + 16)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        model = self.model()
        if model is None:
            return hint
        tallest = max((self.sectionSizeFromContents(i).height() for i in range(model.columnCount())),
                      default=hint.height())
        return QSize(hint.width(), tallest)

    def paintSection(self, painter: QPainter, rect: QRect, logical: int) -> None:
        painter.save()
        option = QStyleOptionHeader()
        self.initStyleOption(option)
        option.rect = rect
        option.section = logical
        self.style().drawControl(QStyle.ControlElement.CE_HeaderSection, option, painter, self)
        painter.translate(rect.left(), rect.bottom())
        painter.rotate(-90)
        painter.setPen(self.palette().color(QPalette.ColorRole.ButtonText))
        painter.drawText(QRect(8, 0, rect.height() - 12, rect.width()),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), self._text(logical))
        painter.restore()


class MatrixView(QTableView):
    """The matrix table; a click on a cell emits `cell_clicked(territory, support)`."""

    cell_clicked = Signal(str, str)

    def __init__(self, colours: Colours, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model_ = CoverageMatrixModel(colours, self)
        self.setModel(self.model_)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        top = RotatedHeader(self)
        self.setHorizontalHeader(top)
        top.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        top.setMinimumSectionSize(self.fontMetrics().horizontalAdvance("000") + 10)
        side = self.verticalHeader()
        side.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        side.setDefaultSectionSize(self.fontMetrics().height() + 6)
        side.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.clicked.connect(self._clicked)

    @property
    def rows(self) -> list[str]:
        return [code for code, _ in self.model_.rows]

    @property
    def columns(self) -> list[str]:
        return [slug for slug, _, _ in self.model_.columns]

    @property
    def counts(self) -> np.ndarray:
        return self.model_.counts

    def set_matrix(self, stats: CoverageStats) -> None:
        self.model_.set_stats(stats)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)

    def minimumSizeHint(self) -> QSize:
        return QSize(400, 200)

    def _clicked(self, index: QModelIndex) -> None:
        key = index.data(KEY_ROLE)
        if key is not None:
            self.cell_clicked.emit(*key)
