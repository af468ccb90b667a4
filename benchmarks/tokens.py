"""Extraction token benchmark on the sample corpus.

Runs the real extraction of the 12 sample interviews once, live against the
fake server (answering with the authored objects), and counts the prompt
tokens of the requests the server received (``cl100k_base``, offline):

- the messages (system + user) and the output schema sent with each request;
- against the transcripts' own tokens (target: at most 1.3x);
- against a naive baseline that asks one question per insight kind (10 kinds)
  over the whole transcript, each with a minimal list-of-quotes schema
  (target: at least 3x fewer tokens for our extraction).

Then the estimate's error per step (:func:`estimate_part`, section "Estimate
accuracy"): the realistic set's extraction and a whole ``analyze`` of the
sample corpus, each estimated before any call.

    .venv/bin/python benchmarks/tokens.py            # prints, updates RESULTS.md
    .venv/bin/python benchmarks/tokens.py --no-write
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import Field

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assistant.extract import extract_interviews  # noqa: E402
from assistant.ingest import parse_file  # noqa: E402
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
ESTIMATE_SECTION = "## Estimate accuracy"


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


# --------------------------------------------------------------------- estimate accuracy


def _pct(x: float) -> str:
    return f"{x:+.0%}"


def _realistic_windows() -> list[tuple[str, int, int, int]]:
    """(interview, window, transcript tokens, answer tokens) of the realistic set."""
    from assistant.extract.windows import split_windows
    from tests.support.paths import SHARED_DATA
    from tests.support.realistic import INTERVIEWS, answer_tokens
    from tests.support.realistic import WINDOW_TOKENS as REAL_WINDOW

    rows = []
    for stem in INTERVIEWS:
        transcript = parse_file(SHARED_DATA / f"{stem}.md")
        for n, w in enumerate(split_windows(transcript, REAL_WINDOW, 2), 1):
            rows.append((stem, n, count_tokens(w.text), answer_tokens((stem, n))))
    return rows


def _left_out(rows: list[tuple[str, int, int, int]]) -> list[tuple[str, float]]:
    """Per interview: output error of a least-squares fit on the other five."""
    import statistics

    out = []
    for stem in dict.fromkeys(r[0] for r in rows):
        train = [r for r in rows if r[0] != stem]
        slope, intercept = statistics.linear_regression(
            [r[2] for r in train], [r[3] for r in train]
        )
        test = [r for r in rows if r[0] == stem]
        est = sum(intercept + slope * r[2] for r in test)
        out.append((stem, est / sum(r[3] for r in test) - 1))
    return out


def _pipeline_tokens() -> tuple[Any, dict[str, list[int]]]:
    """The estimate `persona analyze` prints on the fresh sample corpus, and per task the
    (input, output) tokens of what the whole run then sent and received."""
    from assistant.generate import analyze, estimate_pipeline
    from tests.generate.helpers import generation_responder

    inner = generation_responder()
    seen: dict[str, list[int]] = {}

    def respond(body: dict[str, Any]) -> dict[str, Any]:
        obj = inner(body)
        schema = requested_schema(body) or {}
        name = str(body.get("response_format", {}).get("json_schema", {}).get("name", "?"))
        sent = count_messages(body["messages"]) + count_tokens(
            json.dumps(schema, separators=(",", ":"))
        )
        got = count_tokens(json.dumps(obj, ensure_ascii=False))
        totals = seen.setdefault(name, [0, 0, 0])
        totals[0] += 1
        totals[1] += sent
        totals[2] += got
        return obj

    with (
        tempfile.TemporaryDirectory() as tmp,
        FakeLlmServer(responder=respond, model="authored-fixture") as server,
    ):
        os.environ["OPENAI_API_KEY"] = "benchmark-placeholder"
        settings = load_settings(
            {"llm": {"base_url": server.base_url, "server": "openai", "max_concurrency": 1}}
        )
        ws = init_workspace(Path(tmp) / "ws")
        ingest_samples(ws)
        est = estimate_pipeline(ws, settings)
        analyze(ws, settings)
        ws.close()
    return est, seen


SCHEMA_TASKS = {
    "InterviewAnalysis": "extract_interview",
    "ThemeNames": "name_themes",
    "PersonaDraft": "draft_personas",
    "IcpDraft": "draft_icp",
    "MessagingDraft": "draft_messaging",
}


def estimate_part() -> str:
    """The estimate's error per step: the realistic set (extraction) and a whole
    `analyze` of the sample corpus, estimated before anything was sent."""
    from tests.support.realistic import available, extraction_accuracy

    lines = ["`persona estimate` before any call, against what was then sent and received.", ""]
    if available():
        with tempfile.TemporaryDirectory() as tmp:
            r = extraction_accuracy(Path(tmp) / "ws")
        rows = _realistic_windows()
        from assistant.llm.expected_output import default_rule

        rule = default_rule("extract_interview")
        per_window = [rule.tokens(r[2]) / r[3] - 1 for r in rows]
        lines += [
            "Realistic set (fixtures/realistic: 6 long shared interviews, 13 windows of "
            "3,000 tokens; actual = cl100k tokens of the requests sent and the authored "
            "answers received):",
            "",
            "| step | calls | est. input | actual input | error | est. output | actual output "
            "| error | target |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---|",
            f"| extraction | {r.calls} | {r.est_input} | {r.input} | {_pct(r.input_error)} | "
            f"{r.est_output} | {r.output} | {_pct(r.output_error)} | ±20 %: "
            f"{'met' if max(abs(r.input_error), abs(r.output_error)) <= 0.2 else 'NOT met'} |",
            "",
            f"The output default (`{rule.per_call:.0f} + {rule.per_data_token} x window tokens`) "
            "is a least-squares fit on these same 13 windows, so the total is in-sample. Per "
            f"window it is off by {min(per_window):+.0%} to {max(per_window):+.0%}; fitted on "
            "five interviews and applied to the sixth, the output error per interview is "
            + ", ".join(f"{s} {_pct(e)}" for s, e in _left_out(rows))
            + ".",
            "",
        ]
    else:
        lines += ["(Realistic set skipped: ../shared/data is absent.)", ""]
    est, seen = _pipeline_tokens()
    by_task = {s.task: s for s in est.steps}
    lines += [
        "Sample corpus, whole `persona analyze` (12 interviews; estimated on the fresh "
        "workspace, so the later steps are the rough per-interview estimate; actual = the "
        "run against the fake server answering with the authored objects; no run-log "
        "history, so every output figure is the default):",
        "",
        "| step | calls est. / actual | est. input | actual input | error | est. output | "
        "actual output | error |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, task in SCHEMA_TASKS.items():
        s = by_task.get(task)
        calls, inp, out = seen.get(name, [0, 0, 0])
        if s is None or not calls:
            continue
        lines.append(
            f"| {task} | {s.calls} / {calls} | {s.input_tokens} | {inp} | "
            f"{_pct(s.input_tokens / inp - 1)} | {s.est_output_tokens} | {out} | "
            f"{_pct(s.est_output_tokens / out - 1)} |"
        )
    lines += [
        "",
        "The sample corpus's authored extraction answers are dense B2B analyses, about 2.5x "
        "longer per transcript token than the realistic set's, so the default under-estimates "
        "them; after one run the run log's history of the model takes over "
        "(`tests/llm/test_estimate_accuracy.py`). The later steps' input sizes per interview "
        "were measured on this same corpus (in-sample).",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args()
    text = render(measure())
    print(text)
    if not args.no_write:
        write_section(SECTION, text)
    started, load = time.process_time(), os.getloadavg()
    estimates = estimate_part()
    estimates += (
        f"\n{date.today().isoformat()}, `benchmarks/tokens.py`: {time.process_time() - started:.0f} s "
        f"CPU; load average {load[0]:.1f} (2 cores shared).\n"
    )
    print(estimates)
    if not args.no_write:
        write_section(ESTIMATE_SECTION, estimates)


if __name__ == "__main__":
    main()
