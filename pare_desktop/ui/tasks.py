"""The task runner: one worker thread for all database work, results back in the GUI thread by signals."""

from __future__ import annotations

import inspect
import itertools
import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from ..core.progress import Cancelled

log = logging.getLogger("pare.ui.tasks")

#: A dialog appears only when work lasts longer than this (Anki's rule).
DIALOG_DELAY_MS = 600
#: Progress reports are throttled to at most one every this many seconds (~20 Hz).
_MIN_INTERVAL_S = 0.05

DoneCallback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]
CancelCallback = Callable[[], None]


class TaskProgress:
    """The `core.progress.Progress` handed to a task: thread-safe, throttled, emits only on change."""

    def __init__(self, task: Task, emit_progress: Callable[[int, int, int], None],
                 emit_status: Callable[[int, str], None]) -> None:
        self._task = task
        self._emit_progress = emit_progress
        self._emit_status = emit_status
        self._last: tuple[int, int] | None = None
        self._last_time = 0.0
        self._status = ""

    def set_progress(self, done: int, total: int) -> None:
        value = (done, total)
        if value == self._last:
            return
        now = time.monotonic()
        if now - self._last_time < _MIN_INTERVAL_S and done < total:
            return
        self._last, self._last_time = value, now
        self._emit_progress(self._task.id, done, total)

    def set_status(self, text: str) -> None:
        if text != self._status:
            self._status = text
            self._emit_status(self._task.id, text)

    def is_cancelled(self) -> bool:
        return self._task.is_cancelled()


class Task:
    """One piece of work: created in the GUI thread, run once on the worker, cancellable at any time."""

    _ids = itertools.count(1)

    def __init__(self, fn: Callable[..., Any], args: tuple[Any, ...], *, on_done: DoneCallback | None,
                 on_error: ErrorCallback | None, on_cancelled: CancelCallback | None,
                 progress_title: str | None, cancellable: bool, key: str | None) -> None:
        self.id = next(self._ids)
        self.fn = fn
        self.args = args
        self.on_done = on_done
        self.on_error = on_error
        self.on_cancelled = on_cancelled
        self.progress_title = progress_title
        self.cancellable = cancellable
        self.key = key
        self.started_at: float | None = None
        self.status = ""  # the last status text, shown when the dialog appears later
        self._cancel = threading.Event()
        self.finished = False
        self.result: Any = None
        self.error: BaseException | None = None

    def cancel(self) -> None:
        """Ask the work to stop: skipped if not started, else `progress.is_cancelled()` turns true."""
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def __repr__(self) -> str:
        name = getattr(self.fn, "__qualname__", repr(self.fn))
        return f"<Task {self.id} {name}>"


def _wants_progress(fn: Callable[..., Any]) -> bool:
    try:
        return "progress" in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


