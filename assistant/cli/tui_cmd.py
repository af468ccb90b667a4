"""`persona tui` (and `persona` alone in a terminal): open the terminal app.

The app lives in the ``tui`` package; it is imported only when the command
runs, so the core and `persona --help` never load Textual.
"""

from __future__ import annotations

from assistant.cli.root import app, open_workspace


def open_app() -> None:
    """Open the app on the workspace found for this invocation.

    persona.toml is checked first, so a bad configuration is the same usage
    error (exit 2, with a did-you-mean) as in every other command."""
    from assistant.settings import load_settings
    from tui.app import run_app

    ws = open_workspace()
    load_settings(ws.config_data())
    run_app(ws)


@app.command("tui")
def tui_cmd() -> None:
    """Open the terminal app: library, interviews and evidence, runs, ask, review screens."""
    open_app()
