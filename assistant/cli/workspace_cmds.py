"""`persona init`: create a workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from assistant.cli.root import JsonOption, app, emit_json, info


@app.command("init")
def init_cmd(
    directory: Annotated[Path, typer.Argument(help="Folder to create the workspace in.")] = Path(
        "."
    ),
    json_out: JsonOption = False,
) -> None:
    """Create a workspace: DIR/.persona/ (database, vectors) and DIR/persona.toml."""
    from assistant.workspace import init_workspace

    ws = init_workspace(directory)
    if json_out:
        emit_json({"workspace": str(ws.root), "config": str(ws.config_path)})
    else:
        info(f"workspace ready in {ws.root} (config: {ws.config_path})")
