"""`persona demo`: the pipeline on the bundled sample interviews, offline."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from assistant.cli.root import JsonOption, app, emit_json, info


@app.command("demo")
def demo_cmd(
    directory: Annotated[
        Path | None,
        typer.Option("--dir", help="Keep the demo workspace in DIR (default: a temp folder)."),
    ] = None,
    json_out: JsonOption = False,
) -> None:
    """Run the pipeline on the bundled sample interviews, offline.

    Copies the sample interviews into a fresh workspace, ingests them, searches
    them, and extracts and summarises them by replaying recorded model
    responses (model "authored-fixture": written by us, no network needed).
    """
    from assistant.demo import run_demo

    def say(message: str) -> None:
        if not json_out:
            info(message)

    report = run_demo(directory, say=say)
    if json_out:
        emit_json(report)
        return
    _print_report(report)
    if report["failed"]:
        raise typer.Exit(1)


def _print_report(report: dict[str, Any]) -> None:
    """Human summary on stderr; the batch summary Markdown on stdout."""
    info("")
    info(f"Workspace: {report['workspace']}")
    info(
        f"Interviews: {report['ingest']['ingested']} ingested "
        f"({report['ingest']['chunks']} chunks), {report['ingest']['failed']} failed"
    )
    for q in report["searches"]:
        info(f'\nsearch "{q["query"]}"')
        for hit in q["hits"]:
            text = hit["text"] if len(hit["text"]) <= 110 else hit["text"][:107] + "..."
            info(f"  {hit['interview_id']} · {hit['speaker']}: {text}")
    ex = report["extraction"]
    info(
        f"\nExtraction (replayed fixtures, model {ex['model']}): {ex['interviews']} interviews, "
        f"{ex['insights']} insights; quotes {ex['verified']} verified, "
        f"{ex['unverified']} unverified, {ex['note']} from notes"
    )
    if report.get("markdown"):
        info("\nBatch summary:\n")
        typer.echo(report["markdown"])
