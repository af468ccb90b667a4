"""`persona doctor`: check the LLM endpoint, embeddings, workspace and Chroma."""

from __future__ import annotations

from typing import Annotated

import typer

from assistant.cli.root import JsonOption, app, emit_json, state


@app.command("doctor")
def doctor_cmd(
    json_out: JsonOption = False,
    fix: Annotated[
        bool,
        typer.Option(
            "--fix",
            help="Repair vectors out of step with the database (or a damaged Chroma folder).",
        ),
    ] = False,
) -> None:
    """Check the LLM endpoint (one tiny call), the embedding model, the workspace and Chroma.

    Prints the report on stdout, with what to fix; exit 1 when any check fails
    (after --fix: when any still fails).
    """
    from assistant.cli.llm_cmds import llm_settings
    from assistant.doctor import run_doctor

    checks = run_doctor(state.workspace, llm_settings, fix=fix)
    if json_out:
        emit_json([c.to_json() for c in checks])
    else:
        for c in checks:
            mark = "ok  " if c.ok else "FAIL"
            typer.echo(f"{mark} {c.name:<11} {c.detail}")  # the report: stdout
            if not c.ok and c.fix:
                typer.echo(f"     {'':<11} fix: {c.fix}")
    final: dict[str, bool] = {}
    for c in checks:
        final[c.name] = c.ok  # after --fix, the re-check replaces the first verdict
    if not all(final.values()):
        raise typer.Exit(1)
