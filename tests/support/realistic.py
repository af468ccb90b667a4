"""The realistic extraction set: authored answers to the real prompts of long interviews.

Six long interviews of ../shared/data/anthropic-interviewer (read there at
test time, never copied into the project) are extracted with windows of
:data:`WINDOW_TOKENS` tokens, so each is sent in two or three windows. The fake
server answers every window with the object in
``fixtures/realistic/extract_interview/<STEM>.w<N>.json``, written by us as a
careful strong model would answer that exact request ("authored", model
``authored-fixture``). Answers are keyed by the interview file and the window
number, not by a request hash, so rewording a prompt keeps them; a request is
recognised by words from the middle of its window's text. The quotes in them are copied
from the interviews, so they are the only transcript text the project holds.

``fixtures/realistic/drift/`` holds answers that drift from what was asked
(see :data:`DRIFT`), served instead of the clean one for one window.

Dump the exact requests the code sends (to answer them after a prompt change)::

    python -m tests.support.realistic --dump /tmp/realistic-requests
"""

from __future__ import annotations

import argparse
import json
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.extract.windows import split_windows
from assistant.ingest import parse_file
from assistant.llm.fake_server import FakeLlmServer, Responder, SeenRequest
from assistant.settings import Settings, load_settings
from assistant.workspace import Workspace, init_workspace
from tests.extract.helpers import redaction_signature, user_text
from tests.support.paths import FIXTURES, SHARED_DATA

REALISTIC = FIXTURES / "realistic"
ANSWERS = REALISTIC / "extract_interview"
DRIFT_DIR = REALISTIC / "drift"
INTERVIEWS = ("00689", "00810", "00855", "00906", "00610", "01000")
"""File stems in ../shared/data/anthropic-interviewer/transcripts (the longest there)."""
WINDOW_TOKENS = 3000
"""``[extract] window_tokens`` of the set: the interviews are 3,700-5,700 tokens."""
DRIFT = {
    "speaker-case": ("00810", 1),
    "no-quotes": ("00855", 2),
    "role-not-requested": ("00689", 1),
}
"""Kind of drift -> (interview, window) whose answer ``drift/<kind>.json`` replaces."""
THEME_NAMES = REALISTIC / "name_themes" / "themes.json"
"""Authored names of the set's themes, by theme id (clusters of the extracted insights)."""
THEME_ID_DRIFT = DRIFT_DIR / "theme-id-case.json"
"""Theme id -> the id as the drifting answer echoes it (another case)."""


def available() -> bool:
    """True when the shared interviews of the set are present."""
    return all((SHARED_DATA / f"{stem}.md").is_file() for stem in INTERVIEWS)


def window_heads() -> dict[tuple[str, int], str]:
    """(stem, 1-based window) -> signature of words from the middle of that window.

    The middle, since every interview of the corpus opens with the same greeting.
    """
    heads: dict[tuple[str, int], str] = {}
    for stem in INTERVIEWS:
        transcript = parse_file(SHARED_DATA / f"{stem}.md")
        for n, window in enumerate(split_windows(transcript, WINDOW_TOKENS, 2), 1):
            middle = len(window.text) // 2
            heads[(stem, n)] = redaction_signature(window.text[middle : middle + 600])[20:220]
    return heads


def answer_path(stem: str, window: int) -> Path:
    """The authored answer of one window."""
    return ANSWERS / f"{stem}.w{window}.json"


@dataclass
class Served:
    """What the realistic responder answered, per window, in order."""

    windows: list[tuple[str, int]] = field(default_factory=list)


def realistic_responder(
    drift: str | None = None, served: Served | None = None, *, placeholder: bool = False
) -> Responder:
    """A fake-server responder answering each window with its authored object.

    ``drift`` serves ``drift/<kind>.json`` for the window :data:`DRIFT` names;
    ``placeholder`` answers None for windows without an answer yet (the fake
    server then echoes a schema example), for dumping requests.
    """
    heads = window_heads()
    names = json.loads(THEME_NAMES.read_text(encoding="utf-8"))
    echoed = (
        json.loads(THEME_ID_DRIFT.read_text(encoding="utf-8")) if drift == "theme-id-case" else {}
    )

    def respond(body: dict[str, Any]) -> dict[str, Any]:
        text = user_text(body)
        if "<clusters>" in text:
            ids = re.findall(r'<theme id="([^"]+)"', text)
            missing = [i for i in ids if i not in names]
            assert not missing, f"no authored name for {missing}"
            return {"themes": [{"theme_id": echoed.get(i, i), **names[i]} for i in ids]}
        sig = redaction_signature(text)
        key = next((k for k, head in heads.items() if head in sig), None)
        if key is None:
            raise AssertionError("request matches no window of the realistic set")
        if served is not None:
            served.windows.append(key)
        path = answer_path(*key)
        if drift in DRIFT and DRIFT[drift] == key:
            path = DRIFT_DIR / f"{drift}.json"
        if placeholder and not path.is_file():
            return {}
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data

    return respond


