"""Keystroke to results painted at 100k, idle and while a sync downloads from a slow loopback server.

Run: QT_QPA_PLATFORM=offscreen python -m benchmarks.bench_sync_ui [--n 100000] [--runs 3]
Target (issue 13.3): p95 during the download <= 2x p95 idle, both measured in the same run.
Each run types the same words twice in one window: once idle, once while the feed's data file trickles
in (a few bytes every 50 ms, the last byte held until the measure ends). --old-way runs the network
steps on the database worker as before the change, to show what the split buys.
"""

from __future__ import annotations

import argparse
import http.server
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_ui import directory_file  # noqa: E402  (after the path: run as a script too)

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

WORDS = ["mayotte", "maison ado", "ecoute", "victimes paris"]


class TrickleFeed:
    """Serves a feed; data files come a few bytes every 50 ms and their last byte only on release."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.downloading = threading.Event()
        self.release = threading.Event()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                path = outer.root / self.path.lstrip("/")
                if not path.is_file():
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = path.read_bytes()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if not self.path.startswith("/files/"):
                    self.wfile.write(body)
                    return
                outer.downloading.set()
                try:
                    for i in range(0, len(body) - 1, 8):
                        if outer.release.is_set():
                            break
                        self.wfile.write(body[i : min(i + 8, len(body) - 1)])
                        self.wfile.flush()
                        time.sleep(0.05)
                    outer.release.wait(600)
                    self.wfile.write(body[-1:])
                except OSError:
                    pass

            do_HEAD = do_GET

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        serve = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05})
        serve.daemon = True
        serve.start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def feed(tmp: Path) -> tuple[Path, Path]:
    """A small signed feed (the download is slow because the server is, not because it is big)."""
    from pare_desktop.sync import keys
    from pare_desktop.sync.publish import build
    from tests.sync.feedkit import records, write_source

    priv, pub = keys.generate(tmp / "keys")
    build([write_source(tmp / "src.pare.jsonl", records(60))], priv, tmp / "feed")
    return tmp / "feed", pub


def type_words(gui: Any, words: list[str]) -> list[float]:
    """Keystroke to results painted, in ms, for every key of `words` typed then erased."""
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtTest import QTest

    w = gui.window
    pending: list[float] = []
    times: list[float] = []

    def shown(_outcome: object) -> None:
        w.results.table.viewport().repaint()
        if pending:
            times.append((time.perf_counter() - pending.pop()) * 1000)
            pending.clear()

    w.search.results_ready.connect(shown, Qt.ConnectionType.QueuedConnection)
    keys = [c for word in words for c in list(word) + ["\b"] * len(word)]
    loop = QEventLoop()

    def press(i: int) -> None:
        if i >= len(keys):
            QTimer.singleShot(600, loop.quit)
            return
        pending[:] = [time.perf_counter()]
        if keys[i] == "\b":
            QTest.keyClick(w.search_field, Qt.Key.Key_Backspace)
        else:
            QTest.keyClicks(w.search_field, keys[i])
        QTimer.singleShot(300, lambda: press(i + 1))  # longer than the debounce: every key searches

    w.search_field.setFocus()
    QTimer.singleShot(0, lambda: press(0))
    loop.exec()
    w.search.results_ready.disconnect(shown)
    return sorted(times)


def pct(values: list[float], p: float) -> float:
    """The p-th percentile; infinite when no search answered at all (the old way during a download)."""
    return values[min(len(values) - 1, round(p * (len(values) - 1)))] if values else float("inf")


def one_run(source_db: Path, old_way: bool) -> tuple[list[float], list[float], bool]:
    from PySide6.QtCore import QSettings

    from pare_desktop.app import build_gui
    from pare_desktop.core.directory import Directory
    from pare_desktop.sync.settings import save_settings

    with tempfile.TemporaryDirectory(prefix="pare-bench-syncui-") as t:
        tmp = Path(t)
        db = tmp / "data" / "pare.sqlite"
        db.parent.mkdir()
        shutil.copy(source_db, db)
        root, pub = feed(tmp)
        server = TrickleFeed(root)
        try:
            with Directory.open(db) as d:
                save_settings(d, feed_url=server.url, key_path=pub)
            gui = build_gui(db, settings=QSettings(str(tmp / "ui.ini"), QSettings.Format.IniFormat),
                            hook=False, restore=False)
            gui.window.resize(1366, 768)
            gui.window.show()
            gui.runner.wait_idle(120_000)
            idle = type_words(gui, WORDS)
            sync = gui.workspace.sync
            if old_way:
                sync._network = gui.runner  # every step on the database worker, as before
            sync.sync_now(automatic=True)
            while not server.downloading.is_set():
                gui.app.processEvents()
                time.sleep(0.01)
            busy = type_words(gui, WORDS)
            still = not server.release.is_set() and not sync.action.isEnabled()
            server.release.set()
            gui.close()
        finally:
            server.close()
    return idle, busy, still


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--old-way", action="store_true", help="network steps on the database worker")
    args = parser.parse_args()
    source = directory_file(args.n)
    idle_p95, busy_p95, idle_p50, busy_p50 = [], [], [], []
    for r in range(args.runs):
        idle, busy, still = one_run(source, args.old_way)
        idle_p95.append(pct(idle, 0.95))
        busy_p95.append(pct(busy, 0.95))
        idle_p50.append(pct(idle, 0.5))
        busy_p50.append(pct(busy, 0.5))
        print(f"run {r + 1}: idle p50 {idle_p50[-1]:.0f} ms p95 {idle_p95[-1]:.0f} ms ({len(idle)} keys); "
              f"during download p50 {busy_p50[-1]:.0f} ms p95 {busy_p95[-1]:.0f} ms ({len(busy)} keys); "
              f"download still running at the end: {'yes' if still else 'NO'}")
    i95, b95 = statistics.median(idle_p95), statistics.median(busy_p95)
    print(f"{args.n:,} structures, keystroke to results painted, medians over {args.runs} run(s): "
          f"idle p50 {statistics.median(idle_p50):.0f} ms, p95 {i95:.0f} ms; during a sync download "
          f"p50 {statistics.median(busy_p50):.0f} ms, p95 {b95:.0f} ms; ratio p95 {b95 / i95:.2f} "
          f"(target <= 2){' [old way: network on the database worker]' if args.old_way else ''}")


if __name__ == "__main__":
    main()
