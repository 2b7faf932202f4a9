"""One sync from start to end: manifest, verification, plan, downloads, apply, history, reports."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import OperationalError

from pare_desktop.core import db, store
from pare_desktop.core.progress import Cancelled, NullProgress, Progress

from . import history
from .apply import ApplyResult, apply_plan, trusted_version
from .download import Downloader, clear_cache
from .errors import IntegrityError, NetworkError, NotConfiguredError, StorageError, SyncError
from .feed import MAX_MANIFEST_BYTES, Manifest
from .http import Http
from .keys import PublicKey, load_public
from .plan import Plan, choose
from .reports import send_pending
from .settings import SyncSettings
from .verify import Installed, is_up_to_date, verify_manifest

if TYPE_CHECKING:
    from pare_desktop.core.directory import Directory

log = logging.getLogger("pare.sync")


@dataclass(frozen=True, slots=True)
class SyncOutcome:
    """What a sync did, for the history, the status bar and the command line."""

    status: str  # history.UPDATED, UP_TO_DATE, FAILED, CANCELLED
    message: str  # French, for the user
    from_version: int | None = None
    to_version: int | None = None
    path: str = ""  # "snapshot", "delta", "chain"
    bytes_downloaded: int = 0
    applied: ApplyResult | None = None
    reports_sent: int = 0
    error: SyncError | None = None

    @property
    def ok(self) -> bool:
        return self.status in (history.UPDATED, history.UP_TO_DATE)


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
        """Is the feed reachable now (a HEAD of the manifest)? Never raises."""
        if not self.settings.feed_url or self.settings.offline_only:
            return False
        return Http(self.settings.http, token=self.settings.token).probe(self.settings.manifest_url)

    def run(self, progress: Progress | None = None) -> SyncOutcome:
        """Sync once; SyncError and cancellation become outcomes, anything else is recorded then raised."""
        progress = progress or NullProgress()
        started = datetime.now().replace(microsecond=0)
        before = self.directory.dataset_info().version
        self._bytes = 0
        outcome: SyncOutcome
        try:
            outcome = self._run(progress, before)
        except Cancelled:
            outcome = SyncOutcome(
                history.CANCELLED,
                "synchronisation annulée : aucune donnée modifiée",
                before,
                None,
                bytes_downloaded=self._bytes,
            )
        except SyncError as exc:
            log.warning("sync failed: %s", exc.message)
            outcome = SyncOutcome(
                history.FAILED,
                f"échec de la synchronisation : {exc.message}",
                before,
                None,
                bytes_downloaded=self._bytes,
                error=exc,
            )
        except Exception as exc:
            self._record(
                started,
                SyncOutcome(
                    history.FAILED, f"erreur inattendue : {exc!r}", before, None, bytes_downloaded=self._bytes
                ),
            )
            raise
        self._record(started, outcome)
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
            history.append(self.directory.engine, entry)
        except Exception:  # the history must never hide the real outcome (a full disk, for instance)
            log.exception("could not record the sync history")

    def _installed(self, m: Manifest) -> Installed:
        with db.read(self.directory.engine) as c:
            version = store.get_meta(c, "version")
            return Installed(
                store.get_meta(c, "dataset_id"),
                int(version) if version else None,
                trusted_version(c, m.dataset_id),
            )

    def _run(self, progress: Progress, before: int | None) -> SyncOutcome:
        s = self.settings
        if not s.feed_url:
            raise NotConfiguredError(
                "aucune adresse de flux configurée : indiquez-la dans les réglages (--feed)"
            )
        if s.offline_only:
            raise NotConfiguredError("mode hors ligne uniquement : la synchronisation est désactivée")
        keys = self.trusted_keys()
        http = Http(s.http, token=s.token, cancelled=progress.is_cancelled)
        progress.set_status("Vérification de la version publiée…")
        manifest = verify_manifest(http.get_small(s.manifest_url, MAX_MANIFEST_BYTES), keys)
        installed = self._installed(manifest)
        if is_up_to_date(manifest, installed, self._now()):
            self.directory.set_meta({"last_sync": datetime.now().replace(microsecond=0).isoformat()})
            sent = self._send_reports(http)
            return SyncOutcome(
                history.UP_TO_DATE,
                f"annuaire à jour (version {manifest.version})",
                before,
                manifest.version,
                reports_sent=sent,
            )
        plan = choose(manifest, installed.dataset_id, installed.version)
        try:
            applied = self._pull(http, manifest, plan, progress)
        except IntegrityError:
            if plan.snapshot:
                raise
            log.warning("delta did not lead to the signed dataset: falling back to the snapshot")
            plan = choose(manifest, "", None)
            applied = self._pull(http, manifest, plan, progress)
        clear_cache(s.cache_dir)
        progress.set_status("Mise à jour de la recherche…")
        self.directory.reload_index()
        sent = self._send_reports(http)
        return SyncOutcome(
            history.UPDATED,
            f"annuaire mis à jour : version {manifest.version} ({manifest.record_count} structures)",
            before,
            manifest.version,
            plan.kind,
            self._bytes,
            applied,
            sent,
        )

    def _pull(self, http: Http, manifest: Manifest, plan: Plan, progress: Progress) -> ApplyResult:
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
        progress.set_status("Application de la mise à jour…")
        try:
            return apply_plan(self.directory.engine, manifest, plan, paths, progress)
        except OperationalError as exc:
            if "full" not in str(exc.orig):
                raise
            raise StorageError(
                "espace disque insuffisant : mise à jour annulée, les données précédentes sont intactes"
            ) from exc

    def _send_reports(self, http: Http) -> int:
        try:
            return send_pending(self.directory, http, self.settings.report_url)
        except (NetworkError, OSError) as exc:
            log.warning("error reports kept queued: %s", exc)
            return 0
