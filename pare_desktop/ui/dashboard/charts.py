"""Bar charts of the dashboard (pyqtgraph): every bar labelled and counted, whole numbers on the axis."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPalette

from ...core.stats import Count

_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000, 20_000, 50_000)


def french_int(n: int) -> str:
    """12 345 with a narrow no-break space, as French writes it."""
    return f"{n:,}".replace(",", "\u202f")


def integer_ticks(top: int, most: int = 6) -> tuple[list[tuple[float, str]], int]:
    """Whole-number ticks from 0 covering `top` (at most `most` + 1 of them), and the axis end."""
    if top <= 0:
        return [(0.0, "0")], 1
    step = next((s for s in _STEPS if top / s <= most), _STEPS[-1])
    end = -(-top // step) * step
    return [(float(v), french_int(v)) for v in range(0, end + 1, step)], end


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
    """Bars with a label each (and, horizontal, their count at the end); a click calls `on_click(key)`."""

    ROW_PX = 17  # height of one horizontal bar: labels never overlap

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
        self.labels: list[str] = []
        self._on_click = on_click
        self._values: list[pg.TextItem] = []
        self._brush = pg.mkBrush(colour or colours.bar)
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.8, brush=self._brush, pen=pg.mkPen(None))
        self.addItem(self.bars)
        self.empty = pg.TextItem("Aucune structure", color=colours.text, anchor=(0.5, 0.5))
        self.addItem(self.empty)
        self.empty.hide()
        item = self.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        self.setMouseEnabled(x=False, y=False)
        self.font = QFont()
        self.font.setPointSizeF(8)
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.setPen(pg.mkPen(colours.text))
            axis.setTextPen(pg.mkPen(colours.text))
            axis.setStyle(tickFont=self.font, autoExpandTextSpace=True, hideOverlappingLabels=False)
        if horizontal:
            self.getViewBox().invertY(True)
        self.scene().sigMouseClicked.connect(self._clicked)

    def set_counts(self, counts: Sequence[Count], tick: Callable[[Count], str] = lambda c: c.label,
                   top: int = 0) -> None:
        """Show these counts, each bar labelled; the count axis has whole numbers only and reaches at
        least `top` (two halves of one chart share one scale)."""
        self.keys = [c.key for c in counts]
        self.heights = [c.count for c in counts]
        self.labels = [tick(c) for c in counts]
        pos = list(range(len(counts)))
        ticks = [[(float(i), label) for i, label in enumerate(self.labels)]]
        value_ticks, end = integer_ticks(max([top, *self.heights]))
        item = self.getPlotItem()
        for text in self._values:
            self.removeItem(text)
        self._values = []
        empty = not any(self.heights)
        if self.horizontal:
            self.bars.setOpts(x0=0, y=pos, width=self.heights, height=0.8, x=None)
            left = item.getAxis("left")
            left.setTicks(ticks)
            metrics = QFontMetrics(self.font)
            left.setWidth(max((metrics.horizontalAdvance(t) for t in self.labels), default=20) + 14)
            item.getAxis("bottom").setTicks([value_ticks])
            self.setYRange(-0.6, len(pos) - 0.4, padding=0)
            self.setXRange(0, end * 1.08, padding=0)  # room for the count after the longest bar
            for i, h in enumerate([] if empty else self.heights):
                text = pg.TextItem(french_int(h), color=self.colours.text, anchor=(0, 0.5))
                text.setFont(self.font)
                text.setPos(h, i)
                self.addItem(text)
                self._values.append(text)
            # as tall as its rows: one territory is one thin bar, not a block filling the page
            self.setFixedHeight(len(pos) * self.ROW_PX + 40)
        else:
            self.bars.setOpts(x=pos, height=self.heights, width=0.8)
            item.getAxis("bottom").setTicks(ticks)
            item.getAxis("left").setTicks([value_ticks])
            self.setXRange(-0.6, len(pos) - 0.4, padding=0)
            self.setYRange(0, end * 1.08, padding=0)
            for i, h in enumerate([] if empty else self.heights):
                text = pg.TextItem(french_int(h), color=self.colours.text, anchor=(0.5, 1))
                text.setFont(self.font)
                text.setPos(i, h)
                self.addItem(text)
                self._values.append(text)
        self.empty.setVisible(empty)
        if empty:
            self.empty.setPos(end / 2, (len(pos) - 1) / 2) if self.horizontal else self.empty.setPos(
                (len(pos) - 1) / 2, end / 2)

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
