"""`python -m assistant` runs the `persona` CLI."""

from assistant.cli.app import run

run()
