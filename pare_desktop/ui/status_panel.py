"""Status bar content and the demo banner: dataset version and date, last sync, demo data warning."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from ..core.directory import DatasetInfo
from .detail.present import BADGE_COLOURS, BADGE_DEMO, format_date
from .sync.status import is_stale


def dataset_text(info: DatasetInfo) -> str:
    from PySide6.QtCore import QCoreApplication

    def t(s: str) -> str:
        return QCoreApplication.translate("status", s)

    name = t("données de démonstration") if info.is_demo else info.dataset_id or t("annuaire")
    version = t(" · version %1").replace("%1", str(info.version)) if info.version is not None else ""
    published = t(" du %1").replace("%1", format_date(info.published)) if info.published else ""
    # the count the search shows (as `pare stats` and the dashboard), not the rows of the table
    count = info.visible if info.visible >= 0 else info.count + info.local_count
    return t("Annuaire : %1%2%3 · %4 structures").replace("%1", name).replace("%2", version).replace(
        "%3", published).replace("%4", f"{count:,}".replace(",", "\u202f"))


def sync_text(info: DatasetInfo, now: datetime | None = None) -> str:
    """Last sync, and a warning when the data is older than the feed's expiry or 90 days."""
    from PySide6.QtCore import QCoreApplication

    if info.last_sync is None:
        text = QCoreApplication.translate("status", "Dernière synchronisation : jamais")
    else:
        when = f"{format_date(info.last_sync)} {info.last_sync.hour:02d}:{info.last_sync.minute:02d}"
        text = QCoreApplication.translate("status", "Dernière synchronisation : %1").replace("%1", when)
    if is_stale(info, now or datetime.now().astimezone()):
        text += " · ⚠ " + QCoreApplication.translate(
            "status", "données anciennes : synchronisez dès qu'une connexion est disponible")
    return text


class DemoBanner(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        bg, fg = BADGE_COLOURS[BADGE_DEMO]
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setText(self.tr(
            "Données de démonstration : les structures marquées « (démo) » sont fictives. Les lignes "
            "nationales (119, 116 000, 3018…) sont réelles. Importez ou synchronisez l'annuaire pour "
            "travailler sur les vraies données."))
        self.setAccessibleName(self.tr("Avertissement : données de démonstration"))
        self.setStyleSheet(f"QLabel {{ background: {bg}; color: {fg}; padding: 6px 10px; }}")


class StatusPanel:
    """Permanent widgets of the status bar; `show_info` refreshes them."""

    def __init__(self, bar: QStatusBar) -> None:
        self.bar = bar
        self.dataset = QLabel(bar)
        self.dataset.setAccessibleName(bar.tr("Version de l'annuaire"))
        self.sync = QLabel(bar)
        self.sync.setAccessibleName(bar.tr("Dernière synchronisation"))
        for label in (self.dataset, self.sync):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setContentsMargins(10, 0, 10, 0)
            bar.addPermanentWidget(label)
        bar.messageChanged.connect(self._make_room)

    def _make_room(self, message: str) -> None:
        """A message too long to sit beside the version and sync labels hides them while it shows,
        rather than being cut (« … exportez-le par Outils › Exporter| »)."""
        labels = (self.dataset, self.sync)
        needed = self.bar.fontMetrics().horizontalAdvance(message) + 40  # the bar's own margins
        crowded = bool(message) and needed + sum(lbl.sizeHint().width() for lbl in labels) > self.bar.width()
        for label in labels:
            label.setVisible(not crowded)

    def show_info(self, info: DatasetInfo) -> None:
        self.dataset.setText(dataset_text(info))
        self.sync.setText(sync_text(info))
