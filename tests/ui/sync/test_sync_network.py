"""The directory keeps answering while a slow server sends the feed; offline is said at once, calmly."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, event

from pare_desktop.app import Gui
from pare_desktop.core.directory import Directory
from pare_desktop.sync import keys
from pare_desktop.sync.publish import build
from pare_desktop.sync.settings import save_settings
from tests.sync.feedkit import records, write_source
from tests.sync.servers import Scripted, free_port, serve_file

from ..helpers import settle


@contextmanager
def gui_thread_sql(engine: Engine) -> Iterator[list[str]]:
    """The statements the GUI thread sends to the database while the block runs (there must be none)."""
    seen: list[str] = []

    def listen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if threading.current_thread() is threading.main_thread():
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", listen)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", listen)


class HeldFeed:
    """A loopback feed whose data file stops half-way until the test releases it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.midway = threading.Event()
        self.release = threading.Event()

    def handle(self, req: object) -> None:
        path = getattr(req, "path", "")
        if not path.startswith("/files/"):
            serve_file(req, self.root)  # type: ignore[arg-type]
            return
        body = (self.root / path.lstrip("/")).read_bytes()
        req.send_response(200)  # type: ignore[attr-defined]
        req.send_header("Content-Length", str(len(body)))  # type: ignore[attr-defined]
        req.send_header("ETag", '"v1"')  # type: ignore[attr-defined]
        req.end_headers()  # type: ignore[attr-defined]
        req.wfile.write(body[: len(body) // 2])  # type: ignore[attr-defined]
        req.wfile.flush()  # type: ignore[attr-defined]
        self.midway.set()
        self.release.wait(30)
        req.wfile.write(body[len(body) // 2 :])  # type: ignore[attr-defined]


@pytest.fixture
def held(tmp_path: Path, db_path: Path) -> Iterator[tuple[HeldFeed, str]]:
    priv, pub = keys.generate(tmp_path / "keys")
    build([write_source(tmp_path / "src.pare.jsonl", records(40))], priv, tmp_path / "feed")
    feed = HeldFeed(tmp_path / "feed")
    with Scripted(feed.handle) as srv:
        with Directory.open(db_path) as d:
            save_settings(d, feed_url=srv.url, key_path=pub)
        yield feed, srv.url
        feed.release.set()


def test_search_answers_while_the_feed_is_downloading(
    make_gui: object, db_path: Path, qtbot: QtBot, held: tuple[HeldFeed, str]
) -> None:
    feed, _ = held
    gui: Gui = make_gui(db_path)  # type: ignore[operator]
    w, sync = gui.window, gui.workspace.sync
    total = w.model.rowCount()
    with gui_thread_sql(gui.directory.engine) as sql:
        sync.sync_now(automatic=True)  # what the automatic check starts: no dialog
        qtbot.waitUntil(feed.midway.is_set, timeout=10_000)
    assert sql == []

    t0 = time.monotonic()
    qtbot.keyClicks(w.search_field, "119")
    settle(gui, qtbot)  # the database worker is free: the download runs on its own thread
    answered = time.monotonic() - t0
    assert 0 < w.model.rowCount() < total
    assert answered < 3, answered
    w.results.table.selectRow(0)  # and the details of a result
    settle(gui, qtbot)
    assert w.detail.structure is not None and "119" in w.detail.structure.name
    assert not feed.release.is_set() and not sync.action.isEnabled()  # still mid-download

    with gui_thread_sql(gui.directory.engine) as sql, qtbot.waitSignal(sync.dataset_changed, timeout=20_000):
        feed.release.set()
    assert sql == []  # the apply, the history and the feed tier: all on the worker
    settle(gui, qtbot)
    assert sync.action.isEnabled()
    assert sync.last_outcome is not None and sync.last_outcome.status == "updated"


def test_offline_is_said_at_once_with_a_way_to_the_settings(
    gui: Gui, qtbot: QtBot
) -> None:
    sync = gui.workspace.sync
    save_settings(gui.directory, feed_url=f"http://127.0.0.1:{free_port()}/")  # nothing listens there
    t0 = time.monotonic()
    engine = gui.directory.engine
    with gui_thread_sql(engine) as sql, qtbot.waitSignal(sync.outcome_ready, timeout=5_000) as outcome:
        sync.action.trigger()
    assert time.monotonic() - t0 < 3
    message = outcome.args[0]
    assert message.startswith("hors ligne") and "Errno" not in message and "Error" not in message
    box = sync.last_box
    assert box is not None and box.icon() == QMessageBox.Icon.Information
    button = next(b for b in box.buttons() if b.text() == "Paramètres de synchronisation…")
    with gui_thread_sql(engine) as more, qtbot.waitSignal(sync.settings_shown, timeout=5_000) as shown:
        button.click()
    dialog = shown.args[0]
    assert dialog.isVisible() and dialog.feed.text().startswith("http://127.0.0.1:")
    dialog.close()
    with gui_thread_sql(engine) as history_sql, qtbot.waitSignal(sync.history_shown) as shown:
        sync.history_action.trigger()
    assert shown.args[0].model.index(0, 1).data() == "hors ligne"
    shown.args[0].close()
    assert sql == more == history_sql == []


def test_no_feed_set_points_to_the_settings_dialog(gui: Gui, qtbot: QtBot) -> None:
    sync = gui.workspace.sync
    with qtbot.waitSignal(sync.outcome_ready, timeout=5_000) as outcome:
        sync.action.trigger()
    assert "Paramètres de synchronisation" in outcome.args[0] and "--feed" not in outcome.args[0]
    assert "échec" not in outcome.args[0]  # a set-up step, not a failure
    box = sync.last_box
    assert box is not None and box.icon() == QMessageBox.Icon.Information
    assert any(b.text() == "Paramètres de synchronisation…" for b in box.buttons())
    box.close()


def test_reports_kept_here_are_exported_from_the_window(gui: Gui, qtbot: QtBot, tmp_path: Path) -> None:
    gui.directory.user.queue_report("reference:119", "119", "Horaires à vérifier")
    sync = gui.workspace.sync
    assert sync.export_reports_action in gui.window.menu_tools.actions()
    with qtbot.waitSignal(sync.outcome_ready, timeout=5_000) as said:
        sync.export_reports(tmp_path / "signalements.csv")
    assert said.args[0] == "1 signalement(s) exporté(s) dans « signalements.csv »"
    assert "Horaires à vérifier" in (tmp_path / "signalements.csv").read_text("utf-8-sig")


def test_the_sync_deadline_is_set_in_the_settings_dialog(gui: Gui, qtbot: QtBot) -> None:
    sync = gui.workspace.sync
    with qtbot.waitSignal(sync.settings_shown, timeout=5_000) as shown:
        gui.workspace.open_sync_settings()
    dialog = shown.args[0]
    assert dialog.deadline.value() == 3  # the default: three minutes
    dialog.deadline.setValue(10)
    with gui_thread_sql(gui.directory.engine) as sql, qtbot.waitSignal(dialog.saved, timeout=5_000):
        assert dialog.save()
    assert sql == []
    with qtbot.waitSignal(sync.settings_shown, timeout=5_000) as shown:
        gui.workspace.open_sync_settings()
    assert shown.args[0].deadline.value() == 10
    shown.args[0].close()


def test_cancelling_a_stuck_download_answers_at_once(
    make_gui: object, db_path: Path, qtbot: QtBot, held: tuple[HeldFeed, str]
) -> None:
    from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

    feed, _ = held
    gui: Gui = make_gui(db_path)  # type: ignore[operator]
    sync = gui.workspace.sync
    sync.action.trigger()  # manual: a progress dialog once the work lasts
    qtbot.waitUntil(feed.midway.is_set, timeout=10_000)

    def dialog() -> QProgressDialog | None:
        found = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()
        ]
        return found[0] if found else None

    qtbot.waitUntil(lambda: dialog() is not None, timeout=5_000)
    progress = dialog()
    assert progress is not None and progress.labelText().startswith("Téléchargement")
    t0 = time.monotonic()
    button = progress.findChild(QPushButton)
    assert button is not None and button.text() == "Annuler"
    with qtbot.waitSignal(sync.outcome_ready, timeout=5_000) as outcome:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # the blocked read is cut, not waited for
    assert time.monotonic() - t0 < 1.5
    assert outcome.args[0] == "synchronisation annulée : aucune donnée modifiée"
    settle(gui, qtbot)
    assert sync.action.isEnabled() and gui.window.model.rowCount() > 300  # the demo, untouched
