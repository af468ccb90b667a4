"""Entry point of the `persona` console script.

Importing the command modules registers their commands on :data:`root.app`;
:func:`~assistant.cli.help_layout.polish` orders them as the work goes and
gives each an example. User errors (:class:`PersonaError`) print one line and
exit with their code (under ``--json`` stdout also gets one JSON document with
``errors``); ``--debug`` shows the traceback instead. A reader that closes the
pipe early (``persona interviews | head -1``) ends the command quietly with exit 0.
"""

from __future__ import annotations

import gc
import os
import sqlite3
import sys
from typing import NoReturn

import typer
import typer.main
from typer import _click

from assistant.cli import (  # noqa: F401  (imported to register commands)
    account_cmds,
    batch_cmds,
    demo_cmd,
    doctor_cmd,
    export_cmds,
    extract_cmds,
    formats_cmd,
    generate_cmds,
    highlight_cmds,
    library_cmds,
    llm_cmds,
    review_cmds,
    tui_cmd,
    workspace_cmds,
)
from assistant.cli.help_layout import polish
from assistant.cli.root import app, json_errors, state
from assistant.errors import PersonaError
from assistant.secrets import scrub


def _closed_pipe() -> NoReturn:
    """stdout's reader went away: send what is left nowhere and exit 0 (as `head` expects)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os._exit(0)


def _run() -> None:
    """Run the polished command tree; Typer's own way of reporting a closed pipe
    (exit 1 with stdout swapped for a quiet wrapper) becomes exit 0."""
    state.json_out = state.emitted = False  # one invocation's: main() may run again in-process
    try:
        polish(typer.main.get_command(app))(prog_name="persona")
    except SystemExit:
        if isinstance(sys.stdout, _click.utils.PacifyFlushWrapper):
            _closed_pipe()
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _closed_pipe()
        raise


def _in_demo_words(message: str) -> str:
    """``message`` in the demo's plain words when this command ran in the demo's workspace."""
    from assistant.demo import demo_text
    from assistant.workspace import find_workspace

    try:
        ws = find_workspace(state.workspace)
    except Exception:  # no workspace: nothing to translate
        return message
    ws.close()
    return demo_text(ws.root, message)


def main() -> None:
    """Run the CLI, turning user errors into one-line messages and exit codes.

    Typer (in standalone mode) handles usage errors itself: message, exit 2.
    """
    try:
        _run()
    except BrokenPipeError:
        _closed_pipe()
    except PersonaError as exc:
        if state.debug:
            raise
        message = _in_demo_words(scrub(str(exc)))
        json_errors(exc, message)
        typer.echo(f"error: {message}", err=True)
        sys.exit(exc.exit_code)
    except sqlite3.DatabaseError as exc:
        if state.debug:
            raise
        message = (
            f"the workspace database is damaged ({exc}): run `persona doctor` "
            "to see which file and how to restore it from the automatic backup"
        )
        json_errors(exc, message)
        typer.echo(f"error: {message}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:
        if state.debug:
            raise
        message = f"unexpected {type(exc).__name__}: {scrub(str(exc))} (rerun with --debug)"
        json_errors(exc, message)
        typer.echo(f"error: {message}", err=True)
        sys.exit(1)


def run() -> None:
    """The `persona` console script and `python -m assistant`: :func:`main`, then a quick exit.

    The interpreter's last garbage collection would walk every object the imports made
    (chromadb, pydantic, onnxruntime): ~0.2 s of each command's exit, a sixth of a cold
    `persona search` (benchmarks/RESULTS.md, "CLI cold start"). Frozen objects are left to
    the operating system; a command's work is committed before it returns. Not in
    :func:`main`, which tests call in-process.
    """
    try:
        main()
    finally:
        gc.freeze()
