"""Automatic backups of persona.db (SQLite's online backup API), the last 3 kept.

A backup is taken before each migration of an existing database and before a
``--force`` regeneration. Backups live in ``.persona/backups/`` as
``persona-<UTC time>-<reason>.db``; `persona doctor` names the newest one when
the database is damaged, and restoring is copying it over persona.db.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

KEEP = 3
BACKUP_DIR = "backups"


def backup_dir(db_path: Path) -> Path:
    """``.persona/backups`` next to the database."""
    return db_path.parent / BACKUP_DIR


def list_backups(db_path: Path) -> list[Path]:
    """Backups of the database, oldest first."""
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob("persona-*.db"))


def latest_backup(db_path: Path) -> Path | None:
    """The newest backup, or None."""
    found = list_backups(db_path)
    return found[-1] if found else None


def backup_database(conn: sqlite3.Connection, db_path: Path, reason: str) -> Path:
    """Copy the open database to a new backup file (consistent even while in use);
    keep the newest :data:`KEEP`."""
    folder = backup_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"persona-{stamp}-{reason}.db"
    tmp = target.with_suffix(".db.tmp")
    dest = sqlite3.connect(tmp)
    try:
        conn.backup(dest)
    finally:
        dest.close()
    tmp.replace(target)
    for old in list_backups(db_path)[:-KEEP]:
        old.unlink(missing_ok=True)
    return target
