"""`persona doctor` on a truncated persona.db, a file that is not a database and a
damaged Chroma folder: one line naming the file and the fix, never a crash."""

from __future__ import annotations

import json
import sqlite3

import pytest

from assistant.backup import KEEP, backup_database, list_backups
from tests.support.robustness import Env, write_interviews

pytestmark = pytest.mark.slow


def _checks(env: Env) -> dict[str, dict[str, object]]:
    res = env.run("doctor", "--json")
    return {c["name"]: c for c in json.loads(res.stdout)}


def _ingested(env: Env) -> None:
    write_interviews(env.root / "in", 8)
    res = env.run("ingest", str(env.root / "in"))
    assert res.returncode == 0, res.stderr


def _checkpoint(env: Env) -> None:
    conn = env.db()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def test_doctor_on_a_truncated_database_names_the_file_and_the_backup(env: Env) -> None:
    _ingested(env)
    db_path = env.root / ".persona" / "persona.db"
    conn = sqlite3.connect(db_path)
    backup = backup_database(conn, db_path, "test")
    conn.close()
    _checkpoint(env)
    data = db_path.read_bytes()
    db_path.write_bytes(data[: len(data) // 3])
    res = env.run("doctor", "--json")
    assert res.returncode == 1
    assert "Traceback" not in res.stderr and "unexpected" not in res.stderr
    checks = {c["name"]: c for c in json.loads(res.stdout)}
    database = checks["database"]
    assert not database["ok"]
    assert str(db_path) in str(database["detail"])
    assert database["fix"] == f"restore the automatic backup: cp {backup} {db_path}"
    # Any other command says the same in one line instead of crashing.
    other = env.run("interviews")
    assert other.returncode == 1
    assert other.stderr.startswith("error: the workspace database ")
    assert f"restore the automatic backup: cp {backup} {db_path}" in other.stderr
    assert len(other.stderr.strip().splitlines()) == 1


def test_doctor_on_a_file_that_is_not_a_database(env: Env) -> None:
    db_path = env.root / ".persona" / "persona.db"
    for suffix in ("-wal", "-shm"):
        (env.root / ".persona" / f"persona.db{suffix}").unlink(missing_ok=True)
    db_path.write_text("this is not a database " * 200, encoding="utf-8")
    checks = _checks(env)
    assert not checks["database"]["ok"]
    assert str(db_path) in str(checks["database"]["detail"])
    assert "no backup exists" in str(checks["database"]["fix"])


def test_doctor_on_a_damaged_chroma_folder_and_fix_rebuilds_it(env: Env) -> None:
    _ingested(env)
    chroma = env.root / ".persona" / "chroma"
    for path in chroma.rglob("*"):
        if path.is_file():
            path.write_bytes(b"\0garbage\0" * 100)
    checks = _checks(env)
    assert not checks["chroma"]["ok"]
    detail = str(checks["chroma"]["detail"])
    assert str(chroma) in detail
    assert "persona doctor --fix" in str(checks["chroma"]["fix"])
    fixed = env.run("doctor", "--fix", "--json")
    after = [c for c in json.loads(fixed.stdout) if c["name"] == "chroma"][-1]
    assert after["ok"], fixed.stdout
    assert any(p.name.startswith("chroma.damaged-") for p in chroma.parent.iterdir())
    search = env.run("search", "reconciliation NetSuite")
    assert search.returncode == 0 and "keyword-only" not in search.stderr


def test_force_regeneration_backs_up_first_and_keeps_the_last_three(env: Env) -> None:
    _ingested(env)
    db_path = env.root / ".persona" / "persona.db"
    for _ in range(KEEP + 1):
        out = env.run("analyze", "--force", "--json")
        assert out.returncode == 0, out.stderr
    backups = list_backups(db_path)
    assert len(backups) == KEEP
    assert all("before-force" in p.name for p in backups)
    restored = sqlite3.connect(backups[-1])
    assert restored.execute("SELECT COUNT(*) FROM interviews").fetchone()[0] == 8
    restored.close()
