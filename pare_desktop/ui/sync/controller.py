"""The "Synchroniser" action, the automatic check when the network comes back, history, settings, status.

A sync's network steps run on their own thread (a second TaskRunner), its database steps, brief, on the
database worker: searching keeps answering while a slow server sends the feed. Nothing here reads the
database on the GUI thread: settings, history and status are read on the worker and reported back.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QWidget

from ...core.directory import Directory
from ...core.progress import Cancelled, Progress
from ...sync import history
from ...sync.settings import SyncSettings, load_settings
from ..tasks import TaskRunner
from .history import SyncHistoryDialog
from .settings_dialog import SyncSettingsDialog
from .status import status_text

if TYPE_CHECKING:  # the client (HTTP, hashing, gzip...) is imported when a sync actually runs
    from ...sync.client import Session, Step, SyncOutcome

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
    """Owns the sync actions and dialogs; never blocks the GUI thread nor holds the database worker long."""

    dataset_changed = Signal()
    outcome_ready = Signal(str)  # a French sentence for the status bar
    status_ready = Signal(str)  # "Annuaire version 14 du … · synchronisé le …"
    history_shown = Signal(object)  # the SyncHistoryDialog, once its rows are read
    settings_shown = Signal(object)  # the SyncSettingsDialog, once the settings are read
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
        network: Runner | None = None,
        auto: bool = True,
        min_interval_s: float = AUTO_MIN_INTERVAL_S,
        probe_interval_ms: int = PROBE_INTERVAL_MS,
    ) -> None:
        super().__init__(parent)
        self.directory = directory
        self.data_dir = data_dir
        self._runner = runner
        self._own_network = TaskRunner(self) if network is None else None
        self._network: Runner = network or self._own_network  # type: ignore[assignment]
        self._parent_widget = parent_widget
        self._load = settings_loader or (lambda d: load_settings(d, data_dir))
        self._min_interval = min_interval_s
        self._last_auto: float | None = None
        self._busy = False
        self._probing = False
        self._automatic = False
        self._session: Session | None = None
        self._dialogs: list[QWidget] = []
        self.last_outcome: SyncOutcome | None = None
        self.last_box: QMessageBox | None = None
        self.feed_tier = ""  # "public" or "pro" after an update, read on the worker
        self.action = QAction(self.tr("Synchroniser"), self)
        self.action.setStatusTip(self.tr("Mettre à jour l'annuaire depuis le flux signé PARÉ"))
        self.action.triggered.connect(lambda: self.sync_now())
        self.history_action = QAction(self.tr("Historique des synchronisations…"), self)
        self.history_action.triggered.connect(self.show_history)
        self.export_reports_action = QAction(self.tr("Exporter les signalements…"), self)
        self.export_reports_action.setStatusTip(
            self.tr("Enregistrer dans un fichier les signalements d'erreur gardés sur cet ordinateur")
        )
        self.export_reports_action.triggered.connect(lambda: self.export_reports())
        self._probed.connect(self._on_probed)
        self._timer = QTimer(self)
        self._timer.setInterval(probe_interval_ms)
        self._timer.timeout.connect(self.check_now)
        self._network_info: Any = None
        if auto:
            self._watch_network()
            self._timer.start()

    # --- manual and automatic syncs -------------------------------------------------------------------
    def sync_now(self, *, automatic: bool = False) -> None:
        """Start a sync (with a progress dialog unless automatic); settings are read on the worker."""
        if self._busy:
            return
        self._busy = True
        self._automatic = automatic
        self.action.setEnabled(False)
        directory, load = self.directory, self._load
        self._runner.submit(
            lambda: load(directory), on_done=self._start, on_error=self._on_error, on_cancelled=self._finish
        )

    def _start(self, settings: SyncSettings) -> None:
        from ...sync.client import SyncClient

        if self._own_network is not None:
            self._own_network.set_dialog_parent(self._parent_widget())
        self._session = SyncClient(self.directory, settings).session()
        self._advance(None, None)

    def _advance(self, value: Any, error: BaseException | None) -> None:
        """Hand the last step's result (or error) to the session; run its next step where it belongs."""
        from ...sync.client import NETWORK

        session = self._session
        if session is None:
            return
        try:
            step = session.throw(error) if error is not None else session.send(value)
        except StopIteration as stop:
            self._session = None
            self._on_done(stop.value)
            return
        except Cancelled:
            self._session = None
            self._finish()
            self.outcome_ready.emit(self.tr("synchronisation annulée : aucune donnée modifiée"))
            return
        except Exception as exc:
            self._session = None
            self._on_error(exc)
            return
        runner = self._network if step.where == NETWORK else self._runner
        title = None if self._automatic or not step.cancellable else self.tr("Synchronisation de l'annuaire…")
        runner.submit(
            _runnable(step),
            on_done=lambda result: self._advance(result, None),
            on_error=lambda exc: self._advance(None, exc),
            on_cancelled=lambda: self._advance(None, Cancelled()),
            progress_title=title,
            cancellable=step.cancellable,
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
        self._probing = True
        directory, load = self.directory, self._load

        def unreadable(exc: BaseException) -> None:
            self._probing = False
            log.error("sync settings unreadable", exc_info=exc)

        self._runner.submit(
            lambda: load(directory),
            on_done=self._probe,
            on_error=unreadable,
            on_cancelled=lambda: setattr(self, "_probing", False),
        )

    def _probe(self, settings: SyncSettings) -> None:
        if settings.offline_only or not settings.feed_url:
            self._probing = False
            return
        self._last_auto = time.monotonic()
        from ...sync.client import SyncClient

        client = SyncClient(self.directory, settings)  # probe() sends one HEAD, it reads no database
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
        self._network_info = info
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

    def _on_done(self, outcome: SyncOutcome) -> None:
        self.last_outcome = outcome
        if outcome.status != history.UPDATED:
            self._report(outcome, None)
            return
        directory = self.directory
        self._runner.submit(
            lambda: directory.meta("tier"),
            on_done=lambda tier: self._report(outcome, str(tier)),
            on_error=lambda exc: self._report(outcome, ""),
        )

    def _report(self, outcome: SyncOutcome, tier: str | None) -> None:
        self._finish()
        if tier is not None:
            self.feed_tier = tier
            self.dataset_changed.emit()
        self.outcome_ready.emit(outcome.message)
        self.refresh_status()
        if not self._automatic and outcome.status != history.CANCELLED:
            self._show(outcome)

    def _on_error(self, exc: BaseException) -> None:
        self._finish()
        log.error("sync failed unexpectedly", exc_info=exc)
        message = self.tr("échec de la synchronisation : erreur inattendue (détails dans le journal)")
        self.outcome_ready.emit(message)
        self._box(message, QMessageBox.Icon.Warning, settings_button=False)

    def _show(self, outcome: SyncOutcome) -> None:
        from ...sync.client import OFFLINE
        from ...sync.errors import NetworkError, NotConfiguredError

        calm = outcome.ok or outcome.status in (OFFLINE, history.CANCELLED) or isinstance(
            outcome.error, NotConfiguredError)
        icon = QMessageBox.Icon.Information if calm else QMessageBox.Icon.Warning
        fixable = isinstance(outcome.error, NotConfiguredError | NetworkError)
        self._box(outcome.message, icon, settings_button=fixable)

    def _box(self, message: str, icon: QMessageBox.Icon, *, settings_button: bool) -> QMessageBox:
        text = message[:1].upper() + message[1:]
        box = QMessageBox(
            icon,
            self.tr("Synchronisation"),
            text if text.endswith(".") else text + ".",
            QMessageBox.StandardButton.Ok,
            self._parent_widget(),
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        if settings_button:
            button = box.addButton(
                self.tr("Paramètres de synchronisation…"), QMessageBox.ButtonRole.ActionRole
            )
            button.clicked.connect(self.open_settings)
        box.setModal(False)
        box.finished.connect(lambda _: self._dialogs.remove(box) if box in self._dialogs else None)
        self._dialogs.append(box)
        self.last_box = box
        box.show()
        return box

    # --- history, settings and status (read on the worker, shown by signals) -------------------------
    @Slot()
    def show_history(self) -> None:
        """Read the history on the worker, then show it (history_shown carries the dialog)."""
        directory = self.directory
        self._runner.submit(lambda: history.entries(directory), on_done=self._history_read)

    def _history_read(self, entries: list[history.HistoryEntry]) -> None:
        dialog = SyncHistoryDialog(entries, self._parent_widget())
        self._keep(dialog)
        dialog.show()
        self.history_shown.emit(dialog)

    @Slot()
    def open_settings(self) -> None:
        """Read the settings on the worker, then show the dialog (settings_shown carries it)."""
        directory, load = self.directory, self._load
        self._runner.submit(lambda: load(directory), on_done=self._settings_read)

    def _settings_read(self, settings: SyncSettings) -> None:
        dialog = SyncSettingsDialog(settings, self.data_dir, self._save_settings, self._parent_widget())
        self._keep(dialog)
        dialog.show()
        self.settings_shown.emit(dialog)

    def _save_settings(
        self, values: dict[str, Any], on_done: Callable[[], None], on_error: Callable[[BaseException], None]
    ) -> None:
        from ...sync.settings import save_settings

        directory = self.directory
        self._runner.submit(
            lambda: save_settings(directory, **values), on_done=lambda _: on_done(), on_error=on_error
        )

    def export_reports(self, path: Path | None = None) -> None:
        """Write the reports kept on this computer to a CSV or JSON file (asked for when not given)."""
        if path is None:
            from ..dialogs.files import ask_save_path

            chosen = ask_save_path(self._parent_widget(), self.tr("Exporter les signalements"),
                                   "signalements-pare.csv", self.tr("Tableur CSV (*.csv);;JSON (*.json)"))
            if chosen is None:
                return
            path = chosen
        from ...sync.reports import export_reports

        directory, target = self.directory, path

        def done(n: int) -> None:
            text = self.tr("%1 signalement(s) exporté(s) dans « %2 »")
            self.outcome_ready.emit(text.replace("%1", str(n)).replace("%2", target.name))

        def failed(exc: BaseException) -> None:
            log.error("reports not exported", exc_info=exc)
            self.outcome_ready.emit(self.tr("signalements non exportés : fichier impossible à écrire"))

        self._runner.submit(lambda: export_reports(directory, target), on_done=done, on_error=failed)

    def refresh_status(self) -> None:
        """Read the dataset version and the last successful sync on the worker; status_ready says it."""
        directory = self.directory

        def read() -> tuple[Any, Any]:
            return directory.dataset_info(), history.last_success(directory)

        self._runner.submit(read, on_done=lambda found: self.status_ready.emit(status_text(*found)))

    def _keep(self, dialog: QWidget) -> None:
        dialog.finished.connect(  # type: ignore[attr-defined]
            lambda _: self._dialogs.remove(dialog) if dialog in self._dialogs else None
        )
        self._dialogs.append(dialog)

    def shutdown(self) -> None:
        self._timer.stop()
        self._session = None
        if self._own_network is not None:
            self._own_network.shutdown()


def _runnable(step: Step) -> Callable[[Progress], Any]:
    """The step as a task: the runner hands a `progress` to functions that name one."""

    def run(progress: Progress) -> Any:
        return step.run(progress)

    return run
