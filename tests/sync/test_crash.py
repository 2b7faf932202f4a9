"""Killed (SIGKILL) or out of disk during apply: old data intact, integrity ok, the next sync works."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Connection

from pare_desktop.core import db, writes
from pare_desktop.core.directory import Directory
from pare_desktop.sync import errors
from pare_desktop.sync.client import SyncClient

from .conftest import Publisher
from .feedkit import local_publisher, mutate, published, records, table_dump
from .servers import Scripted, serve_file

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("first", [True, False], ids=["snapshot", "delta"])
@pytest.mark.parametrize("stage,nth", [("begin", 1), ("chunk", 2), ("data", 1), ("commit", 1)])
def test_sigkill_during_apply(
    first: bool,
    stage: str,
    nth: int,
    tmp_path: Path,
    publisher: Publisher,
    keypair: tuple[Path, Path],
    make_settings,
) -> None:  # type: ignore[no-untyped-def]
    v1 = records(900)
    publisher.publish(v1)
    path = tmp_path / "data" / "pare.sqlite"
    with Scripted(lambda r: serve_file(r, publisher.feed)) as srv:
        with Directory.open(path) as d:
            d.user.set_note(v1[7].id, "note")
            if not first:
                assert SyncClient(d, make_settings(srv.url)).run().status == "updated"
                publisher.publish(mutate(v1, random.Random(1), 2, 800, 30, 30))
        before = table_dump(path)
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "tests.sync.crash_child",
                str(path),
                srv.url,
                str(keypair[1]),
                stage,
                str(nth),
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            timeout=120,
        )
        assert proc.returncode == -9, proc.stderr.decode()[-2000:]
        assert db.integrity_ok(path)
        assert table_dump(path) == before
        with Directory.open(path) as d:
            assert d.user.note(v1[7].id) == "note"
            out = SyncClient(d, make_settings(srv.url)).run()
            assert out.status == "updated", out.message


def test_disk_full_during_apply(
    directory: Directory, publisher: Publisher, make_settings, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    recs = records(3000)
    publisher.publish(recs)
    before = table_dump(directory.path)

    def fill(stage: str, conn: Connection) -> None:
        if stage == "begin":
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar_one()
            conn.exec_driver_sql(f"PRAGMA max_page_count = {int(pages) + 20}")

    monkeypatch.setattr(writes, "_checkpoint", fill)
    with Scripted(lambda r: serve_file(r, publisher.feed)) as srv:
        out = SyncClient(directory, make_settings(srv.url)).run()
        assert isinstance(out.error, errors.StorageError), out.message
        assert "espace disque insuffisant" in out.message
        directory.engine.dispose()  # drop the connection whose page limit we lowered
        assert table_dump(directory.path) == before
        assert db.integrity_ok(directory.path)
        monkeypatch.undo()
        assert SyncClient(directory, make_settings(srv.url)).run().status == "updated"
    assert local_publisher(directory.engine) == published(recs)


@pytest.mark.parametrize("stage,nth", [("chunk", 3), ("data", 1), ("commit", 1)])
def test_sigkill_during_a_streamed_import(stage: str, nth: int, tmp_path: Path) -> None:
    """`pare import` of a data·inclusion file, its records built as they are written, killed mid-way."""
    from tests.core.importers.test_streamed import _items, _write

    data = tmp_path / "data"
    with Directory.open(data / "pare.sqlite") as d:
        demo_id = next(s.id for s in d.all_structures() if s.origin == "demo")
        d.user.set_note(demo_id, "note")
    before = table_dump(data / "pare.sqlite")
    path = _write(tmp_path / "di.jsonl", _items(300))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "tests.sync.import_crash_child", str(data), str(path), stage, str(nth)],
        cwd=ROOT, env=env, capture_output=True, timeout=120,
    )
    assert proc.returncode == -9, proc.stderr.decode()[-2000:]
    assert db.integrity_ok(data / "pare.sqlite")
    assert table_dump(data / "pare.sqlite") == before
    with Directory.open(data / "pare.sqlite") as d:
        assert d.user.note(demo_id) == "note"


def test_disk_full_during_a_streamed_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pare_desktop.core.changes import DiskFullError
    from pare_desktop.core.importers import read_file
    from tests.core.importers.test_streamed import _items, _write

    def fill(stage: str, conn: Connection) -> None:
        if stage == "begin":
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar_one()
            conn.exec_driver_sql(f"PRAGMA max_page_count = {int(pages) + 20}")

    path = _write(tmp_path / "di.jsonl", _items(3000))
    with Directory.open(tmp_path / "pare.sqlite") as d:
        before = table_dump(d.path)
        monkeypatch.setattr(writes, "_checkpoint", fill)
        with pytest.raises(DiskFullError):
            d.import_batch(read_file(path, stream=True))
        d.engine.dispose()
        assert table_dump(d.path) == before
        monkeypatch.undo()
        assert d.import_batch(read_file(path, stream=True)).added == 3001
