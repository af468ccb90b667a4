"""How `persona --help` reads: commands grouped and ordered as the work goes, one example
per command, metavars that say what a value is (``ID``, ``FILE``, ``N``) instead of
Python types, and help texts shown as written.

:func:`polish` applies the tables below to the Click command tree that Typer
builds; the entry point (:mod:`assistant.cli.app`) calls it. A new command
needs a line in :data:`WORKFLOW` and :data:`EXAMPLES`, and a new value option
a metavar (``metavar=`` on the option, or :data:`METAVARS` by parameter
name); tests/test_cli_conventions.py fails until it has them.
"""

from __future__ import annotations

from typing import Any

from rich.markup import escape

WORKFLOW: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("1. Start", ("demo", "init", "doctor", "config", "eval", "formats")),
    (
        "2. Add interviews",
        ("ingest", "interviews", "show", "speakers", "accounts", "search", "reindex"),
    ),
    (
        "3. Analyse",
        (
            "estimate",
            "preview",
            "analyze",
            "extract",
            "batch",
            "insights",
            "summarize",
            "themes",
            "personas",
            "icp",
            "messaging",
            "segments",
            "sizing",
            "ask",
        ),
    ),
    (
        "4. Review and share",
        ("review", "highlight", "unhighlight", "tags", "tui", "export", "runs"),
    ),
)
"""Help panels in workflow order, each with its commands in order."""

MORE = "More"
"""The panel of a command missing from :data:`WORKFLOW` (the tests ask for a place)."""

EXAMPLES: dict[str, str] = {
    "demo": "persona demo --no-tui --dir /tmp/demo",
    "init": "persona init my-research",
    "doctor": "persona doctor --fix",
    "config": "persona config",
    "eval": "persona eval --model gpt-4o-mini --model gpt-4.1-mini",
    "formats": "persona formats",
    "ingest": "persona ingest ~/Downloads/interviews/ --company Acme",
    "interviews": "persona interviews --segment dental",
    "show": "persona show acme-cfo",
    "speakers": 'persona speakers acme-cfo --interviewer "Priya Raman"',
    "accounts": "persona accounts",
    "accounts merge": 'persona accounts merge "Acme Inc" "ACME"',
    "accounts unmerge": 'persona accounts unmerge "ACME"',
    "search": 'persona search "month-end close" --role participant',
    "reindex": "persona reindex",
    "estimate": "persona estimate",
    "preview": "persona preview extract acme-cfo",
    "analyze": "persona analyze --budget 2",
    "extract": "persona extract --all",
    "batch": "persona batch status",
    "batch status": "persona batch status",
    "batch collect": "persona batch collect batch_abc123",
    "batch cancel": "persona batch cancel batch_abc123",
    "insights": "persona insights --kind pain --company Acme",
    "summarize": "persona summarize",
    "themes": "persona themes",
    "personas": "persona personas",
    "icp": "persona icp",
    "messaging": "persona messaging",
    "segments": "persona segments",
    "sizing": "persona sizing sizing.yaml",
    "ask": 'persona ask "Why did they buy?" --role champion',
    "review": "persona review list",
    "review list": "persona review list --kind persona",
    "review show": "persona review show persona-3fa2c1",
    "review edit": 'persona review edit persona-3fa2c1 --claim 2 --text "Closes in 5 days"',
    "review add": 'persona review add persona-3fa2c1 --field goals --text "Fewer audit findings"',
    "review delete": "persona review delete persona-3fa2c1 --claim 4",
    "review link": "persona review link persona-3fa2c1 --claim 4 --insight acme-cfo:i3",
    "review unapprove": "persona review unapprove persona-3fa2c1",
    "review rename": 'persona review rename theme-0503db --title "Approving on one screen"',
    "review merge": "persona review merge theme-0503db --into theme-fb455e",
    "review move": "persona review move theme-0503db --insight acme-cfo:i3 --to theme-fb455e",
    "review split": 'persona review split theme-0503db --insight acme-cfo:i3 --title "Mobile"',
    "review approve": "persona review approve persona-3fa2c1",
    "review reject": "persona review reject theme-0503db",
    "review accept": "persona review accept persona-3fa2c1",
    "review keep": "persona review keep persona-3fa2c1",
    "review history": "persona review history persona-3fa2c1",
    "highlight": 'persona highlight acme-cfo --turn 12 --quote "we missed the board deadline" '
    '--kind pain --statement "The close misses board deadlines" --tag close',
    "unhighlight": "persona unhighlight acme-cfo:u1",
    "tags": "persona tags",
    "tags rename": "persona tags rename close month-end-close",
    "tags merge": "persona tags merge close closing --into month-end-close",
    "tags quotes": "persona tags quotes month-end-close",
    "tui": "persona tui",
    "export": "persona export --format html --out report/",
    "runs": "persona runs",
}
"""Command path -> one example, shown under its help."""

