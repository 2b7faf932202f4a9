"""The dashboard renders offscreen, follows the query, reads at 1366×768 (every territory labelled, whole
numbers, counts in the cells), and a click on a bar or a cell asks for that filter."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtTest import QAbstractItemModelTester, QTest

from pare_desktop.core.directory import Directory
from pare_desktop.core.records import SearchQuery
from pare_desktop.core.stats import Count
from pare_desktop.ui.dashboard.charts import integer_ticks
from pare_desktop.ui.dashboard.panel import BarChart, DashboardWidget


@pytest.fixture
def directory(tmp_path: Path) -> Directory:
    d = Directory.open(tmp_path / "pare.sqlite3")
    yield d  # type: ignore[misc]
    d.close()


def _click_view(chart: BarChart, x: float, y: float) -> None:
    scene = chart.getViewBox().mapViewToScene(QPointF(x, y))
    QTest.mouseClick(chart.viewport(), Qt.MouseButton.LeftButton, pos=chart.mapFromScene(scene))


def _shown(qtbot: object, directory: Directory, runner: object) -> DashboardWidget:
    w = DashboardWidget(directory, runner)
    qtbot.addWidget(w)  # type: ignore[attr-defined]
    w.resize(1300, 900)
    w.show()
    with qtbot.waitSignal(w.stats_shown, timeout=10_000):  # type: ignore[attr-defined]
        w.set_query(SearchQuery())
    return w


def test_renders_and_follows_query(qtbot: object, directory: Directory, runner: object) -> None:
    w = _shown(qtbot, directory, runner)
    assert w.stats is not None and w.stats.total > 300
    assert "974" in w.overseas.keys and "974" not in w.mainland.keys + w.mainland_2.keys
    assert len(w.mainland.keys) + len(w.mainland_2.keys) == 96  # every département, each labelled
    assert w.mainland.labels[0] == "01 Ain" and "2A Corse-du-Sud" in w.mainland.labels
    with qtbot.waitSignal(w.stats_shown, timeout=10_000):  # type: ignore[attr-defined]
        w.set_query(SearchQuery(territories=("974",)))
    assert w.stats.total < 40
    # the territory charts and the table keep to La Réunion: no mainland chart of 96 zeros
    assert not w.boxes["mainland"].isVisible() and not w.boxes["mainland_2"].isVisible()
    assert w.overseas.keys == ["974"] and w.overseas.heights[0] > 0
    assert w.matrix.rows == ["974"]


def test_click_bar_and_cell_set_the_filter(qtbot: object, directory: Directory, runner: object) -> None:
    w = _shown(qtbot, directory, runner)
    qtbot.wait(50)  # type: ignore[attr-defined]
    got: list[tuple[str, str]] = []
    queries: list[SearchQuery] = []
    w.filter_requested.connect(lambda k, v: got.append((k, v)))
    w.query_requested.connect(queries.append)
    i = w.overseas.keys.index("974")
    _click_view(w.overseas, w.overseas.heights[i] / 2, i)  # horizontal bars: y is the bar
    assert got[-1] == ("territory", "974") and queries[-1].territories == ("974",)
    j = w.supports.keys.index("mise-a-l-abri")
    _click_view(w.supports, max(w.supports.heights[j] / 2, 0.1), j)
    assert got[-1] == ("support", "mise-a-l-abri")
    w.pages.setCurrentIndex(0)
    row = w.matrix.rows.index("976")
    col = w.matrix.columns.index("mise-a-l-abri")
    index = w.matrix.model().index(row, col)
    w.matrix.scrollTo(index)
    QTest.mouseClick(w.matrix.viewport(), Qt.MouseButton.LeftButton, pos=w.matrix.visualRect(index).center())
    assert got[-1] == ("territory+support", "976|mise-a-l-abri")
    assert queries[-1].territories == ("976",) and queries[-1].supports == ("mise-a-l-abri",)
    n = len(got)
    _click_view(w.overseas, 1, i + 0.5)  # between two bars: nothing
    assert len(got) == n


def test_cells_show_counts_gaps_and_tooltips(qtbot: object, directory: Directory, runner: object,
                                             tmp_path: Path) -> None:
    w = _shown(qtbot, directory, runner)
    model = w.matrix.model()
    tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    row, col = w.matrix.rows.index("973"), w.matrix.columns.index("mise-a-l-abri")
    n = int(w.matrix.counts[row, col])
    cell = model.index(row, col)
    assert cell.data() == str(n)
    assert cell.data(Qt.ItemDataRole.ToolTipRole).startswith("Guyane (973) — Mise à l'abri")
    zero = model.index(*[int(x[0]) for x in (w.matrix.counts == 0).nonzero()])
    assert zero.data() == "0" and "aucune structure" in zero.data(Qt.ItemDataRole.ToolTipRole)
    assert zero.data(Qt.ItemDataRole.BackgroundRole) == w.matrix.model_.colours.gap
    assert model.headerData(row, Qt.Orientation.Vertical) == "973 Guyane"
    # the headers stay visible: they are the table's own, outside the scrolled cells
    w.pages.setCurrentIndex(0)
    w.matrix.scrollToBottom()
    assert w.matrix.horizontalHeader().isVisible() and w.matrix.verticalScrollBar().value() > 0
    assert w.export_png(tmp_path / "d.png") and (tmp_path / "d.png").stat().st_size > 10_000
    del tester


def test_axes_have_whole_numbers() -> None:
    assert integer_ticks(0) == ([(0.0, "0")], 1)
    ticks, end = integer_ticks(8)
    assert [t for _, t in ticks] == ["0", "2", "4", "6", "8"] and end == 8
    ticks, end = integer_ticks(137)
    assert all(float(v).is_integer() for v, _ in ticks) and end >= 137 and len(ticks) <= 7
    assert integer_ticks(12_000)[0][-1][1] == "12\u202f000"


def test_summary_states_the_counts_and_the_caveat(qtbot: object, directory: Directory,
                                                  runner: object) -> None:
    w = _shown(qtbot, directory, runner)
    text = w.summary.text()
    assert text.startswith(f"{w.stats.total} structure(s), dont {w.stats.national} ligne(s) nationale(s)")
    assert "somme des territoires peut dépasser le total" in text


def test_dark_palette(
    qtbot: object, directory: Directory, runner: object, qapp: object, tmp_path: Path
) -> None:
    dark = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#202124"),
        (QPalette.ColorRole.Base, "#1b1b1d"),
        (QPalette.ColorRole.Text, "#e8eaed"),
        (QPalette.ColorRole.WindowText, "#e8eaed"),
        (QPalette.ColorRole.Highlight, "#4dabf7"),
    ):
        dark.setColor(role, QColor(colour))
    old = qapp.palette()  # type: ignore[attr-defined]
    qapp.setPalette(dark)  # type: ignore[attr-defined]
    try:
        w = _shown(qtbot, directory, runner)
        assert w.mainland.colours.dark
        assert w.export_png(tmp_path / "dark.png")  # docs/screenshots/dashboard-dark.png: `pare screenshot`
    finally:
        qapp.setPalette(old)  # type: ignore[attr-defined]


def test_one_count_everywhere(gui: object, qtbot: object) -> None:
    """The result count, the status bar and the dashboard say the same number, in public and pro mode."""
    from tests.ui.helpers import settle

    w, ws = gui.window, gui.workspace  # type: ignore[attr-defined]
    counts = []
    for pro in (False, True):
        w.set_pro_mode(pro)
        settle(gui, qtbot)  # type: ignore[arg-type]
        n = w.model.rowCount()
        shown = f"{n:,}".replace(",", "\u202f")
        assert w.count_label.text() == f"{shown} résultat(s)"
        assert w.status_panel.dataset.text().endswith(f" · {shown} structures")
        with qtbot.waitSignal(ws.dashboard.stats_shown, timeout=30_000):  # type: ignore[attr-defined]
            ws.dashboard.set_query(w.search.query)
        assert ws.dashboard.stats.total == n
        assert ws.dashboard.summary.text().startswith(f"{shown} structure(s)")
        counts.append(n)
    assert counts[0] < counts[1]  # pro-only records count in professional mode only



def test_both_mainland_halves_share_one_scale(qtbot: object, directory: Directory, runner: object) -> None:
    w = _shown(qtbot, directory, runner)
    first, second = (chart.getViewBox().viewRange()[0] for chart in (w.mainland, w.mainland_2))
    assert first == pytest.approx(second)  # a bar of 6 is as long on the left as on the right
    left, right = BarChart(w.mainland.colours, horizontal=True, on_click=None), BarChart(
        w.mainland.colours, horizontal=True, on_click=None)
    for chart in (left, right):
        qtbot.addWidget(chart)  # type: ignore[attr-defined]
    left.set_counts([Count("01", "Ain", 8), Count("02", "Aisne", 1)], top=8)
    right.set_counts([Count("48", "Lozère", 3), Count("49", "Maine-et-Loire", 2)], top=8)
    assert left.getViewBox().viewRange()[0] == pytest.approx(right.getViewBox().viewRange()[0])
