"""The coverage dashboard: structures per territory, support type and age; a territory × support matrix."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ...core.records import SearchQuery
from ...core.stats import Count, CoverageStats, CoverageStatsService

MATRIX_ROW_PX = 11
AGE_TICKS = {
    "0": "< 6 mois",
    "1": "6-12 mois",
    "2": "1-2 ans",
    "3": "2-3 ans",
    "4": "> 3 ans",
    "unknown": "?",
}


class Colours:
    """Chart colours taken from the palette, so charts read in light and dark themes alike."""

    def __init__(self, palette: QPalette) -> None:
        self.background = palette.color(QPalette.ColorRole.Base)
        self.text = palette.color(QPalette.ColorRole.Text)
        self.bar = palette.color(QPalette.ColorRole.Highlight)
        self.dark = self.background.lightnessF() < 0.5
        self.overseas = QColor("#f08c00" if not self.dark else "#ffc078")
        self.gap = QColor("#e03131" if not self.dark else "#ff6b6b")  # zero cells: no structure at all


class BarChart(pg.PlotWidget):  # type: ignore[misc]
    """Bars with text ticks; a click on a bar calls `on_click(key)`."""

    def __init__(
        self,
        colours: Colours,
        *,
        horizontal: bool,
        on_click: Callable[[str], None] | None,
        colour: QColor | None = None,
    ) -> None:
        super().__init__(background=colours.background)
        self.horizontal = horizontal
        self.colours = colours
        self.keys: list[str] = []
        self.heights: list[int] = []
        self._on_click = on_click
        self._brush = pg.mkBrush(colour or colours.bar)
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.8, brush=self._brush, pen=pg.mkPen(None))
        self.addItem(self.bars)
        item = self.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        self.setMouseEnabled(x=False, y=False)
        font = QFont()
        font.setPointSizeF(7.5)
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.setPen(pg.mkPen(colours.text))
            axis.setTextPen(pg.mkPen(colours.text))
            axis.setStyle(tickFont=font)
        if horizontal:
            self.getViewBox().invertY(True)
        self.scene().sigMouseClicked.connect(self._clicked)

    def set_counts(
        self, counts: Sequence[Count], tick: Callable[[Count], str] = lambda c: c.label, every: int = 1
    ) -> None:
        """Show these counts; with `every` > 1 only one bar in `every` is labelled (dense axes)."""
        self.keys = [c.key for c in counts]
        self.heights = [c.count for c in counts]
        pos = list(range(len(counts)))
        ticks = [
            [(i, tick(c)) for i, c in enumerate(counts) if i % every == 0],
            [(i, "") for i in pos if i % every],
        ]
        item = self.getPlotItem()
        if self.horizontal:
            self.bars.setOpts(x0=0, y=pos, width=self.heights, height=0.8, x=None)
            item.getAxis("left").setTicks(ticks)
            self.setYRange(-0.6, len(pos) - 0.4, padding=0)
            self.setXRange(0, max(self.heights, default=0) or 1, padding=0.05)
        else:
            self.bars.setOpts(x=pos, height=self.heights, width=0.8)
            item.getAxis("bottom").setTicks(ticks)
            self.setXRange(-0.6, len(pos) - 0.4, padding=0)
            self.setYRange(0, max(self.heights, default=0) or 1, padding=0.05)

    def key_at(self, scene_pos: QPointF) -> str | None:
        """The key of the bar (or its row/column) under a scene position."""
        p = self.getViewBox().mapSceneToView(scene_pos)
        along = p.y() if self.horizontal else p.x()
        i = round(along)
        if 0 <= i < len(self.keys) and abs(along - i) <= 0.45:
            return str(self.keys[i])
        return None

    def _clicked(self, event: Any) -> None:
        if self._on_click is None or event.button() != Qt.MouseButton.LeftButton:
            return
        key = self.key_at(event.scenePos())
        if key is not None:
            self._on_click(key)


class GapMatrix(pg.PlotWidget):  # type: ignore[misc]
    """Territories (rows) × support types (columns); zero cells in the gap colour, others by count."""

    def __init__(self, colours: Colours, on_click: Callable[[str, str], None]) -> None:
        super().__init__(background=colours.background)
        self.colours = colours
        self.rows: list[str] = []
        self.columns: list[str] = []
        self.counts = np.zeros((0, 0), dtype=np.int64)
        self._on_click = on_click
        self.image = pg.ImageItem()
        self.addItem(self.image)
        self.separator = pg.InfiniteLine(angle=0, pen=pg.mkPen(colours.text, width=2))
        self.addItem(self.separator)
        item = self.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        self.setMouseEnabled(x=False, y=False)
        self.getViewBox().invertY(True)
        font = QFont()
        font.setPointSizeF(7)
        for name in ("left", "top"):
            item.showAxis(name)
            axis = item.getAxis(name)
            axis.setPen(pg.mkPen(colours.text))
            axis.setTextPen(pg.mkPen(colours.text))
            axis.setStyle(tickFont=font)
        item.hideAxis("bottom")
        self.scene().sigMouseClicked.connect(self._clicked)

    def set_matrix(self, stats: CoverageStats) -> None:
        self.rows = [t.key for t in stats.territories]
        self.columns = [s.key for s in stats.supports]
        self.counts = np.asarray(stats.matrix, dtype=np.int64).reshape(len(self.rows), len(self.columns))
        self.image.setImage(self._rgba(self.counts).transpose(1, 0, 2), autoLevels=False)
        self.image.setRect(0, 0, len(self.columns), len(self.rows))
        item = self.getPlotItem()
        item.getAxis("left").setTicks(
            [[(i + 0.5, f"{t.key} {t.label[:16]}") for i, t in enumerate(stats.territories)]]
        )
        item.getAxis("top").setTicks([[(j + 0.5, s.label) for j, s in enumerate(stats.supports)]])
        first_overseas = next(
            (i for i, t in enumerate(stats.territories) if t.key in stats.overseas), len(self.rows)
        )
        self.separator.setValue(first_overseas)
        self.setXRange(0, len(self.columns), padding=0)
        self.setYRange(0, len(self.rows), padding=0)

    def _rgba(self, counts: np.ndarray) -> np.ndarray:
        c = self.colours
        low = np.array(c.background.getRgb(), dtype=np.float64)
        high = np.array(c.bar.getRgb(), dtype=np.float64)
        top = max(1, int(counts.max(initial=0)))
        t = np.log1p(counts) / math.log1p(top)
        t = 0.25 + 0.75 * t[..., None]
        rgba = low + (high - low) * t
        rgba[counts == 0] = c.gap.getRgb()
        out: np.ndarray = rgba.astype(np.uint8)
        return out

    def cell_at(self, scene_pos: QPointF) -> tuple[str, str] | None:
        p = self.getViewBox().mapSceneToView(scene_pos)
        i, j = math.floor(p.y()), math.floor(p.x())
        if 0 <= i < len(self.rows) and 0 <= j < len(self.columns):
            return self.rows[i], self.columns[j]
        return None

    def _clicked(self, event: Any) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        cell = self.cell_at(event.scenePos())
        if cell is not None:
            self._on_click(*cell)


class DashboardWidget(QWidget):
    """Coverage charts for the current query; clicking a bar or a cell asks for that filter."""

    #: kind ("territory", "type", "support" or "territory+support") and value ("974", "hebergement",
    #: "974|mise-a-l-abri" for a cell)
    filter_requested = Signal(str, str)
    #: the current query with that filter applied (one signal for a cell's two filters)
    query_requested = Signal(object)
    stats_shown = Signal(object)

    def __init__(self, directory: Any, runner: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._service = CoverageStatsService(directory)
        self._query = SearchQuery()
        self.stats: CoverageStats | None = None
        colours = Colours(self.palette())
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.png_button = QPushButton(self.tr("Exporter en PNG…"))
        self.png_button.clicked.connect(self._ask_png)
        self.mainland = BarChart(colours, horizontal=False, on_click=lambda k: self._request("territory", k))
        self.overseas = BarChart(  # horizontal, with names: each territory readable, none lost
            colours,
            horizontal=True,
            on_click=lambda k: self._request("territory", k),
            colour=colours.overseas,
        )
        self.types = BarChart(colours, horizontal=True, on_click=lambda k: self._request("type", k))
        self.supports = BarChart(colours, horizontal=True, on_click=lambda k: self._request("support", k))
        self.ages = BarChart(colours, horizontal=False, on_click=None)
        self.matrix = GapMatrix(colours, self._cell_clicked)
        self._build()

    def _build(self) -> None:
        def titled(title: str, w: QWidget, height: int) -> QWidget:
            box = QWidget()
            lay = QVBoxLayout(box)
            lay.setContentsMargins(0, 0, 0, 0)
            label = QLabel(title)
            label.setTextFormat(Qt.TextFormat.PlainText)
            lay.addWidget(label)
            w.setMinimumHeight(height)
            w.setMaximumHeight(max(height, 300))  # charts keep their size; the page scrolls
            lay.addWidget(w)
            return box

        self.content = QWidget()
        grid = QGridLayout(self.content)
        head = QHBoxLayout()
        head.addWidget(self.summary, 1)
        head.addWidget(self.png_button)
        # Two columns, so that it reads at 1366×768 beside the filters; overseas gets a full row of its
        # own, with names, rather than a corner beside 96 mainland bars.
        grid.addLayout(head, 0, 0, 1, 2)
        grid.addWidget(
            titled(self.tr("Métropole : structures par département"), self.mainland, 240), 1, 0, 1, 2
        )
        grid.addWidget(
            titled(self.tr("Outre-mer : structures par territoire"), self.overseas, 260), 2, 0, 1, 2
        )
        grid.addWidget(titled(self.tr("Par type de structure"), self.types, 300), 3, 0)
        grid.addWidget(titled(self.tr("Par type d'accompagnement"), self.supports, 300), 3, 1)
        grid.addWidget(titled(self.tr("Ancienneté de la mise à jour"), self.ages, 200), 4, 0, 1, 2)
        legend = self.tr(
            "Territoires × accompagnements (hors structures nationales) — "
            "case rouge : aucune structure ; trait : début de l'outre-mer"
        )
        grid.addWidget(titled(legend, self.matrix, 40 + MATRIX_ROW_PX * 113), 5, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    # --- data ---------------------------------------------------------------------------------------
    def set_query(self, query: SearchQuery) -> None:
        """Recompute the figures for this query on the worker; stale computations are dropped."""
        self._query = query
        self._runner.submit(self._service.compute, query, on_done=self.show_stats, key="dashboard-stats")

    def show_stats(self, stats: CoverageStats) -> None:
        self.stats = stats
        self.summary.setText(
            self.tr("{total} structures, dont {national} nationales (comptées à part)").format(
                total=stats.total, national=stats.national
            )
        )
        mainland = [t for t in stats.territories if t.key not in stats.overseas]
        overseas = [t for t in stats.territories if t.key in stats.overseas]
        self.mainland.set_counts(mainland, tick=lambda c: c.key, every=3)
        self.overseas.set_counts(overseas, tick=lambda c: c.label)
        self.types.set_counts(stats.types)
        self.supports.set_counts(stats.supports)
        self.ages.set_counts(stats.ages, tick=lambda c: AGE_TICKS.get(c.key, c.label))
        self.matrix.set_matrix(stats)
        self.stats_shown.emit(stats)

    # --- clicks -------------------------------------------------------------------------------------
    def _request(self, kind: str, value: str) -> None:
        self.filter_requested.emit(kind, value)
        q = self._query
        if kind == "territory":
            q = replace(q, territories=(value,))
        elif kind == "type":
            q = replace(q, types=(value,))
        elif kind == "support":
            q = replace(q, supports=(value,))
        self.query_requested.emit(replace(q, offset=0))

    def _cell_clicked(self, territory: str, support: str) -> None:
        self.filter_requested.emit("territory+support", f"{territory}|{support}")
        self.query_requested.emit(
            replace(self._query, territories=(territory,), supports=(support,), offset=0)
        )

    # --- PNG ----------------------------------------------------------------------------------------
    def export_png(self, path: Path) -> bool:
        """The whole dashboard (scrolled parts included) as a PNG image."""
        return bool(self.content.grab().save(str(path), "PNG"))

    def _ask_png(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Exporter le tableau de bord"), "tableau-de-bord.png", self.tr("Image PNG (*.png)")
        )
        if name:
            self.export_png(Path(name))
