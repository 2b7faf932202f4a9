"""Another process holds the write lock: reads never wait, writes give a French message (exit 2), and a
file that is not ours or too new is refused in French (issue 12, items 3 and 4). Bounded in time."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pare_desktop.cli import run
from pare_desktop.core import db
from pare_desktop.core.directory import Directory
from pare_desktop.core.errors import DatabaseBusyError
from pare_desktop.core.migrations import SCHEMA_VERSION

#: A second process: BEGIN IMMEDIATE, an uncommitted write, then hold the lock until stdin closes.
HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('holder', 'uncommitted')")
print("locked", flush=True)
sys.stdin.read()
conn.execute("ROLLBACK")
"""


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    assert run(["--data-dir", str(data), "search", "--limit", "1"]) == 0  # created and seeded
    return data


@pytest.fixture
def held(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setattr(db, "BUSY_TIMEOUT_S", 0.5)
    path = data_dir / "pare.sqlite"
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        yield path
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()


def timed(*args: str) -> tuple[int, float]:
    t0 = time.monotonic()
    code = run(list(args))
    return code, time.monotonic() - t0


def test_reads_do_not_wait_behind_another_process_write(
    held: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(held.parent)
    capsys.readouterr()
    code, seconds = timed("--data-dir", data, "search", "Mayotte", "--json", "--limit", "5")
    assert code == 0 and seconds < 5
    assert json.loads(capsys.readouterr().out)
    code, seconds = timed("--data-dir", data, "show", "reference:119")
    assert code == 0 and seconds < 5 and "119" in capsys.readouterr().out
    with Directory.open(held) as d:  # opening an already seeded file writes nothing
        assert d.meta("holder") == ""  # the other process's uncommitted write is not seen
        assert d.search_rows(d_query()).total > 0


def test_export_of_everything_does_not_wait_either(
    held: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`pare export` of the whole directory reads the file without the search index (core/reader.py)."""
    out = tmp_path / "tout.csv"
    code, seconds = timed("--data-dir", str(held.parent), "export", "--format", "csv", "-o", str(out))
    assert code == 0 and seconds < 5 and "119" in out.read_text(encoding="utf-8-sig")
    assert "structure(s) exportée(s)" in capsys.readouterr().out


def d_query():  # type: ignore[no-untyped-def]
    from pare_desktop.core.records import SearchQuery

    return SearchQuery(text="enfance")


def test_a_write_behind_a_held_lock_is_a_french_message(
    held: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "un.csv"
    src.write_text("nom;type;code_insee\nMaison A;association-specialisee;97611\n", encoding="utf-8")
    capsys.readouterr()
    code, seconds = timed("--data-dir", str(held.parent), "import", str(src))
    err = capsys.readouterr().err
    assert code == 2 and seconds < 10
    assert "l'annuaire est occupé par une autre opération" in err and "Traceback" not in err
    with Directory.open(held) as d, pytest.raises(DatabaseBusyError):
        d.user.set_note("reference:119", "note")


def test_the_window_would_word_it_too(held: Path) -> None:
    with Directory.open(held) as d:
        try:
            d.set_meta({"k": "v"})
        except DatabaseBusyError as exc:
            assert exc.message.startswith("l'annuaire est occupé")
        else:
            pytest.fail("the write went through a held lock")


def test_a_file_from_a_newer_version_is_refused_in_french(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    path = data_dir / "pare.sqlite"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    conn.close()
    before = path.read_bytes()
    capsys.readouterr()
    assert run(["--data-dir", str(data_dir), "search", "x"]) == 2
    err = capsys.readouterr().err
    assert "version plus récente de PARÉ Desktop" in err and "Traceback" not in err
    assert path.read_bytes() == before
    out = data_dir / "tout.csv"
    assert run(["--data-dir", str(data_dir), "export", "--format", "csv", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "version plus récente de PARÉ Desktop" in err and "Traceback" not in err
    assert path.read_bytes() == before and not out.exists()


@pytest.mark.parametrize(
    "content", [b"nom;type\nA;b\n" * 50, b"\x00" * 4096, b"SQLite format 3\x00" + b"x" * 200],
    ids=["csv", "zeros", "bad-header"])
def test_a_file_that_is_not_sqlite_is_refused_in_french(
    data_dir: Path, content: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    path = data_dir / "pare.sqlite"
    for extra in data_dir.glob("pare.sqlite-*"):
        extra.unlink()
    path.write_bytes(content)
    capsys.readouterr()
    assert run(["--data-dir", str(data_dir), "show", "reference:119"]) == 2
    err = capsys.readouterr().err
    assert "n'est pas un annuaire PARÉ lisible" in err and "Traceback" not in err
    assert path.read_bytes() == content
    out = data_dir / "tout.vcf"
    assert run(["--data-dir", str(data_dir), "export", "--format", "vcard", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "n'est pas un annuaire PARÉ lisible" in err and "Traceback" not in err
    assert path.read_bytes() == content and not out.exists()


def test_a_sync_behind_a_held_lock_changes_nothing_and_says_so(
    tmp_path: Path, publisher, make_settings, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    from pare_desktop.sync.client import SyncClient

    from .feedkit import records, table_dump
    from .servers import Scripted, serve_file

    publisher.publish(records(50))
    path = tmp_path / "data" / "pare.sqlite"
    Directory.open(path).close()
    before = table_dump(path)
    monkeypatch.setattr(db, "BUSY_TIMEOUT_S", 0.5)
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        with Scripted(lambda r: serve_file(r, publisher.feed)) as srv, Directory.open(path) as d:
            t0 = time.monotonic()
            with pytest.raises(DatabaseBusyError) as info:
                SyncClient(d, make_settings(srv.url)).run()
            assert time.monotonic() - t0 < 20
            assert info.value.message.startswith("l'annuaire est occupé par une autre opération")
    finally:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.close()
        proc.wait(timeout=10)
        proc.stdout.close()
    assert table_dump(path) == before and db.integrity_ok(path)
