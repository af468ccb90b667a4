"""The Typer application object, global options and shared CLI helpers.

Command modules import :data:`app` and decorate their commands; keep heavy
imports inside command functions so `persona --help` stays fast.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from assistant.workspace import Workspace, find_workspace

app = typer.Typer(
    name="persona",
    help="Turn B2B customer interviews into evidence-backed personas, ICP drafts and messaging.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@dataclass
class CliState:
    """Global options, shared by every command."""

    workspace: Path | None = None
    debug: bool = False
    record: Path | None = None
    no_wait: bool = False
    no_redact: bool = False
    json_out: bool = False
    """--json was given: an error still prints one JSON document (see :func:`json_errors`)."""
    emitted: bool = False
    """The command printed its JSON document."""


state = CliState()


def _print_version(value: bool) -> None:
    """``persona --version``: the installed version on stdout, then exit."""
    if value:
        from importlib.metadata import version

        typer.echo(f"persona {version('persona-assistant')}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def main_options(
    ctx: typer.Context,
    workspace: Annotated[
        Path | None,
        typer.Option(
            "--workspace",
            "-w",
            envvar="PERSONA_WORKSPACE",
            help="Workspace folder (default: the first folder with .persona/ walking up).",
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
    record: Annotated[
        Path | None,
        typer.Option("--record", help="Record live LLM exchanges as cassettes into DIR."),
    ] = None,
    no_wait: Annotated[
        bool,
        typer.Option(
            "--no-wait",
            envvar="PERSONA_NO_WAIT",
            help="Fail at once when another persona process writes this workspace.",
        ),
    ] = False,
    no_redact: Annotated[
        bool,
        typer.Option(
            "--no-redact",
            help="Send PII and names to the LLM as they are ([privacy] redact = false).",
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", is_eager=True, callback=_print_version, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Persona Assistant."""
    state.workspace = workspace
    state.debug = debug
    state.record = record
    state.no_wait = no_wait
    state.no_redact = no_redact
    if ctx.invoked_subcommand is None:
        if sys.stdin.isatty() and sys.stdout.isatty():
            from assistant.cli.tui_cmd import open_app

            open_app()
        else:
            typer.echo(ctx.get_help())


def open_workspace() -> Workspace:
    """The workspace for this invocation (raises a usage error when none)."""
    ws = find_workspace(state.workspace)
    ws.wait_for_lock = not state.no_wait
    return ws


def emit_json(data: Any) -> None:
    """Print JSON on stdout (the only thing --json commands print there)."""
    state.emitted = True
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def json_errors(exc: Exception, message: str) -> None:
    """Under --json, when the command printed nothing: one JSON document with ``errors``.

    An error that carries the run so far (``json_report()``, e.g. `persona
    analyze`) prints that run with ``errors`` added; any other prints
    ``{"errors": [{"message": ..., "type": ...}]}``.
    """
    if not state.json_out or state.emitted:
        return
    error = {"message": message, "type": type(exc).__name__}
    report = getattr(exc, "json_report", None)
    doc: dict[str, Any] = dict(report()) if callable(report) else {}
    doc["errors"] = [error]
    emit_json(doc)


def _json_flag(value: bool) -> bool:
    if value:
        state.json_out = True
    return value


def info(message: str) -> None:
    """Print a human message on stderr."""
    typer.echo(message, err=True)


def warn(warnings: Iterable[object]) -> None:
    """Print each warning once on stderr as ``warning: ...`` (a step's RunWarnings, notes)."""
    for text in dict.fromkeys(str(w) for w in warnings):
        typer.echo(f"warning: {text}", err=True)


JsonOption = Annotated[
    bool,
    typer.Option("--json", help="Print machine-readable JSON on stdout.", callback=_json_flag),
]

NoWaitOption = Annotated[
    bool,
    typer.Option(
        "--no-wait", help="Fail at once when another persona process writes this workspace."
    ),
]

NoRedactOption = Annotated[
    bool,
    typer.Option(
        "--no-redact",
        help="Send PII and names to the LLM as they are ([privacy] redact = false).",
    ),
]
