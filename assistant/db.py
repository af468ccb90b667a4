"""The workspace database: SQLite with numbered migrations, WAL mode.

Migrations are appended to :data:`MIGRATIONS`, never edited once released.
Each one runs in its own transaction and is recorded in ``schema_migrations``.
Every multi-row write elsewhere goes through :func:`transaction`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from assistant.errors import PersonaError, UsageError

MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "interviews, turns, chunks, keyword index",
        """
        CREATE TABLE interviews (
            id TEXT PRIMARY KEY,
            source_path TEXT NOT NULL UNIQUE,
            content_hash TEXT NOT NULL,
            file_hash TEXT NOT NULL DEFAULT '',
            interviewer_override TEXT,
            title TEXT NOT NULL,
            format TEXT NOT NULL,
            verbatim INTEGER NOT NULL,
            text TEXT NOT NULL,
            meta_json TEXT NOT NULL,
            role_confidence REAL NOT NULL,
            role_method TEXT NOT NULL,
            ingested_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX interviews_hash ON interviews(content_hash);
        CREATE TABLE turns (
            interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            speaker TEXT NOT NULL,
            role TEXT NOT NULL,
            start REAL,
            end REAL,
            text TEXT NOT NULL,
            char_start INTEGER NOT NULL,
            char_end INTEGER NOT NULL,
            PRIMARY KEY (interview_id, idx)
        );
        CREATE TABLE chunks (
            id TEXT PRIMARY KEY,
            interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
            turn_start INTEGER NOT NULL,
            turn_end INTEGER NOT NULL,
            speaker TEXT NOT NULL,
            role TEXT NOT NULL,
            char_start INTEGER NOT NULL,
            char_end INTEGER NOT NULL,
            text TEXT NOT NULL,
            context TEXT,
            embedded INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX chunks_interview ON chunks(interview_id);
        CREATE VIRTUAL TABLE chunks_fts USING fts5(
            text, content='chunks', content_rowid='rowid', tokenize='porter unicode61'
        );
        CREATE TRIGGER chunks_ai AFTER INSERT ON chunks BEGIN
            INSERT INTO chunks_fts(rowid, text) VALUES (new.rowid, new.text);
        END;
        CREATE TRIGGER chunks_ad AFTER DELETE ON chunks BEGIN
            INSERT INTO chunks_fts(chunks_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
        END;
        CREATE TRIGGER chunks_au AFTER UPDATE OF text ON chunks BEGIN
            INSERT INTO chunks_fts(chunks_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
            INSERT INTO chunks_fts(rowid, text) VALUES (new.rowid, new.text);
        END;
        CREATE TABLE workspace_meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """,
    ),
    (
        2,
        "LLM runs and calls (cost, tokens, provenance)",
        """
        CREATE TABLE runs (
            id TEXT PRIMARY KEY,
            label TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            status TEXT NOT NULL,
            budget_usd REAL,
            est_cost_usd REAL,
            note TEXT
        );
        CREATE TABLE llm_calls (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            task TEXT NOT NULL,
            model TEXT NOT NULL,
            prompt_file TEXT NOT NULL,
            prompt_version TEXT NOT NULL,
            input_hash TEXT NOT NULL,
            fixture_key TEXT NOT NULL,
            attempt INTEGER NOT NULL,
            method TEXT NOT NULL,
            input_tokens INTEGER,
            output_tokens INTEGER,
            cost_usd REAL,
            latency_ms REAL NOT NULL,
            status TEXT NOT NULL,
            error TEXT,
            fixture INTEGER NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX llm_calls_run ON llm_calls(run_id);
        """,
    ),
    (
        4,
        "review store: items, claims, append-only revisions",
        """
        CREATE TABLE review_items (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            key TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            status TEXT NOT NULL,
            origin_json TEXT NOT NULL,
            pending_revision INTEGER,
            next_claim INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX review_items_kind ON review_items(kind);
        CREATE TABLE review_claims (
            id TEXT PRIMARY KEY,
            item_id TEXT NOT NULL REFERENCES review_items(id),
            field TEXT NOT NULL,
            position INTEGER NOT NULL,
            text TEXT NOT NULL,
            model_text TEXT,
            evidence_json TEXT NOT NULL,
            support_interviews INTEGER NOT NULL,
            support_accounts INTEGER NOT NULL,
            origin_json TEXT NOT NULL,
            edited_by_user INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX review_claims_item ON review_claims(item_id, field, position);
        CREATE TABLE review_revisions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            item_id TEXT NOT NULL REFERENCES review_items(id),
            claim_id TEXT,
            action TEXT NOT NULL,
            author TEXT NOT NULL,
            created_at TEXT NOT NULL,
            before_json TEXT,
            after_json TEXT
        );
        CREATE INDEX review_revisions_item ON review_revisions(item_id, id);
        CREATE TRIGGER review_revisions_no_update BEFORE UPDATE ON review_revisions BEGIN
            SELECT RAISE(ABORT, 'review history is append-only');
        END;
        CREATE TRIGGER review_revisions_no_delete BEFORE DELETE ON review_revisions BEGIN
            SELECT RAISE(ABORT, 'review history is append-only');
        END;
        """,
    ),
    (
        3,
        "interview analyses: insights, company facts, quote evidence",
        """
        CREATE TABLE analyses (
            interview_id TEXT PRIMARY KEY REFERENCES interviews(id) ON DELETE CASCADE,
            content_hash TEXT NOT NULL,
            prompt_version TEXT NOT NULL,
            model TEXT NOT NULL,
            response_model TEXT,
            fixture INTEGER NOT NULL DEFAULT 0,
            run_id TEXT,
            windows INTEGER NOT NULL DEFAULT 1,
            summary TEXT,
            buying_process_json TEXT,
            status TEXT NOT NULL,
            error TEXT,
            created_at TEXT NOT NULL
        );
        CREATE TABLE insights (
            id TEXT PRIMARY KEY,
            interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            kind TEXT NOT NULL,
            statement TEXT NOT NULL,
            intensity TEXT,
            metric_json TEXT,
            speaker TEXT NOT NULL,
            dmu_role TEXT,
            model TEXT NOT NULL,
            prompt_version TEXT NOT NULL,
            fixture INTEGER NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX insights_interview ON insights(interview_id, kind);
        CREATE TABLE company_facts (
            id TEXT PRIMARY KEY,
            interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            fact_group TEXT NOT NULL,
            attribute TEXT NOT NULL,
            value TEXT NOT NULL,
            model TEXT NOT NULL,
            prompt_version TEXT NOT NULL,
            fixture INTEGER NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX company_facts_interview ON company_facts(interview_id);
        CREATE TABLE evidence (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
            owner_type TEXT NOT NULL,
            owner_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            quote TEXT NOT NULL,
            claimed_speaker TEXT,
            status TEXT NOT NULL,
            match TEXT,
            score REAL,
            turn INTEGER,
            speaker TEXT,
            role TEXT,
            start INTEGER,
            end INTEGER,
            reason TEXT
        );
        CREATE INDEX evidence_owner ON evidence(owner_type, owner_id);
        CREATE INDEX evidence_interview ON evidence(interview_id);
        """,
    ),
    (
        5,
        "metadata given on the command line, kept across re-ingests",
        """
        ALTER TABLE interviews ADD COLUMN meta_override TEXT;
        """,
    ),
    (
        6,
        "paid answers kept as they arrive; the process behind each run",
        """
        ALTER TABLE runs ADD COLUMN pid INTEGER;
        CREATE TABLE llm_answers (
            key TEXT PRIMARY KEY,
            task TEXT NOT NULL,
            model TEXT NOT NULL,
            prompt_version TEXT NOT NULL,
            run_id TEXT,
            output_json TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        """,
    ),
    (
        7,
        "account merges made by the user (persona accounts merge)",
        """
        CREATE TABLE account_merges (
            alias_key TEXT PRIMARY KEY,
            target_key TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        """,
    ),
    (
        8,
        "interviews: diarized flag and what reading the file dropped or guessed",
        """
        ALTER TABLE interviews ADD COLUMN diarized INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE interviews ADD COLUMN warnings_json TEXT NOT NULL DEFAULT '[]';
        """,
    ),
    (
        9,
        "provider batches (Batch API) submitted from this workspace",
        """
        CREATE TABLE llm_batches (
            id TEXT PRIMARY KEY,
            task TEXT NOT NULL,
            run_id TEXT NOT NULL,
            status TEXT NOT NULL,
            custom_ids_json TEXT NOT NULL,
            counts_json TEXT NOT NULL,
            input_file_id TEXT,
            note TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        """,
    ),
    (
        10,
        "speakers: role, confidence, method and name per label; quotes as spoken",
        """
        CREATE TABLE speakers (
            interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
            label TEXT NOT NULL,
            role TEXT NOT NULL,
            confidence REAL NOT NULL,
            method TEXT NOT NULL,
            turns INTEGER NOT NULL,
            participant TEXT,
            PRIMARY KEY (interview_id, label)
        );
        INSERT INTO speakers(interview_id, label, role, confidence, method, turns)
            SELECT t.interview_id, t.speaker, MIN(t.role), i.role_confidence, i.role_method,
                   COUNT(*)
            FROM turns t JOIN interviews i ON i.id = t.interview_id
            WHERE t.speaker != 'Notes'
            GROUP BY t.interview_id, t.speaker;
        ALTER TABLE interviews ADD COLUMN speaker_override TEXT;
        ALTER TABLE evidence ADD COLUMN claimed_quote TEXT;
        UPDATE evidence SET claimed_quote = quote;
        UPDATE evidence SET quote = (
            SELECT substr(i.text, evidence.start + 1, evidence.end - evidence.start)
            FROM interviews i WHERE i.id = evidence.interview_id
        ) WHERE start IS NOT NULL AND end IS NOT NULL;
        """,
    ),
    (
        11,
        "highlights (insights added by the user), insight tags, theme edits, item renames",
        """
        ALTER TABLE insights ADD COLUMN origin TEXT NOT NULL DEFAULT 'model';
        CREATE TABLE insight_tags (
            insight_id TEXT NOT NULL REFERENCES insights(id) ON DELETE CASCADE,
            tag TEXT NOT NULL,
            PRIMARY KEY (insight_id, tag)
        );
        CREATE INDEX insight_tags_tag ON insight_tags(tag);
        CREATE TABLE theme_edits (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            action TEXT NOT NULL,
            source_key TEXT,
            target_key TEXT NOT NULL,
            insight_id TEXT,
            statement TEXT,
            created_at TEXT NOT NULL
        );
        ALTER TABLE review_items ADD COLUMN user_title TEXT;
        """,
    ),
    (
        12,
        "run warnings: what a step repaired, left out or could not match",
        """
        CREATE TABLE run_warnings (
            id INTEGER PRIMARY KEY,
            run_id TEXT NOT NULL,
            step TEXT NOT NULL,
            subject TEXT,
            message TEXT NOT NULL,
            incomplete INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        );
        CREATE INDEX run_warnings_run ON run_warnings(run_id);
        """,
    ),
]


def now_iso() -> str:
    """The current UTC time as an ISO-8601 string (what every table stores)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class DatabaseDamagedError(PersonaError):
    """persona.db is not a readable SQLite database (truncated, overwritten, corrupt)."""

    def __init__(self, path: Path, detail: str) -> None:
        from assistant.backup import latest_backup

        backup = latest_backup(path)
        fix = (
            f"restore the automatic backup: cp {backup} {path}"
            if backup is not None
            else f"move {path} aside and ingest the interviews again (no backup exists)"
        )
        super().__init__(f"the workspace database {path} is damaged ({detail}): {fix}")
        self.path = path
        self.fix = fix


def connect(path: Path) -> sqlite3.Connection:
    """Open the database, enable WAL and foreign keys, and apply migrations.

    An existing database is backed up (:mod:`assistant.backup`) before any
    migration is applied to it.
    """
    try:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=5000")
        migrate(conn, path)
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "unable to open" in str(exc) or "readonly" in str(exc):
            raise UsageError(
                f"cannot open the workspace database {path}: {exc} "
                "(check that the folder exists and is writable)"
            ) from exc
        raise DatabaseDamagedError(path, str(exc)) from exc
    except sqlite3.DatabaseError as exc:
        raise DatabaseDamagedError(path, str(exc)) from exc
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Run a block as one transaction: all its writes land, or none do."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def applied_versions(conn: sqlite3.Connection) -> set[int]:
    """Versions of the migrations already applied."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    return {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}


def migrate(conn: sqlite3.Connection, path: Path | None = None) -> list[int]:
    """Apply pending migrations in order; return the versions applied.

    With ``path`` (a file database that already has a schema), a backup is
    taken first.
    """
    done = applied_versions(conn)
    applied: list[int] = []
    pending = [m for m in MIGRATIONS if m[0] not in done]
    if pending and done and path is not None:
        from assistant.backup import backup_database

        backup_database(conn, path, f"before-migration-{min(v for v, _, _ in pending)}")
    for version, name, sql in sorted(MIGRATIONS):
        if version in done:
            continue
        with transaction(conn):
            for statement in _split_sql(sql):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)",
                (version, name, now_iso()),
            )
        applied.append(version)
    return applied


def _split_sql(script: str) -> list[str]:
    """Split a migration script into statements (trigger bodies kept whole)."""
    statements: list[str] = []
    buf: list[str] = []
    for line in script.splitlines():
        buf.append(line)
        candidate = "\n".join(buf).strip()
        if candidate and sqlite3.complete_statement(candidate):
            statements.append(candidate)
            buf = []
    rest = "\n".join(buf).strip()
    if rest:
        statements.append(rest)
    return statements


def get_meta(conn: sqlite3.Connection, key: str) -> str | None:
    """Read one workspace-level setting recorded in the database."""
    row = conn.execute("SELECT value FROM workspace_meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    """Record one workspace-level setting in the database."""
    conn.execute(
        "INSERT INTO workspace_meta(key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )
