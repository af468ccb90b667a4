"""Paid answers, kept the moment they arrive (table ``llm_answers``, migration 6).

Every validated reply is written in its own transaction as its call returns,
keyed by what was asked: task, input hash, output schema, prompt version and
model. A batch that is killed, interrupted, fails or stops for its budget
therefore keeps every answer already paid for, and the next run of the same
work takes them from here instead of calling again: it sends only what is
missing. ``--force`` runs ask again (and keep the new answers).
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from assistant import db


def answer_key(fixture_key: str, prompt_version: str, model: str) -> str:
    """The key of one answer: ``TASK:INPUTHASH:SCHEMA@PROMPTVERSION@MODEL``."""
    return f"{fixture_key}@{prompt_version}@{model}"


class AnswerStore:
    """Read and write kept answers in a workspace database."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def get(self, key: str) -> tuple[dict[str, Any], str] | None:
        """The kept answer under ``key`` (a JSON object) and the model that gave it, or None."""
        row = self.conn.execute(
            "SELECT output_json, model FROM llm_answers WHERE key = ?", (key,)
        ).fetchone()
        if row is None:
            return None
        value = json.loads(row[0])
        return (value, str(row[1])) if isinstance(value, dict) else None

    def put(
        self,
        key: str,
        *,
        task: str,
        model: str,
        prompt_version: str,
        run_id: str | None,
        output: dict[str, Any],
    ) -> None:
        """Keep one answer (its own transaction; replaces an older answer to the same key).

        ``model`` is the model that answered (the key holds the one asked for).
        """
        with db.transaction(self.conn):
            self.conn.execute(
                "INSERT INTO llm_answers(key, task, model, prompt_version, run_id, output_json,"
                " created_at) VALUES (?,?,?,?,?,?,?) ON CONFLICT(key) DO UPDATE SET"
                " run_id = excluded.run_id, output_json = excluded.output_json,"
                " created_at = excluded.created_at",
                (
                    key,
                    task,
                    model,
                    prompt_version,
                    run_id,
                    json.dumps(output, ensure_ascii=False),
                    db.now_iso(),
                ),
            )

    def count(self, task: str | None = None) -> int:
        """Kept answers (of one task)."""
        if task is None:
            return int(self.conn.execute("SELECT COUNT(*) FROM llm_answers").fetchone()[0])
        sql = "SELECT COUNT(*) FROM llm_answers WHERE task = ?"
        return int(self.conn.execute(sql, (task,)).fetchone()[0])
