"""Extraction token benchmark on the sample corpus.

Runs the real extraction of the 12 sample interviews once, live against the
fake server (answering with the authored objects), and counts the prompt
tokens of the requests the server received (``cl100k_base``, offline):

- the messages (system + user) and the output schema sent with each request;
- against the transcripts' own tokens (target: at most 1.3x);
- against a naive baseline that asks one question per insight kind (10 kinds)
  over the whole transcript, each with a minimal list-of-quotes schema
  (target: at least 3x fewer tokens for our extraction).

    .venv/bin/python benchmarks/tokens.py            # prints, updates RESULTS.md
    .venv/bin/python benchmarks/tokens.py --no-write
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import Field

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assistant.extract import extract_interviews  # noqa: E402
from assistant.library import load_transcript  # noqa: E402
from assistant.llm.fake_server import FakeLlmServer, requested_schema  # noqa: E402
from assistant.llm.schemas import StrictModel  # noqa: E402
from assistant.llm.tokens import count_messages, count_tokens  # noqa: E402
from assistant.schemas import InsightKind  # noqa: E402
from assistant.settings import load_settings  # noqa: E402
from assistant.workspace import init_workspace  # noqa: E402
from benchmarks.results import write_section  # noqa: E402
from tests.extract.helpers import authored_responder, ingest_samples  # noqa: E402

SECTION = "## Extraction tokens"


class NaiveQuote(StrictModel):
    """A quote."""

    quote: str = Field(description="Verbatim quote.")


class NaiveAnswer(StrictModel):
    """Findings of one kind."""

    statements: list[str] = Field(description="One sentence per finding.")
    quotes: list[NaiveQuote] = Field(description="Supporting quotes.")


def naive_tokens(transcript_text: str) -> int:
    """Prompt tokens of one question per insight kind over the whole transcript."""
    from assistant.llm.schemas import strict_json_schema

    schema = json.dumps(strict_json_schema(NaiveAnswer), separators=(",", ":"))
    total = 0
    for kind in InsightKind:
        messages = [
            {"role": "system", "content": "You analyse customer interviews. Quote verbatim."},
            {
                "role": "user",
                "content": f"List every {kind.value} the participant mentions, with quotes."
                f"\n\n<transcript>\n{transcript_text}\n</transcript>",
            },
        ]
        total += count_messages(messages) + count_tokens(schema)
    return total


def _without_descriptions(node: Any) -> Any:
    """The schema with every ``description`` and ``title`` removed (its bare structure)."""
    if isinstance(node, dict):
        return {
            k: _without_descriptions(v)
            for k, v in node.items()
            if k not in ("description", "title")
        }
    if isinstance(node, list):
        return [_without_descriptions(v) for v in node]
    return node


def measure() -> dict[str, float]:
    with (
        tempfile.TemporaryDirectory() as tmp,
        FakeLlmServer(responder=authored_responder(), model="authored-fixture") as server,
    ):
        os.environ["OPENAI_API_KEY"] = "benchmark-placeholder"
        settings = load_settings(
            {"llm": {"base_url": server.base_url, "server": "openai", "max_output_tokens": 16000}}
        )
        ws = init_workspace(Path(tmp) / "ws")
        ids = ingest_samples(ws)
        outcomes = extract_interviews(ws, settings)
        assert all(o.status == "extracted" for o in outcomes), outcomes
        transcripts = [load_transcript(ws.conn, i).text for i in ids]
        ws.close()
        messages = schema = schema_bare = 0
        for req in server.requests:
            messages += count_messages(req.body["messages"])
            sent = requested_schema(req.body)
            if sent:
                schema += count_tokens(json.dumps(sent, separators=(",", ":")))
                bare = json.dumps(_without_descriptions(sent), separators=(",", ":"))
                schema_bare = max(schema_bare, count_tokens(bare))
        calls = server.request_count
    own = sum(count_tokens(t) for t in transcripts)
    naive = sum(naive_tokens(t) for t in transcripts)
    return {
        "interviews": len(transcripts),
        "calls": calls,
        "own": own,
        "messages": messages,
        "schema": schema,
        "schema_bare": schema_bare,
        "full": messages + schema,
        "naive": naive,
    }


def render(r: dict[str, float]) -> str:
    ratio_msgs = r["messages"] / r["own"]
    ratio_full = r["full"] / r["own"]
    fewer = r["naive"] / r["full"]
    return "\n".join(
        [
            f"`benchmarks/tokens.py`, {date.today().isoformat()}: the {r['interviews']:.0f} "
            f"sample interviews, one extraction run ({r['calls']:.0f} requests, counted from "
            "what the fake server received; cl100k_base tokens).",
            "",
            "| measure | tokens | vs. transcripts | target |",
            "|---|---:|---:|---|",
            f"| transcripts' own text | {r['own']:.0f} | 1.00x | |",
            f"| extraction prompts (system + user messages) | {r['messages']:.0f} | "
            f"{ratio_msgs:.2f}x | <= 1.3x: {'met' if ratio_msgs <= 1.3 else 'NOT met'} |",
            f"| + output JSON schema sent with each request | {r['schema']:.0f} | | |",
            f"| extraction, full request | {r['full']:.0f} | {ratio_full:.2f}x | "
            f"<= 1.3x: {'met' if ratio_full <= 1.3 else 'NOT met'} |",
            f"| naive: one question per insight kind (10) | {r['naive']:.0f} | "
            f"{r['naive'] / r['own']:.2f}x | |",
            "",
            f"Our extraction uses **{fewer:.1f}x fewer** prompt tokens than the naive baseline "
            f"(target >= 3x: {'met' if fewer >= 3 else 'NOT met'}). The prompt text adds "
            f"{ratio_msgs - 1:.0%} to the transcripts; the InterviewAnalysis JSON schema "
            f"(about {r['schema'] / max(r['calls'], 1):.0f} tokens per request, of which "
            f"about {r['schema_bare']:.0f} are structure that remains with every description "
            "removed) is what pushes the full request past 1.3x. It is sent once per "
            "interview, so on these short (~1,500-token) interviews no one-call-per-interview "
            "design with a JSON schema reaches 1.3x; the ratio falls as transcripts or "
            "windows get longer.",
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args()
    text = render(measure())
    print(text)
    if not args.no_write:
        write_section(SECTION, text)


if __name__ == "__main__":
    main()
