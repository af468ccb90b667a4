"""`persona init`: create a workspace (and say what the study is about)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from assistant.cli.root import JsonOption, app, emit_json, info

AUDIENCES = ("b2b", "b2c", "internal")


@app.command("init")
def init_cmd(
    directory: Annotated[Path, typer.Argument(help="Folder to create the workspace in.")] = Path(
        "."
    ),
    product: Annotated[
        str | None,
        typer.Option(
            "--product", metavar="NAME", help="[study] product: what the interviews are about."
        ),
    ] = None,
    description: Annotated[
        str | None,
        typer.Option(
            "--description", metavar="TEXT", help="[study] description: what it does, in one line."
        ),
    ] = None,
    audience: Annotated[
        str | None,
        typer.Option(
            "--audience",
            metavar="b2b|b2c|internal",
            help="[study] audience: b2b (default), b2c or internal interviews.",
        ),
    ] = None,
    decision: Annotated[
        str | None,
        typer.Option(
            "--decision", metavar="TEXT", help="[study] decision: what the research should decide."
        ),
    ] = None,
    json_out: JsonOption = False,
) -> None:
    """Create a workspace: DIR/.persona/ (database, vectors) and DIR/persona.toml.

    The [study] section (product, description, audience, decision) is what every
    prompt tells the model about the research. On a terminal, init asks for each
    value not given as a flag (Enter leaves it unset); in scripts and with
    --json it takes the flags, and unset values stay unset (audience: b2b).
    An existing persona.toml is never changed: edit its [study] section instead.
    """
    from assistant.errors import UsageError
    from assistant.workspace import CONFIG_FILE, init_workspace

    if audience is not None and audience not in AUDIENCES:
        raise UsageError(f"--audience {audience!r}: choose from {', '.join(AUDIENCES)}")
    study: dict[str, Any] = {
        "product": product,
        "description": description,
        "audience": audience,
        "decision": decision,
    }
    exists = (directory / CONFIG_FILE).exists()
    if not exists and not json_out and sys.stdin.isatty() and sys.stderr.isatty():
        study = _ask(study)
    elif exists and any(v is not None for v in study.values()):
        raise UsageError(
            f"{directory / CONFIG_FILE} already exists and is never overwritten: "
            "set the [study] values in it instead"
        )
    ws = init_workspace(directory, {"study": {k: v for k, v in study.items() if v}})
    if json_out:
        emit_json({"workspace": str(ws.root), "config": str(ws.config_path)})
    else:
        info(f"workspace ready in {ws.root} (config: {ws.config_path})")


def _ask(study: dict[str, Any]) -> dict[str, Any]:
    """Ask on the terminal for each [study] value not given as a flag."""
    questions = {
        "product": "Product the interviews are about (Enter: not named)",
        "description": "What it does, in one line (Enter: skip)",
        "audience": "Interviews with: b2b, b2c or internal",
        "decision": "The decision this research serves (Enter: skip)",
    }
    out = dict(study)
    for key, question in questions.items():
        if out[key] is not None:
            continue
        if key == "audience":
            answer = ""
            while answer not in AUDIENCES:
                answer = typer.prompt(question, default="b2b", err=True).strip().lower()
            out[key] = answer
        else:
            out[key] = typer.prompt(question, default="", show_default=False, err=True) or None
    return out
