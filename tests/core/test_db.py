"""The database file: pragmas, transactions, and upgrading a real old file without losing user rows."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from pare_desktop.core import db
from pare_desktop.core.directory import Directory
from pare_desktop.core.migrations import SCHEMA_VERSION
from pare_desktop.core.models import Base

OLD = Path(__file__).parent / "data" / "pare-v1.sqlite"


def _columns(path: Path) -> dict[str, set[tuple[str, str, int]]]:
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: {(r[1], r[2], r[3]) for r in conn.execute(f"PRAGMA table_info({t})")} for t in tables}


def test_new_file_gets_current_schema_and_wal(tmp_path: Path) -> None:
    path = tmp_path / "pare.sqlite"
    outcome = db.upgrade(path)
    assert (outcome.from_version, outcome.to_version, outcome.backup) == (0, SCHEMA_VERSION, None)
    engine = db.create_db_engine(path)
    with db.read(engine) as c:
        assert c.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert c.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_migrations_match_the_models(tmp_path: Path) -> None:
    """Migrating step by step gives the schema the models declare (names, types, not-null)."""
    migrated = tmp_path / "migrated.sqlite"
    db.upgrade(migrated)
    declared = tmp_path / "declared.sqlite"
    engine = db.create_db_engine(declared)
    Base.metadata.create_all(engine)
    engine.dispose()
    assert _columns(migrated) == _columns(declared)


def test_old_file_upgrades_after_backup_keeping_user_rows(tmp_path: Path) -> None:
    path = tmp_path / "pare.sqlite"
    shutil.copy(OLD, path)
    assert db.schema_version(path) == 1
    d = Directory.open(path, seed_demo=False)
    try:
        assert db.schema_version(path) == SCHEMA_VERSION
        backups = list(tmp_path.glob("pare.v1-*.bak.sqlite"))
        assert len(backups) == 1 and db.schema_version(backups[0]) == 1
        assert d.user.favourite_ids() == {"demo:1"}
        assert d.user.note("demo:1") == "Appeler Mme X. le mardi"
        (lst,) = d.user.lists()
        assert lst.name == "Réseau Mayotte" and d.user.list_ids(lst.id) == ["demo:1", "local:abc"]
        assert [s.name for s in d.user.local_structures()] == ["Référente locale (démo)"]
        (report,) = d.user.reports()
        assert report.message == "Le numéro a changé" and report.structure_name == ""
        s = d.get("demo:1")
        assert s is not None and s.timezone == "Indian/Mayotte" and s.supports == ("soutien-psychologique",)
    finally:
        d.close()
    assert db.integrity_ok(path)


def test_newer_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "pare.sqlite"
    db.upgrade(path)
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    before = path.read_bytes()
    with pytest.raises(db.SchemaTooNewError):
        db.upgrade(path)
    assert path.read_bytes() == before


def test_failed_write_rolls_back(tmp_path: Path) -> None:
    path = tmp_path / "pare.sqlite"
    db.upgrade(path)
    engine = db.create_db_engine(path)
    with pytest.raises(RuntimeError), db.write(engine) as c:
        c.execute(text("INSERT INTO meta VALUES ('k', 'v')"))
        raise RuntimeError("boom")
    with db.read(engine) as c:
        assert c.execute(text("SELECT count(*) FROM meta")).scalar() == 0
    engine.dispose()


def test_failed_upgrade_leaves_old_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "pare.sqlite"
    shutil.copy(OLD, path)
    from pare_desktop.core import migrations

    monkeypatch.setattr(db, "STEPS", (*migrations.STEPS, "CREATE TABLE broken (;"))
    monkeypatch.setattr(db, "SCHEMA_VERSION", len(migrations.STEPS) + 1)
    with pytest.raises(sqlite3.OperationalError):
        db.upgrade(path)
    assert db.schema_version(path) == 1
    assert "sync_history" not in _columns(path)
    assert db.integrity_ok(path)
