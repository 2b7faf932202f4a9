"""The task runner: results in the GUI thread, errors, cancellation, throttled progress, a late dialog."""

from __future__ import annotations

import threading
import time

from PySide6.QtWidgets import QApplication, QProgressDialog

from pare_desktop.core.progress import Cancelled, Progress
from pare_desktop.ui.tasks import TaskRunner


def test_result_delivered_in_gui_thread(runner: TaskRunner) -> None:
    seen: list[tuple[int, bool]] = []
    worker_thread: list[threading.Thread] = []

    def work(x: int) -> int:
        worker_thread.append(threading.current_thread())
        return x * 2

    def done(r: int) -> None:
        seen.append((r, threading.current_thread() is threading.main_thread()))

    runner.submit(work, 21, on_done=done)
    assert runner.wait_idle()
    assert seen == [(42, True)]
    assert worker_thread[0] is not threading.main_thread()
    assert not runner.is_busy()


def test_all_tasks_share_one_worker_in_order(runner: TaskRunner) -> None:
    threads: set[int] = set()
    order: list[int] = []

    def work(i: int) -> None:
        threads.add(threading.get_ident())
        order.append(i)

    for i in range(20):
        runner.submit(work, i)
    assert runner.wait_idle()
    assert order == list(range(20))
    assert len(threads) == 1


def test_error_goes_to_on_error_then_to_handler(runner: TaskRunner) -> None:
    errors: list[BaseException] = []
    handled: list[BaseException] = []
    runner.set_error_handler(handled.append)

    def boom() -> None:
        raise ValueError("x")

    runner.submit(boom, on_error=errors.append)
    runner.submit(boom)
    assert runner.wait_idle()
    assert [type(e) for e in errors] == [ValueError]
    assert [type(e) for e in handled] == [ValueError]


def test_progress_is_throttled_and_cancel_stops_work(runner: TaskRunner) -> None:
    started = threading.Event()
    outcome: list[str] = []

    def long(progress: Progress) -> None:
        started.set()
        for i in range(1_000_000):
            progress.set_progress(i, 1_000_000)
            if progress.is_cancelled():
                raise Cancelled()
            time.sleep(0.0001)

    task = runner.submit(long, on_done=lambda _r: outcome.append("done"),
                         on_cancelled=lambda: outcome.append("cancelled"))
    assert started.wait(5)
    time.sleep(0.05)
    task.cancel()
    assert runner.wait_idle()
    assert outcome == ["cancelled"]


def test_same_key_drops_stale_results(runner: TaskRunner) -> None:
    gate = threading.Event()
    results: list[str] = []
    runner.submit(gate.wait, 5)  # holds the worker
    for text in ("a", "ab", "abc"):
        runner.submit(lambda t=text: t, on_done=results.append, key="search")
    gate.set()
    assert runner.wait_idle()
    assert results == ["abc"]


def test_dialog_only_after_delay_and_cancel_button(runner: TaskRunner, qtbot: object) -> None:
    outcome: list[str] = []

    def slow(progress: Progress) -> None:
        progress.set_status("Import en cours")
        while not progress.is_cancelled():
            time.sleep(0.01)
        raise Cancelled()

    quick = runner.submit(lambda: 1, progress_title="Rapide")
    assert runner.wait_idle()
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]
    assert quick.finished
    runner.submit(slow, progress_title="Import", on_cancelled=lambda: outcome.append("cancelled"))
    deadline = time.monotonic() + 5
    dialogs: list[QProgressDialog] = []
    while not dialogs and time.monotonic() < deadline:
        QApplication.processEvents()
        dialogs = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, QProgressDialog) and w.isVisible()]
        time.sleep(0.01)
    assert dialogs, "a progress dialog appears for long work"
    dialogs[0].canceled.emit()  # what the Annuler button and Escape do
    assert runner.wait_idle()
    assert outcome == ["cancelled"]
