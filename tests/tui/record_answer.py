"""Re-create the authored cassette of the Ask demo question (``answer_question``).

Like ``tests/extract/record_authored.py``: the sample interviews are ingested
into a temporary workspace and :func:`assistant.ask.answer_question` runs in
record mode against the fake server, which answers from
``fixtures/authored/answer_question/month-end-close.json`` and reports the
model ``authored-fixture``. It records twice, retrieving with the local model
(what ``persona demo`` uses) and with the tests' hash embedder, into
``fixtures/cassettes/answer_question.json``::

    .venv/bin/python -m tests.tui.record_answer
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from assistant.ask import DEMO_QUESTION, TASK, answer_question
from assistant.demo import SAMPLE_STUDY
from assistant.embeddings import Embedder
from assistant.library import ingest_paths
from assistant.llm.fake_server import FakeLlmServer
from assistant.settings import load_settings
from assistant.workspace import init_workspace
from tests.extract.helpers import AUTHORED, CASSETTES, user_text
from tests.support.paths import SAMPLE_TRANSCRIPTS
from tests.support.store import HashEmbedder

ANSWER = AUTHORED / "answer_question" / "month-end-close.json"
_PASSAGE = re.compile(r"^\[(\d+)\] .*?\(turn \d+\): (.*)$", re.M)


def respond(body: dict[str, Any]) -> dict[str, Any]:
    """The authored answer, citing the passages of this request that hold its quotes."""
    authored = json.loads(ANSWER.read_text(encoding="utf-8"))
    passages = {int(n): text for n, text in _PASSAGE.findall(user_text(body))}
    sentences, citations = [authored["intro"]], []
    for point in authored["points"]:
        needle = point.get("passage_of", point["quote"])
        n = next((k for k, text in sorted(passages.items()) if needle in text), None)
        if n is not None:
            sentences.append(f"{point['text']} [{n}].")
            citations.append({"passage": n, "quote": point["quote"]})
    sentences.append(authored["closing"])
    return {"answer": " ".join(sentences), "citations": citations}


def record(tmp: Path, server: FakeLlmServer, embedder: Embedder | None, name: str) -> None:
    settings = load_settings(
        {
            "llm": {
                "base_url": server.base_url,
                "server": "openai",
                "mode": "record",
                "cassette_dir": str(tmp / "cassettes"),
            },
            "study": SAMPLE_STUDY,
        }
    )
    ws = init_workspace(tmp / name, {"study": SAMPLE_STUDY})
    try:
        ingest_paths(ws, [SAMPLE_TRANSCRIPTS], embedder=embedder)
        answer = answer_question(ws, settings, DEMO_QUESTION, embedder=embedder)
    finally:
        ws.close()
    print(f"{name}: {answer.verified} verified, {answer.unverified} unverified citations")


def main() -> None:
    with (
        tempfile.TemporaryDirectory() as tmp,
        FakeLlmServer(model="authored-fixture", responder=respond) as server,
    ):
        os.environ["OPENAI_API_KEY"] = "authoring-placeholder"
        record(Path(tmp), server, None, "local")
        record(Path(tmp), server, HashEmbedder(), "hash")
        shutil.copyfile(Path(tmp) / "cassettes" / f"{TASK}.json", CASSETTES / f"{TASK}.json")
    print(f"cassette: {CASSETTES / f'{TASK}.json'}")


if __name__ == "__main__":
    main()
