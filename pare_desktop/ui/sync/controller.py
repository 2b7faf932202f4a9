"""The "Synchroniser" action, the automatic check when the network comes back, history and status text."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QWidget

from ...core.directory import Directory
from ...sync import history
from ...sync.settings import SyncSettings, load_settings
from .history import SyncHistoryDialog
from .status import status_text

if TYPE_CHECKING:  # the client (HTTP, hashing, gzip...) is imported when a sync actually runs
    from ...sync.client import SyncOutcome

log = logging.getLogger("pare.ui.sync")

AUTO_MIN_INTERVAL_S = 3 * 3600  # an automatic sync at most every three hours
PROBE_INTERVAL_MS = 30 * 60 * 1000  # without QNetworkInformation: a HEAD of the manifest every 30 min


class Runner(Protocol):
    """What the controller needs of ui.tasks.TaskRunner (a test or the lead may pass another)."""

    def submit(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
        progress_title: str | None = None,
        cancellable: bool = True,
        key: str | None = None,
    ) -> Any: ...


SettingsLoader = Callable[[Directory], SyncSettings]


class SyncController(QObject):
    """Owns the sync actions; runs every sync on the runner's worker; never blocks the GUI thread."""

    dataset_changed = Signal()
    outcome_ready = Signal(str)  # a French sentence for the status bar
    _probed = Signal(bool)

    def __init__(
        self,
        directory: Directory,
        data_dir: Path,
        runner: Runner,
        parent: QObject | None = None,
        *,
        parent_widget: Callable[[], QWidget | None] = lambda: None,
        settings_loader: SettingsLoader | None = None,
        auto: bool = True,
        min_interval_s: float = AUTO_MIN_INTERVAL_S,
        probe_interval_ms: int = PROBE_INTERVAL_MS,
    ) -> None:
        super().__init__(parent)
        self.directory = directory
        self._runner = runner
        self._parent_widget = parent_widget
        self._load = settings_loader or (lambda d: load_settings(d, data_dir))
        self._min_interval = min_interval_s
        self._last_auto: float | None = None
        self._busy = False
        self._probing = False
        self._dialogs: list[QWidget] = []
        self.last_outcome: SyncOutcome | None = None
        self.action = QAction(self.tr("Synchroniser"), self)
        self.action.setStatusTip(self.tr("Mettre à jour l'annuaire depuis le flux signé PARÉ"))
        self.action.triggered.connect(lambda: self.sync_now())
        self.history_action = QAction(self.tr("Historique des synchronisations…"), self)
        self.history_action.triggered.connect(self.show_history)
        self._probed.connect(self._on_probed)
        self._timer = QTimer(self)
        self._timer.setInterval(probe_interval_ms)
        self._timer.timeout.connect(self.check_now)
        self._network: Any = None
        if auto:
            self._watch_network()
            self._timer.start()

    # --- manual and automatic syncs -------------------------------------------------------------------
    def sync_now(self, *, automatic: bool = False) -> None:
        """Start a sync on the worker (with a progress dialog unless automatic)."""
        if self._busy:
            return
        self._busy = True
        self.action.setEnabled(False)
        directory, load = self.directory, self._load

        def work(progress: Any) -> SyncOutcome:
            from ...sync.client import SyncClient

            return SyncClient(directory, load(directory)).run(progress)

        self._runner.submit(
            work,
            on_done=lambda outcome: self._on_done(outcome, automatic),
            on_error=self._on_error,
            on_cancelled=self._on_cancelled,
            progress_title=None if automatic else self.tr("Synchronisation de l'annuaire…"),
        )

    @Slot()
    def check_now(self) -> None:
        """Automatic check: at most every few hours, never offline-only, never blocking (probe thread)."""
        now = time.monotonic()
        if (
            self._busy
            or self._probing
            or (self._last_auto is not None and now - self._last_auto < self._min_interval)
        ):
            return
        try:
            settings = self._load(self.directory)
        except Exception:
            log.exception("sync settings unreadable")
            return
        if settings.offline_only or not settings.feed_url:
            return
        self._last_auto = now
        self._probing = True
        from ...sync.client import SyncClient

        client = SyncClient(self.directory, settings)
        threading.Thread(
            target=lambda: self._probed.emit(client.probe()), name="pare-sync-probe", daemon=True
        ).start()

    @Slot(bool)
    def _on_probed(self, reachable: bool) -> None:
        self._probing = False
        if reachable:
            self.sync_now(automatic=True)

    def _watch_network(self) -> None:
        try:
            from PySide6.QtNetwork import QNetworkInformation
        except ImportError:
            return
        if not QNetworkInformation.loadDefaultBackend():
            return
        info = QNetworkInformation.instance()
        if info is None or not info.supports(QNetworkInformation.Feature.Reachability):
            return
        self._network = info
        info.reachabilityChanged.connect(self._on_reachability)

    @Slot(object)
    def _on_reachability(self, reachability: Any) -> None:
        from PySide6.QtNetwork import QNetworkInformation

        if reachability == QNetworkInformation.Reachability.Online:
            self.check_now()

    # --- outcomes -------------------------------------------------------------------------------------
    def _finish(self) -> None:
        self._busy = False
        self.action.setEnabled(True)

    def _on_done(self, outcome: SyncOutcome, automatic: bool) -> None:
        self._finish()
        self.last_outcome = outcome
        if outcome.status == history.UPDATED:
            self.dataset_changed.emit()
        self.outcome_ready.emit(outcome.message)
        if not automatic:
            self._show(outcome.message, warning=not outcome.ok)

    def _on_error(self, exc: BaseException) -> None:
        self._finish()
        log.error("sync failed unexpectedly", exc_info=exc)
        message = self.tr("échec de la synchronisation : erreur inattendue (détails dans le journal)")
        self.outcome_ready.emit(message)
        self._show(message, warning=True)

    def _on_cancelled(self) -> None:
        self._finish()
        self.outcome_ready.emit(self.tr("synchronisation annulée : aucune donnée modifiée"))

    def _show(self, message: str, *, warning: bool) -> None:
        icon = QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information
        box = QMessageBox(
            icon,
            self.tr("Synchronisation"),
            message[:1].upper() + message[1:] + ".",
            QMessageBox.StandardButton.Ok,
            self._parent_widget(),
        )
        box.setModal(False)
        box.finished.connect(lambda _: self._dialogs.remove(box) if box in self._dialogs else None)
        self._dialogs.append(box)
        box.show()

    # --- history and status ---------------------------------------------------------------------------
    @Slot()
    def show_history(self) -> SyncHistoryDialog:
        dialog = SyncHistoryDialog(history.entries(self.directory), self._parent_widget())
        dialog.finished.connect(lambda _: self._dialogs.remove(dialog) if dialog in self._dialogs else None)
        self._dialogs.append(dialog)
        dialog.show()
        return dialog

    def status_text(self) -> str:
        """Dataset version and date, last successful sync, staleness warning (short reads, GUI thread)."""
        return status_text(self.directory.dataset_info(), history.last_success(self.directory))

    def shutdown(self) -> None:
        self._timer.stop()
