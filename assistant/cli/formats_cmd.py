"""`persona formats`: every transcript layout ingest can read, with a two-line example."""

from __future__ import annotations

import typer

from assistant.cli.root import JsonOption, app, emit_json


@app.command("formats")
def formats_cmd(json_out: JsonOption = False) -> None:
    """List every transcript format `persona ingest` detects, with what it looks like.

    Detection is by content; `persona ingest --format NAME` forces one.
    """
    from assistant.ingest.registry import REGISTRY

    if json_out:
        emit_json(
            [
                {
                    "name": f.name,
                    "extensions": list(f.extensions),
                    "summary": f.summary,
                    "example": f.example,
                    "verbatim": f.verbatim,
                }
                for f in REGISTRY
            ]
        )
        return
    for f in REGISTRY:
        typer.echo(f"{f.name}  ({' '.join(f.extensions)})\n  {f.summary}")
        for line in f.example.split("\n"):
            typer.echo(f"  | {line}")
        typer.echo("")
