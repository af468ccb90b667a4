"""`persona doctor`: check every dependency of a workspace and say what to fix.

Each check returns a :class:`Check` (name, ok, detail, fix). Checks never
raise: a failure is a result, so the user sees all problems at once.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from assistant.errors import PersonaError
from assistant.settings import Settings, load_settings
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

    conn = ws.conn
    applied = db.applied_versions(conn)
    latest = max(v for v, _, _ in db.MIGRATIONS)
    interviews = conn.execute("SELECT COUNT(*) FROM interviews").fetchone()[0]
    writable = os.access(ws.state_dir, os.W_OK)
    detail = f"{ws.root}: schema v{max(applied)}, {interviews} interviews"
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
    embedder = make_embedder(settings.embeddings)
    vector = embedder.embed(["The month-end close took nine days."])[0]
    took = time.perf_counter() - start
    return Check(
        "embeddings",
        True,
        f"{configured_id(settings.embeddings)}: {len(vector)} dimensions, loaded in {took:.1f}s",
    )


def check_vectors(ws: Workspace, settings: Settings) -> Check:
    """Reach Chroma (embedded or server) and compare the stored embedding model."""
    from assistant.library import check_embedding_model
    from assistant.vectorstore import make_client

    where = (
        f"server {settings.chroma.host}:{settings.chroma.port}"
        if settings.chroma.host
        else f"embedded store {ws.chroma_dir}"
    )
    client = make_client(ws, settings)
    client.heartbeat()
    try:
        check_embedding_model(ws, settings)
    except PersonaError as exc:
        return Check("chroma", False, f"{where}: {exc}", "run `persona reindex`")
    names = [getattr(c, "name", str(c)) for c in client.list_collections()]
    return Check("chroma", True, f"{where}: collections {names or 'none yet'}")


def run_doctor(
    explicit: Path | None, settings_for: Callable[[Workspace | None], Settings]
) -> list[Check]:
    """All checks, in the order a user would fix them."""
    ws_check, ws = check_workspace(explicit)
    checks = [ws_check]
    try:
        settings = settings_for(ws)
    except PersonaError as exc:
        checks.append(Check("config", False, str(exc), "fix persona.toml or the environment"))
        settings = load_settings({})
    checks.append(_guard("llm", lambda: check_llm(settings)))
    checks.append(_guard("embeddings", lambda: check_embeddings(settings)))
    if ws is not None:
        checks.append(_guard("chroma", lambda: check_vectors(ws, settings)))
        ws.close()
    return checks
