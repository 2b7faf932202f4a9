"""One sync from start to end: manifest, verification, plan, downloads, apply, history, reports.

A sync is a sequence of steps, each marked NETWORK or DATABASE: the command line runs them in turn on
one thread (`SyncClient.run`), the window runs network steps on their own thread and database steps,
brief, on the database worker (`SyncClient.session` driven by ui.sync.controller).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Generator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pare_desktop.core.changes import ApplyOutcome
from pare_desktop.core.progress import Cancelled, NullProgress, Progress

from . import history
from .apply import apply_plan
from .download import Downloader, clear_cache
from .errors import (
    IntegrityError,
    NetworkError,
    NotConfiguredError,
    OfflineError,
    SyncError,
)
from .feed import MAX_MANIFEST_BYTES, Manifest
from .http import Http
from .keys import PublicKey, load_public
from .plan import Plan, choose
from .reports import pending_payload
from .settings import SyncSettings
from .verify import Installed, is_up_to_date, verify_manifest

if TYPE_CHECKING:
    from pare_desktop.core.directory import Directory

log = logging.getLogger("pare.sync")

OFFLINE = "offline"  # a history outcome beside history.UPDATED, UP_TO_DATE, FAILED, CANCELLED
NETWORK, DATABASE = "network", "database"
NOT_CONFIGURED = (
    "aucune adresse de flux configurée : indiquez-la dans Outils › Paramètres de synchronisation"
)


@dataclass(frozen=True, slots=True)
class Step:
    """One piece of a sync: `run(progress)` on the network thread or on the database worker."""

    where: str  # NETWORK or DATABASE
    run: Callable[[Progress], Any]
    cancellable: bool = True


Session = Generator[Step, Any, "SyncOutcome"]


@dataclass(frozen=True, slots=True)
class SyncOutcome:
    """What a sync did, for the history, the status bar and the command line."""

    status: str  # history.UPDATED, UP_TO_DATE, FAILED, CANCELLED, or OFFLINE
    message: str  # French, for the user
    from_version: int | None = None
    to_version: int | None = None
    path: str = ""  # "snapshot", "delta", "chain"
    bytes_downloaded: int = 0
    applied: ApplyOutcome | None = None
    reports_sent: int = 0
    error: SyncError | None = None

    @property
    def ok(self) -> bool:
        return self.status in (history.UPDATED, history.UP_TO_DATE)


def drive(session: Session, execute: Callable[[Step], Any]) -> SyncOutcome:
    """Run every step of `session` with `execute`, sending results and exceptions back into it."""
    value: Any = None
    error: BaseException | None = None
    while True:
        try:
            step = session.throw(error) if error is not None else session.send(value)
        except StopIteration as stop:
            outcome: SyncOutcome = stop.value
            return outcome
        try:
            value, error = execute(step), None
        except BaseException as exc:  # thrown back into the session, which decides
            value, error = None, exc


def _net(fn: Callable[[Progress], Any]) -> Step:
    return Step(NETWORK, fn)


def _db(fn: Callable[[Progress], Any], cancellable: bool = True) -> Step:
    return Step(DATABASE, fn, cancellable)


class SyncClient:
    """Pulls the signed feed into one directory; every outcome is recorded in the sync history."""

    def __init__(
        self, directory: Directory, settings: SyncSettings, *, now: Callable[[], datetime] | None = None
    ) -> None:
        self.directory = directory
        self.settings = settings
        self._now = now or (lambda: datetime.now(UTC))
        self._bytes = 0

    def trusted_keys(self) -> list[PublicKey]:
        if not self.settings.key_paths:
            raise NotConfiguredError("aucune clé publique PARÉ configurée")
        return [load_public(p) for p in self.settings.key_paths]

    def probe(self) -> bool:
        """Is the feed reachable now (a HEAD of the manifest)? Never raises; no database access."""
        if not self.settings.feed_url or self.settings.offline_only:
            return False
        return Http(self.settings.http, token=self.settings.token).probe(self.settings.manifest_url)

    def run(self, progress: Progress | None = None) -> SyncOutcome:
        """Sync once on this thread; SyncError and cancellation become outcomes, anything else is raised."""
        p = progress or NullProgress()
        return drive(self.session(), lambda step: step.run(p))

    def session(self) -> Session:
        """The sync as steps; the history records every outcome, even an unexpected error."""
        started = datetime.now().replace(microsecond=0)
        before = yield _db(lambda p: self.directory.dataset_info().version)
        self._bytes = 0
        outcome: SyncOutcome
        try:
            outcome = yield from self._steps(before)
        except Cancelled:
            outcome = SyncOutcome(
                history.CANCELLED,
                "synchronisation annulée : aucune donnée modifiée",
                before,
                None,
                bytes_downloaded=self._bytes,
            )
        except OfflineError as exc:
            log.info("sync: offline (%s)", exc.message)
            outcome = SyncOutcome(OFFLINE, exc.message, before, None, error=exc)
        except SyncError as exc:
            log.warning("sync failed: %s", exc.message)
            # nothing configured yet is a set-up step, not a failure: say what to do, calmly
            setup = isinstance(exc, NotConfiguredError)
            outcome = SyncOutcome(
                history.FAILED,
                exc.message if setup else f"échec de la synchronisation : {exc.message}",
                before,
                None,
                bytes_downloaded=self._bytes,
                error=exc,
            )
        except Exception as exc:
            log.error("sync failed unexpectedly", exc_info=exc)
            failed = SyncOutcome(
                history.FAILED,
                "échec de la synchronisation : erreur inattendue (détails dans le journal)",
                before,
                None,
                bytes_downloaded=self._bytes,
            )
            yield _db(lambda p: self._record(started, failed), cancellable=False)
            raise
        yield _db(lambda p: self._record(started, outcome), cancellable=False)
        return outcome

    def _record(self, started: datetime, outcome: SyncOutcome) -> None:
        entry = history.HistoryEntry(
            started,
            datetime.now().replace(microsecond=0),
            outcome.status,
            outcome.from_version,
            outcome.to_version,
            outcome.bytes_downloaded,
            outcome.message,
        )
        try:
            history.append(self.directory, entry)
        except Exception:  # the history must never hide the real outcome (a full disk, for instance)
            log.exception("could not record the sync history")

    def _installed(self, m: Manifest) -> Installed:
        info = self.directory.dataset_info()
        return Installed(info.dataset_id, info.version, self.directory.trusted_version(m.dataset_id))

    def _steps(self, before: int | None) -> Session:
        s = self.settings
        if not s.feed_url:
            raise NotConfiguredError(NOT_CONFIGURED)
        if s.offline_only:
            raise NotConfiguredError("mode hors ligne uniquement : la synchronisation est désactivée")
        keys = self.trusted_keys()
        http = Http(s.http, token=s.token)  # the sync's deadline starts now

        def manifest(progress: Progress) -> Manifest:
            http.cancelled = progress.is_cancelled
            progress.set_status("Vérification de la version publiée…")
            return verify_manifest(http.get_small(s.manifest_url, MAX_MANIFEST_BYTES), keys)

        m: Manifest = yield _net(manifest)
        installed: Installed = yield _db(lambda p: self._installed(m))
        if is_up_to_date(m, installed, self._now()):
            stamp = {"last_sync": datetime.now().replace(microsecond=0).isoformat()}
            yield _db(lambda p: self.directory.set_meta(stamp))
            sent = yield from self._send_reports(http)
            return SyncOutcome(
                history.UP_TO_DATE, f"annuaire à jour (version {m.version})", before, m.version,
                reports_sent=sent,
            )
        plan = choose(m, installed.dataset_id, installed.version)
        try:
            applied = yield from self._pull(http, m, plan)
        except IntegrityError:
            if plan.snapshot:
                raise
            log.warning("delta did not lead to the signed dataset: falling back to the snapshot")
            plan = choose(m, "", None)
            applied = yield from self._pull(http, m, plan)
        sent = yield from self._send_reports(http)
        return SyncOutcome(
            history.UPDATED,
            f"annuaire mis à jour : version {m.version} ({m.record_count} structures)",
            before,
            m.version,
            plan.kind,
            self._bytes,
            applied,
            sent,
        )

    def _pull(self, http: Http, manifest: Manifest, plan: Plan) -> Generator[Step, Any, ApplyOutcome]:
        paths: list[Path] = yield _net(lambda p: self._download(http, plan, p))
        applied: ApplyOutcome = yield _db(lambda p: self._apply(manifest, plan, paths, p))
        return applied

    def _download(self, http: Http, plan: Plan, progress: Progress) -> list[Path]:
        """Network only: every file of the plan, verified against the signed lengths and hashes."""
        http.cancelled = progress.is_cancelled
        total = plan.total_bytes
        done = 0

        def on_bytes(n: int) -> None:
            nonlocal done
            done += n
            self._bytes += n
            progress.set_progress(done, total)

        loader = Downloader(http, self.settings.cache_dir, self.settings.max_file_bytes, on_bytes)
        paths: list[Path] = []
        for n, f in enumerate(plan.files, start=1):
            progress.set_status(f"Téléchargement ({n}/{len(plan.files)})…")
            paths.append(loader.fetch(self.settings.file_url(f.path), f))
        return paths

    def _apply(self, manifest: Manifest, plan: Plan, paths: list[Path], progress: Progress) -> ApplyOutcome:
        """Database only: the verified files handed to the directory as one change set (search refreshed)."""
        progress.set_status("Application de la mise à jour…")
        applied = apply_plan(self.directory, manifest, plan, paths, progress)
        clear_cache(self.settings.cache_dir)
        return applied

    def _send_reports(self, http: Http) -> Generator[Step, Any, int]:
        """Queued error reports: read and marked on the database, posted on the network; never fatal."""
        url = self.settings.report_url
        if not url:
            return 0
        pending = yield _db(lambda p: pending_payload(self.directory))
        if pending is None:
            return 0
        ids, body = pending

        def post(progress: Progress) -> None:
            http.cancelled = progress.is_cancelled
            http.post_json(url, body)

        try:
            yield _net(post)
        except (NetworkError, OSError, Cancelled) as exc:
            log.warning("error reports kept queued: %r", exc)
            return 0
        yield _db(lambda p: self.directory.user.mark_reports_sent(ids), cancellable=False)
        return len(ids)
