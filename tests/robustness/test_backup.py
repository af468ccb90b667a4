"""persona.db is backed up (SQLite online backup) before a migration; the last 3 kept."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from assistant import db
from assistant.backup import KEEP, backup_database, latest_backup, list_backups


def test_backup_before_migration_of_an_existing_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "persona.db"
    older = db.MIGRATIONS[:-1]
    monkeypatch.setattr(db, "MIGRATIONS", older)
    conn = db.connect(path)
    conn.execute(
        "INSERT INTO interviews(id, source_path, content_hash, title, format, verbatim, text,"
        " meta_json, role_confidence, role_method, ingested_at, updated_at)"
        " VALUES ('a', '/a.txt', 'h', 't', 'plain', 1, 'x', '{}', 1.0, 'm', 'now', 'now')"
    )
    conn.close()
    assert list_backups(path) == []  # a new database is not backed up
    monkeypatch.undo()
    conn = db.connect(path)  # applies the last migration
    conn.close()
    (backup,) = list_backups(path)
    assert f"before-migration-{db.MIGRATIONS[-1][0]}" in backup.name
    copy = sqlite3.connect(backup)
    assert copy.execute("SELECT id FROM interviews").fetchall() == [("a",)]
    versions = {r[0] for r in copy.execute("SELECT version FROM schema_migrations")}
    assert max(versions) == older[-1][0]  # the state before the migration
    copy.close()


def test_only_the_last_three_backups_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "persona.db"
    conn = db.connect(path)
    made = [backup_database(conn, path, f"n{i}") for i in range(KEEP + 2)]
    conn.close()
    assert list_backups(path) == made[-KEEP:]
    assert latest_backup(path) == made[-1]


def test_a_damaged_database_is_one_error_naming_file_and_backup(tmp_path: Path) -> None:
    path = tmp_path / "persona.db"
    conn = db.connect(path)
    backup = backup_database(conn, path, "manual")
    conn.close()
    path.write_bytes(b"not a database at all" * 100)
    with pytest.raises(db.DatabaseDamagedError) as info:
        db.connect(path)
    assert str(path) in str(info.value)
    assert info.value.fix == f"restore the automatic backup: cp {backup} {path}"