METAVARS: dict[str, str] = {
    "acv": "AMOUNT",
    "arr": "USD",
    "batch_id": "BATCH_ID",
    "budget": "USD",
    "claim": "CLAIM_ID",
    "companies": "N",
    "company": "NAME",
    "date": "YYYY-MM-DD",
    "directory": "DIR",
    "employees": "N",
    "field": "FIELD",
    "file": "FILE",
    "ident": "ID",
    "ids": "ID",
    "industry": "INDUSTRY",
    "interview": "ID",
    "interview_id": "ID",
    "interviewer": "NAME",
    "item_id": "ID",
    "k": "N",
    "kind": "KIND",
    "limit": "N",
    "ltv": "USD",
    "model": "MODEL",
    "name": "ACCOUNT",
    "out": "DIR",
    "participant": '"NAME; TITLE; ROLE"',
    "paths": "PATH",
    "persona": "PERSONA",
    "prompt": "FILE",
    "query": "QUERY",
    "question": "QUESTION",
    "record": "DIR",
    "region": "REGION",
    "revenue": "REVENUE",
    "role": "ROLE",
    "run": "RUN_ID",
    "segment": "SEGMENT",
    "share": "SHARE",
    "source": "ACCOUNT",
    "tag": "TAG",
    "target": "ACCOUNT",
    "task": "TASK",
    "tech": "TOOL",
    "tenure_months": "MONTHS",
    "text": "TEXT",
    "title": "TITLE",
    "workspace": "DIR",
}
"""Parameter name -> metavar, for values declared without ``metavar=``."""


def _is_argument(param: Any) -> bool:
    return type(param).__name__.endswith("Argument")


def _metavar(param: Any) -> str | None:
    """The metavar to show for ``param`` (None: leave as declared)."""
    if getattr(param, "is_flag", False) or param.name == "help":
        return ""  # a flag takes no value: no ``<bool>``
    if param.metavar is not None or param.name not in METAVARS:
        return None
    return METAVARS[param.name]  # usage adds {} / [] and ... to arguments itself


def _no_type(ctx: Any) -> None:
    return None


def _params(command: Any) -> None:
    for param in command.params:
        metavar = _metavar(param)
        if metavar is not None:
            param.metavar = metavar
        if _is_argument(param) and param.metavar:
            param.display_type_rich = _no_type  # the name column already says ``ID``
        if getattr(param, "help", None):
            param.help = escape(param.help)  # `[export] private` is text, not Rich markup


def _quiet_help_option(command: Any) -> None:
    """``--help`` is made when help is shown: give it no metavar either."""
    make = command.get_help_option

    def help_option(ctx: Any) -> Any:
        option = make(ctx)
        if option is not None:
            option.metavar = ""
        return option

    command.get_help_option = help_option


def _command(command: Any, path: str) -> None:
    _params(command)
    _quiet_help_option(command)
    if command.help:
        command.help = escape(command.help)
    example = EXAMPLES.get(path)
    if example:
        command.epilog = f"Example: {escape(example)}"


def panels() -> dict[str, str]:
    """Top-level command name -> its help panel."""
    return {name: panel for panel, names in WORKFLOW for name in names}


def polish(cli: Any) -> Any:
    """Apply the tables to the Typer-built command tree ``cli`` (in place); return it."""
    _params(cli)
    _quiet_help_option(cli)
    panel_of = panels()
    order = [n for _, names in WORKFLOW for n in names]
    commands = cli.commands
    ranked = sorted(commands, key=lambda n: order.index(n) if n in order else len(order))
    cli.commands = {n: commands[n] for n in ranked}
    for name, command in cli.commands.items():
        command.rich_help_panel = panel_of.get(name, MORE)
        _command(command, name)
        for sub_name, sub in getattr(command, "commands", {}).items():
            _command(sub, f"{name} {sub_name}")
    return cli
