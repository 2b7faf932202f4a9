"""The results model under QAbstractItemModelTester, lazy pages, descending order.

Data is read with model.data(index), never index.data(): see badge_delegate._badges (PySide6 bug).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester

from pare_desktop.core.records import Structure
from pare_desktop.core.territories import referential
from pare_desktop.ui.results.model import (
    BADGES_ROLE,
    COL_BADGES,
    COL_NAME,
    ID_ROLE,
    PAGE_SIZE,
    ResultsModel,
)
from pare_desktop.ui.tasks import TaskRunner


def _records(n: int) -> dict[str, Structure]:
    return {f"t:{i}": Structure(id=f"t:{i}", source="t", source_id=str(i), name=f"Structure {i:04d}",
                                type="urgence", commune="Mamoudzou", departement="976")
            for i in range(n)}


def test_model_tester_and_lazy_pages(runner: TaskRunner) -> None:
    records = _records(350)
    fetched: list[int] = []

    def fetch(ids: list[str]) -> list[Structure]:
        fetched.append(len(ids))
        return [records[i] for i in ids]

    model = ResultsModel(fetch, runner, referential())
    # keep the tester for the whole test: an unreferenced one is collected at once and checks nothing
    tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    ids = tuple(records)
    model.set_results(ids)
    assert model.rowCount() == 350
    assert model.data(model.index(0, COL_NAME)) == "…"  # not fetched yet
    assert runner.wait_idle()
    assert model.data(model.index(0, COL_NAME)) == "Structure 0000"
    assert model.data(model.index(0, COL_NAME), ID_ROLE) == "t:0"
    assert fetched == [PAGE_SIZE]
    model.data(model.index(349, COL_NAME))
    assert runner.wait_idle()
    assert model.data(model.index(349, COL_NAME)) == "Structure 0349"
    assert model.data(model.index(3, COL_BADGES), BADGES_ROLE) == []
    model.set_results(ids, descending=True)
    model.data(model.index(0, COL_NAME))
    assert runner.wait_idle()
    assert model.data(model.index(0, COL_NAME)) == "Structure 0349"
    assert model.row_of("t:349") == 0
    model.set_results(())
    assert model.rowCount() == 0
    del tester  # it watched every change above


def test_sort_asks_the_directory(runner: TaskRunner) -> None:
    model = ResultsModel(lambda ids: [], runner, referential())
    asked: list[tuple[str, bool]] = []
    model.sort_requested.connect(lambda key, desc: asked.append((key, desc)))
    model.sort(COL_NAME, Qt.SortOrder.DescendingOrder)
    assert asked == [("name", True)]
