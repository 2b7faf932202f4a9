"""The coverage dashboard: structures per territory, type, support and age; a territory × support table."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.records import SearchQuery
from ...core.stats import TERRITORY_CAVEAT, CoverageStats, CoverageStatsService, territory_scope
from ..dialogs.files import ask_save_path
from .charts import BarChart, Colours, french_int
from .matrix import MatrixView

AGE_TICKS = {
    "0": "< 6 mois",
    "1": "6 à 12 mois",
    "2": "1 à 2 ans",
    "3": "2 à 3 ans",
    "4": "> 3 ans",
    "unknown": "date inconnue",
}

__all__ = ["BarChart", "Colours", "DashboardWidget", "MatrixView"]


def summary_text(stats: CoverageStats) -> str:
    """The counts and what they mean (the same words as `pare stats`)."""
    return (
        f"{french_int(stats.total)} structure(s), dont {french_int(stats.national)} ligne(s) nationale(s) "
        f"comptée(s) à part · métropole : {french_int(stats.mainland_total)} · "
        f"outre-mer : {french_int(stats.overseas_total)}. {TERRITORY_CAVEAT}"
    )


class DashboardWidget(QWidget):
    """Coverage charts for the current query; clicking a bar or a cell asks for that filter."""

    ONE_CHART_ROWS = 24  # up to this many mainland départements fit one chart (more: two halves)

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
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.png_button = QPushButton(self.tr("Exporter en PNG…"))
        self.png_button.clicked.connect(self._ask_png)
        territory = lambda k: self._request("territory", k)  # noqa: E731
        # Mainland: two columns of horizontal bars, « 01 Ain » on each (no label skipped, none cut)
        self.mainland = BarChart(colours, horizontal=True, on_click=territory)
        self.mainland_2 = BarChart(colours, horizontal=True, on_click=territory)
        self.overseas = BarChart(colours, horizontal=True, on_click=territory, colour=colours.overseas)
        self.types = BarChart(colours, horizontal=True, on_click=lambda k: self._request("type", k))
        self.supports = BarChart(colours, horizontal=True, on_click=lambda k: self._request("support", k))
        self.ages = BarChart(colours, horizontal=False, on_click=None)
        self.matrix = MatrixView(colours)
        self.matrix.cell_clicked.connect(self._cell_clicked)
        self._build()

    def _build(self) -> None:
        def titled(label: QLabel, w: QWidget, height: int) -> QWidget:
            box = QWidget()
            lay = QVBoxLayout(box)
            lay.setContentsMargins(0, 0, 0, 0)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            lay.addWidget(label)
            w.setMinimumHeight(height)
            lay.addWidget(w)
            lay.addStretch(1)  # a short chart stays under its title
            return box

        self.content = QWidget()
        self._grid = QGridLayout(self.content)
        self._grid.setColumnStretch(0, 1)
        self._grid.setColumnStretch(1, 1)
        self._mainland_title = QLabel()
        self._mainland_2_title = QLabel(self.tr("Métropole : structures par département (2/2)"))
        #: the chart boxes in reading order; those shown are laid out two a row, with no hole
        self.boxes = {
            "mainland": titled(self._mainland_title, self.mainland, 200),
            "mainland_2": titled(self._mainland_2_title, self.mainland_2, 200),
            "overseas": titled(QLabel(self.tr("Outre-mer : structures par territoire")), self.overseas, 200),
            "ages": titled(QLabel(self.tr("Ancienneté de la mise à jour")), self.ages, 200),
            "types": titled(QLabel(self.tr("Par type de structure")), self.types, 200),
            "supports": titled(QLabel(self.tr("Par type d'accompagnement")), self.supports, 200),
        }
        self._place_charts(set(self.boxes))
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.content)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table_page = QWidget()
        table_layout = QVBoxLayout(table_page)
        legend = QLabel(self.tr(
            "Structures locales par territoire et type d'accompagnement (lignes nationales comptées à part). "
            "Case rouge : aucune structure. Territoires d'outre-mer en italique. "
            "Cliquez une case pour voir ces structures."))
        legend.setWordWrap(True)
        legend.setTextFormat(Qt.TextFormat.PlainText)
        table_layout.addWidget(legend)
        table_layout.addWidget(self.matrix)
        self.pages = QTabWidget()
        self.pages.setDocumentMode(True)
        self.pages.addTab(table_page, self.tr("Territoires × accompagnements"))
        self.pages.addTab(scroll, self.tr("Graphiques"))
        head = QHBoxLayout()
        head.addWidget(self.summary, 1)
        head.addWidget(self.png_button, 0, Qt.AlignmentFlag.AlignTop)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 0)
        outer.addLayout(head)
        outer.addWidget(self.pages, 1)

    def _place_charts(self, shown: set[str]) -> None:
        """Lay the shown chart boxes out two a row in reading order; hide the others."""
        for box in self.boxes.values():
            self._grid.removeWidget(box)
        visible = [name for name in self.boxes if name in shown]
        for i, name in enumerate(visible):
            self._grid.addWidget(self.boxes[name], i // 2, i % 2)
        for name, box in self.boxes.items():
            box.setVisible(name in shown)

    # --- data ---------------------------------------------------------------------------------------
    def set_query(self, query: SearchQuery) -> None:
        """Recompute the figures for this query on the worker; stale computations are dropped."""
        self._query = query
        self._runner.submit(self._service.compute, query, on_done=self.show_stats, key="dashboard-stats")

    def show_stats(self, stats: CoverageStats) -> None:
        """Show the figures; the territory charts and the table keep to the territories the query's filter
        covers (Mayotte alone when filtering on Mayotte), every territory when it has none."""
        self.stats = stats
        self.summary.setText(summary_text(stats))
        scoped = stats.within(territory_scope(self._query))
        mainland = [t for t in scoped.territories if t.key not in scoped.overseas]
        overseas = [t for t in scoped.territories if t.key in scoped.overseas]
        split = len(mainland) > self.ONE_CHART_ROWS
        half = (len(mainland) + 1) // 2 if split else len(mainland)

        def named(c: Any) -> str:
            return f"{c.key} {c.label}"

        top = max((c.count for c in mainland), default=0)  # one scale for both halves
        self.mainland.set_counts(mainland[:half], tick=named, top=top)
        self.mainland_2.set_counts(mainland[half:], tick=named, top=top)
        self._mainland_title.setText(
            self.tr("Métropole : structures par département (1/2)") if split
            else self.tr("Métropole : structures par département"))
        self.overseas.set_counts(overseas, tick=named)
        self.types.set_counts(stats.types)
        self.supports.set_counts(stats.supports)
        self.ages.set_counts(stats.ages, tick=lambda c: AGE_TICKS.get(c.key, c.label))
        shown = {"ages", "types", "supports"}
        shown |= {"mainland"} if mainland else set()
        shown |= {"mainland_2"} if split else set()
        shown |= {"overseas"} if overseas else set()
        self._place_charts(shown)
        self.matrix.set_matrix(scoped)
        self.stats_shown.emit(stats)

    # --- clicks -------------------------------------------------------------------------------------
    def _request(self, kind: str, value: str) -> None:
        self.filter_requested.emit(kind, value)
        q = self._query
        if kind == "territory":
            q = replace(q, territories=(value,), regions=())
        elif kind == "type":
            q = replace(q, types=(value,))
        elif kind == "support":
            q = replace(q, supports=(value,))
        self.query_requested.emit(replace(q, offset=0))

    def _cell_clicked(self, territory: str, support: str) -> None:
        self.filter_requested.emit("territory+support", f"{territory}|{support}")
        self.query_requested.emit(
            replace(self._query, territories=(territory,), regions=(), supports=(support,), offset=0)
        )

    # --- PNG ----------------------------------------------------------------------------------------
    def export_png(self, path: Path) -> bool:
        """The charts (scrolled parts included) as a PNG image."""
        return bool(self.content.grab().save(str(path), "PNG"))

    def _ask_png(self) -> None:
        path = ask_save_path(self, self.tr("Exporter le tableau de bord"), "tableau-de-bord.png",
                             self.tr("Image PNG (*.png)"))
        if path is not None:
            self.export_png(path)
