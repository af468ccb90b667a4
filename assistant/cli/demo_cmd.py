"""`persona demo`: the pipeline on the bundled sample interviews, offline."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from assistant.cli.root import JsonOption, app, emit_json, info
from assistant.wording import count


@app.command("demo")
def demo_cmd(
    directory: Annotated[
        Path | None,
        typer.Option("--dir", help="Keep the demo workspace in DIR (default: a temp folder)."),
    ] = None,
    no_tui: Annotated[
        bool, typer.Option("--no-tui", help="Print the summary and write exports; no app.")
    ] = False,
    json_out: JsonOption = False,
) -> None:
    """Run the whole pipeline on the bundled sample interviews, offline.

    Copies the sample interviews into a fresh workspace and opens the terminal
    app, which ingests them and runs the analysis with progress on screen.
    With --no-tui (or --json, or when not on a terminal) it runs ingest,
    search, extraction, summary, themes, personas, ICP and messaging here,
    prints the summary and writes the exports. Model responses are replayed
    from recorded fixtures (model "authored-fixture": written by us), so no
    network or API key is needed.
    """
    import sys

    if not (no_tui or json_out) and sys.stdin.isatty() and sys.stdout.isatty():
        from tui.app import run_demo_app

        run_demo_app(directory)
        return
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
    drafts = report["drafts"]
    info(
        f"Drafts for review: {len(drafts['theme'])} themes, {len(drafts['persona'])} personas "
        f"({', '.join(drafts['persona'])}), {len(drafts['icp'])} ICP, "
        f"{len(drafts['messaging'])} messaging items"
    )
    if report["icp_fit"]:
        info(f"ICP fit: {report['icp_fit']}")
    exports = report["exports"]
    info(
        f"Exports: {count(len(exports['files']), 'file')} in {exports['dir']} (start with index.md, or open report.html in a browser)"
    )
    info("Review them with: persona --workspace " + report["workspace"] + " review list")
    if report.get("markdown"):
        info("\nBatch summary:\n")
        typer.echo(report["markdown"])
