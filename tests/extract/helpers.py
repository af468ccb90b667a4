"""Shared bits of the extraction tests and the authored-cassette recorder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from assistant.ingest import parse_file
from assistant.library import ingest_paths, slugify
from assistant.llm.fake_server import FakeLlmServer, Responder
from assistant.models import Transcript
from assistant.workspace import Workspace
from tests.support.paths import FIXTURES, SAMPLE_TRANSCRIPTS
from tests.support.store import HashEmbedder

AUTHORED = FIXTURES / "authored"
CASSETTES = FIXTURES / "cassettes"
EXPECTED_COUNTS: dict[str, dict[str, Any]] = json.loads(
    (AUTHORED / "expected_counts.json").read_text(encoding="utf-8")
)


def sample_files() -> list[Path]:
    """The 12 sample interview files (sidecars and READMEs left out)."""
    return sorted(
        p
        for p in SAMPLE_TRANSCRIPTS.iterdir()
        if p.is_file() and not p.name.endswith((".meta.yaml", ".meta.yml"))
    )


def ingest_samples(ws: Workspace) -> list[str]:
    """Ingest the sample corpus with a fast test embedder; return the interview ids."""
    results = ingest_paths(ws, [SAMPLE_TRANSCRIPTS], embedder=HashEmbedder())
    assert all(r.status in ("ingested", "unchanged") for r in results), results
    return sorted(str(r.interview_id) for r in results)


def user_text(body: dict[str, Any]) -> str:
    """The user message of a chat request."""
    return "\n".join(
        str(m.get("content") or "") for m in body.get("messages", []) if m.get("role") == "user"
    )


def authored_responder() -> Responder:
    """A fake-server responder answering with our hand-written objects.

    An extraction request is recognised by the start of its transcript text
    (each sample interview's normalised text, compared without names, numbers
    and placeholders, since requests are redacted), or, for part of an interview
    (a window split after a cut answer), by words from it; a summary request by
    its ``<analyses>`` data block.
    """
    heads: dict[str, str] = {}
    whole: dict[str, str] = {}
    for path in sample_files():
        transcript: Transcript = parse_file(path)
        heads[path.name.split(".")[0]] = redaction_signature(transcript.text[:300])[:150]
        whole[path.name.split(".")[0]] = redaction_signature(transcript.text)

    def respond(body: dict[str, Any]) -> dict[str, Any]:
        text = user_text(body)
        if "<analyses>" in text:
            path = AUTHORED / "summarize_interviews" / "all.json"
        else:
            sig = redaction_signature(text)
            stem = next((s for s, head in heads.items() if head in sig), None)
            if stem is None and "<transcript>" in text:
                # a part of an interview (a window split after a cut answer): the
                # interview's answer, whose quotes all come from that transcript
                part = redaction_signature(text.split("<transcript>", 1)[1])[20:170]
                stem = next((s for s, full in whole.items() if part in full), None)
            if stem is None:
                raise AssertionError("request matches no sample interview")
            path = AUTHORED / "extract_interview" / f"{stem}.json"
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data

    return respond


def redaction_signature(text: str) -> str:
    """Lower-case words of ``text`` without capitalised words, numbers and placeholders:
    what redaction leaves untouched."""
    import re

    text = re.sub(r"\[[A-Z]+_\d+(?:_[FL])?\]", " ", text)
    words = [w for w in re.findall(r"[^\W\d_]+", text) if not w[0].isupper()]
    return " ".join(words)


def stem_id(path: Path) -> str:
    """The interview id a sample file gets on ingest (slug of its stem)."""
    return slugify(path.name.split(".")[0])


def batch_env(server: FakeLlmServer) -> dict[str, str]:
    """CLI environment aimed at the fake server's Batch API (no retries, room for long answers)."""
    return {
        "OPENAI_BASE_URL": server.base_url,
        "OPENAI_API_KEY": "test-key-not-secret",
        "PERSONA_LLM_SERVER": "openai",
        "PERSONA_MAX_OUTPUT_TOKENS": "16000",
        "PERSONA_LLM_MAX_RETRIES": "0",
    }