class _Worker(QThread):
    """The single worker thread: runs queued tasks in order; signals reach the runner queued."""

    task_started = Signal(int)
    task_done = Signal(int)
    task_failed = Signal(int)
    task_cancelled = Signal(int)
    task_progress = Signal(int, int, int)
    task_status = Signal(int, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pare-worker")
        self.queue: queue.Queue[Task | None] = queue.Queue()

    def run(self) -> None:
        while True:
            task = self.queue.get()
            if task is None:
                return
            if task.is_cancelled():
                self.task_cancelled.emit(task.id)
                continue
            self.task_started.emit(task.id)
            kwargs: dict[str, Any] = {}
            if _wants_progress(task.fn):
                kwargs["progress"] = TaskProgress(task, self.task_progress.emit, self.task_status.emit)
            try:
                result = task.fn(*task.args, **kwargs)
            except Cancelled:
                self.task_cancelled.emit(task.id)
            except BaseException as exc:  # handed to the GUI thread, which decides how to show it
                task.error = exc
                self.task_failed.emit(task.id)
            else:
                if task.is_cancelled():
                    self.task_cancelled.emit(task.id)
                else:
                    # Results travel on the task, not through the signal: PySide6 mishandles the
                    # refcount of None sent through an `object` signal across threads.
                    task.result = result
                    self.task_done.emit(task.id)


class TaskRunner(QObject):
    """Submit work from the GUI thread; callbacks run in the GUI thread; a dialog for long work.

    A function that has a `progress` parameter receives a `TaskProgress` (core.progress.Progress).
    Tasks submitted with the same `key` replace each other: a pending one is cancelled (search as
    you type drops stale queries). Errors with no `on_error` go to `error_handler`.
    """

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, *,
                 error_handler: ErrorCallback | None = None) -> None:
        super().__init__(parent)
        self._error_handler = error_handler
        self._dialog_parent: QWidget | None = None
        self._tasks: dict[int, Task] = {}
        self._latest_by_key: dict[str, Task] = {}
        self._dialogs: dict[int, QProgressDialog] = {}
        self._timers: dict[int, QTimer] = {}
        self._worker = _Worker()
        queued = Qt.ConnectionType.QueuedConnection
        self._worker.task_started.connect(self._on_started, queued)
        self._worker.task_done.connect(self._on_done, queued)
        self._worker.task_failed.connect(self._on_failed, queued)
        self._worker.task_cancelled.connect(self._on_cancelled, queued)
        self._worker.task_progress.connect(self._on_progress, queued)
        self._worker.task_status.connect(self._on_status, queued)
        self._worker.start()

    # --- public ---------------------------------------------------------------------------------------
    def set_dialog_parent(self, widget: QWidget | None) -> None:
        self._dialog_parent = widget

    def set_error_handler(self, handler: ErrorCallback | None) -> None:
        self._error_handler = handler

    def submit(self, fn: Callable[..., Any], *args: Any, on_done: DoneCallback | None = None,
               on_error: ErrorCallback | None = None, on_cancelled: CancelCallback | None = None,
               progress_title: str | None = None, cancellable: bool = True,
               key: str | None = None) -> Task:
        """Queue `fn(*args)` on the worker; returns the Task (keep it to cancel)."""
        task = Task(fn, args, on_done=on_done, on_error=on_error, on_cancelled=on_cancelled,
                    progress_title=progress_title, cancellable=cancellable, key=key)
        if key is not None:
            previous = self._latest_by_key.get(key)
            if previous is not None and not previous.finished:
                previous.cancel()
            self._latest_by_key[key] = task
        self._tasks[task.id] = task
        if len(self._tasks) == 1:
            self.busy_changed.emit(True)
        self._worker.queue.put(task)
        return task

    def is_busy(self) -> bool:
        return bool(self._tasks)

    def running(self) -> list[Task]:
        return list(self._tasks.values())

    def cancel_all(self) -> None:
        for task in list(self._tasks.values()):
            task.cancel()

    def wait_idle(self, timeout_ms: int = 10_000) -> bool:
        """Process events until every task has finished and delivered its result (tests, shutdown)."""
        deadline = time.monotonic() + timeout_ms / 1000
        app = QCoreApplication.instance()
        while self._tasks:
            if time.monotonic() > deadline:
                return False
            if app is not None:
                app.processEvents()
            time.sleep(0.001)
        if app is not None:
            app.processEvents()
        return True

    def shutdown(self, timeout_ms: int = 5_000) -> None:
        """Cancel what is pending and stop the worker (at exit)."""
        self.cancel_all()
        self._worker.queue.put(None)
        if not self._worker.wait(timeout_ms):
            log.warning("worker still busy at shutdown")
        for timer in self._timers.values():
            timer.stop()
        for dialog in self._dialogs.values():
            dialog.close()
        self._tasks.clear()

    # --- from the worker (queued into the GUI thread) -------------------------------------------------
    @Slot(int)
    def _on_started(self, task_id: int) -> None:
        task = self._tasks.get(task_id)
        if task is None:
            return
        task.started_at = time.monotonic()
        if task.progress_title:
            timer = QTimer(self)
            timer.setSingleShot(True)
            timer.timeout.connect(lambda: self._show_dialog(task_id))
            timer.start(DIALOG_DELAY_MS)
            self._timers[task_id] = timer

    @Slot(int)
    def _on_done(self, task_id: int) -> None:
        task = self._finish(task_id)
        if task is not None and task.on_done is not None:
            result, task.result = task.result, None
            task.on_done(result)

    @Slot(int)
    def _on_failed(self, task_id: int) -> None:
        task = self._finish(task_id)
        if task is None or task.error is None:
            return
        exc = task.error
        if task.on_error is not None:
            task.on_error(exc)
        elif self._error_handler is not None:
            self._error_handler(exc)
        else:
            log.error("task %s failed", task, exc_info=exc)

    @Slot(int)
    def _on_cancelled(self, task_id: int) -> None:
        task = self._finish(task_id)
        if task is not None and task.on_cancelled is not None:
            task.on_cancelled()

    @Slot(int, int, int)
    def _on_progress(self, task_id: int, done: int, total: int) -> None:
        dialog = self._dialogs.get(task_id)
        if dialog is not None:
            dialog.setMaximum(max(total, 0))
            dialog.setValue(min(done, total) if total > 0 else 0)

    @Slot(int, str)
    def _on_status(self, task_id: int, text: str) -> None:
        task = self._tasks.get(task_id)
        if task is not None:
            task.status = text
        dialog = self._dialogs.get(task_id)
        if dialog is not None:
            dialog.setLabelText(text)

    # --- internals ------------------------------------------------------------------------------------
    def _finish(self, task_id: int) -> Task | None:
        task = self._tasks.pop(task_id, None)
        timer = self._timers.pop(task_id, None)
        if timer is not None:
            timer.stop()
            timer.deleteLater()
        dialog = self._dialogs.pop(task_id, None)
        if dialog is not None:
            dialog.hide()
            dialog.deleteLater()
        if task is not None:
            task.finished = True
            if task.key is not None and self._latest_by_key.get(task.key) is task:
                del self._latest_by_key[task.key]
        if not self._tasks:
            self.busy_changed.emit(False)
        return task

    def _show_dialog(self, task_id: int) -> None:
        task = self._tasks.get(task_id)
        if task is None or task_id in self._dialogs:
            return
        cancel = self.tr("Annuler") if task.cancellable else ""
        dialog = QProgressDialog(task.status or task.progress_title or "", cancel, 0, 0, self._dialog_parent)
        dialog.setWindowTitle(self.tr("PARÉ Desktop — travail en cours"))
        dialog.setAccessibleName(task.progress_title or self.tr("Travail en cours"))
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        if not task.cancellable:
            dialog.setCancelButton(None)
        dialog.canceled.connect(task.cancel)
        self._dialogs[task_id] = dialog
        dialog.show()
