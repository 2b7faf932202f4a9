"""The sync part of the status bar: dataset version and date, last successful sync, staleness warning."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from PySide6.QtCore import QCoreApplication

from ...core.directory import DatasetInfo

STALE_AFTER = timedelta(days=90)


def _tr(text: str) -> str:
    return QCoreApplication.translate("sync", text)


def _day(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def is_stale(info: DatasetInfo, now: datetime) -> bool:
    """Older than the feed's expiry, or than 90 days, whichever comes first."""
    if info.version is None:
        return False
    if info.expires is not None and now.astimezone(UTC) >= info.expires.astimezone(UTC):
        return True
    return info.published is not None and now.date() - info.published > STALE_AFTER


def status_text(info: DatasetInfo, last_success: datetime | None, now: datetime | None = None) -> str:
    """One line: "Annuaire version 14 du 03/05/2025 · synchronisé le 04/05/2025 [· ⚠ données anciennes…]"."""
    now = now or datetime.now().astimezone()
    if info.version is None:
        text = _tr("Annuaire non synchronisé") if not info.is_demo else _tr("Données de démonstration")
    else:
        text = _tr("Annuaire version %1").replace("%1", str(info.version))
        if info.published:
            text += " " + _tr("du %1").replace("%1", _day(info.published))
    last = last_success or info.last_sync
    text += " · " + (
        _tr("synchronisé le %1").replace("%1", _day(last.date())) if last else _tr("jamais synchronisé")
    )
    if is_stale(info, now):
        text += " · ⚠ " + _tr("données anciennes : synchronisez dès qu'une connexion est disponible")
    return text