def realistic_settings(base_url: str, **llm: object) -> Settings:
    """Live settings against the fake server with the set's window size."""
    return load_settings(
        {
            "llm": {"base_url": base_url, "server": "openai", "model": "authored-fixture", **llm},
            "extract": {"window_tokens": WINDOW_TOKENS},
        }
    )


def ingest_realistic(ws: Workspace) -> list[str]:
    """Ingest the set's interviews (fast hash embedder); return their interview ids."""
    from assistant.library import ingest_paths
    from tests.support.store import HashEmbedder

    paths = [SHARED_DATA / f"{stem}.md" for stem in INTERVIEWS]
    results = ingest_paths(ws, paths, embedder=HashEmbedder())
    assert all(r.status == "ingested" for r in results), results
    return [str(r.interview_id) for r in results]


@dataclass
class RealisticRun:
    """A workspace holding the set, a fake server answering it, and its settings."""

    ws: Workspace
    server: FakeLlmServer
    settings: Settings
    ids: list[str]
    served: Served


@contextmanager
def realistic_run(
    root: Path, drift: str | None = None, *, placeholder: bool = False, **llm: object
) -> Iterator[RealisticRun]:
    """Ingest the set into ``root`` and serve the authored answers (nothing extracted yet)."""
    served = Served()
    responder = realistic_responder(drift, served, placeholder=placeholder)
    with FakeLlmServer(model="authored-fixture", responder=responder) as server:
        os.environ.setdefault("OPENAI_API_KEY", "authoring-placeholder")
        ws = init_workspace(root)
        try:
            ids = ingest_realistic(ws)
            yield RealisticRun(ws, server, realistic_settings(server.base_url, **llm), ids, served)
        finally:
            ws.close()


def request_text(req: SeenRequest) -> str:
    """A request as a reader sees it: each message, then the schema's size."""
    parts = [f"--- {m['role']} ---\n{m.get('content') or ''}" for m in req.body["messages"]]
    return "\n".join(parts) + "\n"


def dump(out: Path) -> None:
    """Run the extraction of the set and write each request to ``out/<STEM>.w<N>.txt``."""
    from assistant.extract import extract_interviews

    out.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory() as tmp,
        realistic_run(Path(tmp) / "ws", placeholder=True) as run,
    ):
        run.settings.llm.max_concurrency = 1
        extract_interviews(run.ws, run.settings)
        seen: set[tuple[str, int]] = set()
        for req, key in zip(run.server.requests, run.served.windows, strict=True):
            if key in seen:
                continue
            seen.add(key)
            (out / f"{key[0]}.w{key[1]}.txt").write_text(request_text(req), encoding="utf-8")
    print(f"{len(seen)} requests in {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description="Dump the realistic set's extraction requests.")
    parser.add_argument("--dump", type=Path, required=True, help="folder to write them to")
    args = parser.parse_args()
    if not available():
        raise SystemExit(f"the shared interviews are not in {SHARED_DATA}")
    dump(args.dump)


if __name__ == "__main__":
    main()


@dataclass(frozen=True)
class StepTokens:
    """Estimated against actual tokens of one task over a run."""

    task: str
    calls: int
    est_input: int
    input: int
    est_output: int
    output: int

    @property
    def input_error(self) -> float:
        return self.est_input / self.input - 1

    @property
    def output_error(self) -> float:
        return self.est_output / self.output - 1


def sent_tokens(req: SeenRequest) -> int:
    """Input tokens of a request as sent: its messages plus the output schema."""
    from assistant.llm.fake_server import requested_schema
    from assistant.llm.tokens import count_messages, count_tokens

    schema = requested_schema(req.body)
    extra = count_tokens(json.dumps(schema, separators=(",", ":"))) if schema else 0
    return count_messages(req.body["messages"]) + extra


def answer_tokens(key: tuple[str, int]) -> int:
    """Output tokens of one authored answer, serialised as the fake server sends it."""
    from assistant.llm.tokens import count_tokens

    data = json.loads(answer_path(*key).read_text(encoding="utf-8"))
    return count_tokens(json.dumps(data, ensure_ascii=False))


def extraction_accuracy(root: Path) -> StepTokens:
    """Estimate the set's extraction in a fresh workspace, run it, and compare.

    The estimate is what `persona estimate` shows before any call (no history:
    the calibrated default); the actual tokens are counted the same way
    (cl100k_base) on the requests the fake server received and the answers it sent.
    """
    from assistant.extract import extract_interviews, plan_extraction
    from assistant.llm.budget import estimate
    from assistant.llm.pricing import price_table

    with realistic_run(root) as run:
        est = estimate(
            plan_extraction(run.ws, run.settings),
            model=run.settings.llm.model,
            prices=price_table(run.settings.llm),
            conn=run.ws.conn,
        )
        outcomes = extract_interviews(run.ws, run.settings)
        assert all(o.status == "extracted" for o in outcomes), outcomes
        requests = list(run.server.requests)
        keys = list(run.served.windows)
    (step,) = est.steps
    return StepTokens(
        step.task,
        step.calls,
        step.input_tokens,
        sum(sent_tokens(r) for r in requests),
        step.est_output_tokens,
        sum(answer_tokens(k) for k in keys),
    )
