"""Workspace creation, discovery and the migrated database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from assistant import db
from assistant.errors import WorkspaceNotFoundError
from assistant.workspace import find_workspace, init_workspace


def test_init_creates_layout_and_migrates(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "w")
    assert (tmp_path / "w" / ".persona" / "persona.db").is_file()
    assert (tmp_path / "w" / ".persona" / "chroma").is_dir()
    assert "[llm]" in (tmp_path / "w" / "persona.toml").read_text()
    versions = {r[0] for r in ws.conn.execute("SELECT version FROM schema_migrations")}
    assert versions == {m[0] for m in db.MIGRATIONS}
    assert ws.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    ws.close()


def test_init_keeps_existing_config(tmp_path: Path) -> None:
    (tmp_path / "persona.toml").write_text("[chroma]\nport = 9000\n")
    init_workspace(tmp_path).close()
    assert (tmp_path / "persona.toml").read_text() == "[chroma]\nport = 9000\n"


def test_migrations_are_idempotent(tmp_path: Path) -> None:
    conn = db.connect(tmp_path / "x.db")
    assert db.migrate(conn) == []
    conn.close()


def test_find_walks_up(tmp_path: Path) -> None:
    init_workspace(tmp_path).close()
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_workspace(cwd=deep).root == tmp_path.resolve()


def test_find_env_and_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(WorkspaceNotFoundError, match="persona init"):
        find_workspace(cwd=tmp_path)
    init_workspace(tmp_path / "w").close()
    monkeypatch.setenv("PERSONA_WORKSPACE", str(tmp_path / "w"))
    assert find_workspace(cwd=tmp_path).root == (tmp_path / "w").resolve()


def test_transaction_rolls_back(tmp_path: Path) -> None:
    conn = db.connect(tmp_path / "x.db")
    with pytest.raises(RuntimeError), db.transaction(conn):
        db.set_meta(conn, "k", "v")
        raise RuntimeError("boom")
    assert db.get_meta(conn, "k") is None
    conn.close()


def test_unwritable_database_is_a_usage_error(tmp_path: Path) -> None:
    bad = tmp_path / "missing-dir" / "x.db"
    with pytest.raises(Exception) as info:
        db.connect(bad)
    assert not isinstance(info.value, sqlite3.Error)
    assert "cannot open the workspace database" in str(info.value)
