"""The sync controller: action on the worker, outcome, dataset_changed, history dialog, automatic check."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtTest import QAbstractItemModelTester
from pytestqt.qtbot import QtBot

from pare_desktop.core.directory import DatasetInfo, Directory
from pare_desktop.sync import keys
from pare_desktop.sync.http import HttpOptions
from pare_desktop.sync.publish import build
from pare_desktop.sync.settings import SyncSettings
from pare_desktop.ui.sync.controller import SyncController
from pare_desktop.ui.sync.status import status_text
from pare_desktop.ui.tasks import TaskRunner
from tests.sync.feedkit import records, write_source
from tests.sync.servers import Scripted, serve_file

FAST = HttpOptions(socket_timeout=2.0, deadline=10.0, attempts=2, backoff=0.05)  # for the whole sync


@pytest.fixture
def feed(tmp_path: Path) -> Iterator[tuple[str, Path, Path]]:
    priv, pub = keys.generate(tmp_path / "keys")
    build([write_source(tmp_path / "src.pare.jsonl", records(30))], priv, tmp_path / "feed")
    with Scripted(lambda r: serve_file(r, tmp_path / "feed")) as srv:
        yield srv.url, pub, tmp_path


def _controller(
    directory: Directory, runner: TaskRunner, url: str, pub: Path, tmp: Path, **kw: object
) -> SyncController:
    settings = SyncSettings(feed_url=url, cache_dir=tmp / "cache", key_paths=(pub,), http=FAST)
    return SyncController(directory, tmp, runner, settings_loader=lambda d: settings, **kw)  # type: ignore[arg-type]


def test_sync_action_updates_and_reports(
    qtbot: QtBot, runner: TaskRunner, db_path: Path, feed: tuple[str, Path, Path]
) -> None:
    url, pub, tmp = feed
    with Directory.open(db_path) as d:
        c = _controller(d, runner, url, pub, tmp, auto=False)
        with qtbot.waitSignal(c.status_ready, timeout=10_000) as status:
            c.refresh_status()
        assert "Données de démonstration" in status.args[0]
        with (
            qtbot.waitSignal(c.dataset_changed, timeout=20_000),
            qtbot.waitSignal(c.outcome_ready, timeout=20_000) as outcome,
        ):
            c.action.trigger()
        assert "version 1" in outcome.args[0]
        assert runner.wait_idle()
        assert c.action.isEnabled()
        with qtbot.waitSignal(c.status_ready, timeout=10_000) as status:
            c.refresh_status()
        assert "Annuaire version 1" in status.args[0] and "synchronisé le" in status.args[0]
        with qtbot.waitSignal(c.outcome_ready, timeout=20_000) as outcome:
            c.sync_now()
        assert "à jour" in outcome.args[0]
        with qtbot.waitSignal(c.history_shown, timeout=10_000) as shown:
            c.show_history()
        dialog = shown.args[0]
        tester = QAbstractItemModelTester(  # kept: a collected tester checks nothing
            dialog.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
        assert dialog.model.rowCount() == 2
        assert dialog.model.index(0, 1).data() == "déjà à jour"
        dialog.close()
        del tester
        c.shutdown()


def test_automatic_check_probes_then_syncs_quietly(
    qtbot: QtBot, runner: TaskRunner, db_path: Path, feed: tuple[str, Path, Path]
) -> None:
    url, pub, tmp = feed
    with Directory.open(db_path) as d:
        c = _controller(d, runner, url, pub, tmp, auto=False, min_interval_s=3600)
        with qtbot.waitSignal(c.dataset_changed, timeout=20_000):
            c.check_now()
        assert runner.wait_idle()
        with qtbot.assertNotEmitted(c.outcome_ready, wait=300):
            c.check_now()  # within the minimum interval: nothing happens
        c.shutdown()


def test_automatic_check_never_in_offline_only_mode(
    qtbot: QtBot, runner: TaskRunner, db_path: Path, feed: tuple[str, Path, Path]
) -> None:
    url, pub, tmp = feed
    settings = SyncSettings(feed_url=url, cache_dir=tmp / "cache", key_paths=(pub,), offline_only=True)
    with Directory.open(db_path) as d:
        c = SyncController(d, tmp, runner, settings_loader=lambda _: settings, auto=False, min_interval_s=0)
        with qtbot.assertNotEmitted(c.outcome_ready, wait=300):
            c.check_now()
        c.shutdown()


def test_failure_is_a_clear_french_outcome(
    qtbot: QtBot, runner: TaskRunner, db_path: Path, feed: tuple[str, Path, Path], tmp_path: Path
) -> None:
    url, _, tmp = feed
    _, other = keys.generate(tmp_path / "other")
    with Directory.open(db_path) as d:
        c = _controller(d, runner, url, other, tmp, auto=False)
        with qtbot.waitSignal(c.outcome_ready, timeout=20_000) as outcome:
            c.sync_now()
        assert "signature invalide" in outcome.args[0]
        assert runner.wait_idle()
        c.shutdown()


def test_status_text_warns_when_data_is_old() -> None:
    now = datetime(2025, 6, 1, 12, tzinfo=UTC)
    fresh = DatasetInfo(
        "pare-public",
        14,
        date(2025, 5, 20),
        datetime(2025, 5, 21, 9),
        now + timedelta(days=9),
        False,
        100,
        0,
        3,
    )
    assert status_text(fresh, None, now) == "Annuaire version 14 du 20/05/2025 · synchronisé le 21/05/2025"
    expired = replace(fresh, expires=now - timedelta(days=1))
    assert "⚠ données anciennes" in status_text(expired, None, now)
    old = replace(fresh, expires=None, published=date(2025, 1, 2))
    assert "⚠" in status_text(old, None, now)
