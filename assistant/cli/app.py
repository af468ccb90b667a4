"""Entry point of the `persona` console script.

Importing the command modules registers their commands on :data:`root.app`.
User errors (:class:`PersonaError`) print one line and exit with their code;
``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import sys

import typer

from assistant.cli import (  # noqa: F401  (imported to register commands)
    library_cmds,
    workspace_cmds,
)
from assistant.cli.root import app, state
from assistant.errors import PersonaError


def main() -> None:
    """Run the CLI, turning user errors into one-line messages and exit codes."""
    try:
        app(standalone_mode=False)
    except PersonaError as exc:
        if state.debug:
            raise
        typer.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo("aborted", err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # click usage errors and the unexpected
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if state.debug:
            raise
        typer.echo(f"error: unexpected {type(exc).__name__}: {exc} (rerun with --debug)", err=True)
        sys.exit(1)
