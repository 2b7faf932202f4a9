"""The dashboard renders offscreen, follows the query, and a click on a bar or a cell asks for that filter."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtTest import QTest

from pare_desktop.core.directory import Directory
from pare_desktop.core.records import SearchQuery
from pare_desktop.ui.dashboard.panel import BarChart, DashboardWidget, GapMatrix


@pytest.fixture
def directory(tmp_path: Path) -> Directory:
    d = Directory.open(tmp_path / "pare.sqlite3")
    yield d  # type: ignore[misc]
    d.close()


def _click_view(chart: BarChart | GapMatrix, x: float, y: float) -> None:
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
    assert "974" in w.overseas.keys and "974" not in w.mainland.keys
    with qtbot.waitSignal(w.stats_shown, timeout=10_000):  # type: ignore[attr-defined]
        w.set_query(SearchQuery(territories=("974",)))
    assert w.stats.total < 40
    assert w.mainland.heights == [0] * len(w.mainland.heights)
    assert w.overseas.heights[w.overseas.keys.index("974")] > 0


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
    row = w.matrix.rows.index("976")
    _click_view(w.matrix, j + 0.5, row + 0.5)
    assert got[-1] == ("territory+support", "976|mise-a-l-abri")
    assert queries[-1].territories == ("976",) and queries[-1].supports == ("mise-a-l-abri",)
    n = len(got)
    _click_view(w.overseas, 1, i + 0.5)  # between two bars: nothing
    assert len(got) == n


def test_gaps_contrast_and_png(qtbot: object, directory: Directory, runner: object, tmp_path: Path) -> None:
    w = _shown(qtbot, directory, runner)
    rgba = w.matrix._rgba(w.matrix.counts)
    zero = tuple(rgba[w.matrix.counts == 0][0])
    assert zero == w.matrix.colours.gap.getRgb()
    assert w.export_png(tmp_path / "d.png") and (tmp_path / "d.png").stat().st_size > 10_000


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
