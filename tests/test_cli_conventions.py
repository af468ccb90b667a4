"""CLI conventions shared by every command: --workspace, --json, exit codes."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

from assistant.workspace import Workspace
from tests.support.cli import run_cli, subprocess_env


def test_init_json_and_workspace_discovery(tmp_path: Path) -> None:
    res = run_cli("init", str(tmp_path / "w"), "--json")
    assert res.code == 0, res.stderr
    assert res.json()["workspace"] == str((tmp_path / "w").resolve())
    assert (tmp_path / "w" / ".persona").is_dir()


def test_missing_workspace_is_usage_error_without_traceback(tmp_path: Path) -> None:
    res = run_cli("interviews", cwd=tmp_path)
    assert res.code == 2
    assert "Traceback" not in res.stderr
    assert "persona init" in res.stderr
    assert res.stdout == ""


def test_workspace_option_pointing_nowhere(tmp_path: Path) -> None:
    res = run_cli("--workspace", str(tmp_path / "nope"), "interviews", "--json")
    assert res.code == 2
    assert "not a workspace" in res.stderr
    # --json always prints one JSON document on stdout, errors included
    (error,) = res.json()["errors"]
    assert "not a workspace" in error["message"]
    assert error["type"] == "WorkspaceNotFoundError"


def test_error_without_json_keeps_stdout_empty(tmp_path: Path) -> None:
    res = run_cli("--workspace", str(tmp_path / "nope"), "interviews")
    assert res.code == 2
    assert res.stdout == ""


def test_unknown_command_is_exit_2(tmp_path: Path) -> None:
    res = run_cli("no-such-command", cwd=tmp_path)
    assert res.code == 2
    assert "Traceback" not in res.stderr


def test_debug_shows_traceback(tmp_path: Path) -> None:
    res = run_cli("--debug", "interviews", cwd=tmp_path)
    assert res.code != 0
    assert "Traceback" in res.stderr


def test_version_on_stdout() -> None:
    import tomllib

    project = tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))["project"]
    res = run_cli("--version")
    assert res.code == 0, res.stderr
    assert res.stdout == f"persona {project['version']}\n"


def _tree() -> list[tuple[str, Any]]:
    """Every command of the polished tree with its path (``review approve``)."""
    import typer.main

    from assistant.cli.app import app
    from assistant.cli.help_layout import polish

    cli = polish(typer.main.get_command(app))
    out: list[tuple[str, Any]] = [("", cli)]
    for name, command in cli.commands.items():
        out.append((name, command))
        out += [(f"{name} {n}", sub) for n, sub in getattr(command, "commands", {}).items()]
    return out


def test_every_command_has_an_example_a_panel_and_plain_metavars() -> None:
    """Needs a line in assistant/cli/help_layout.py (WORKFLOW, EXAMPLES, METAVARS)."""
    from typer import _click

    from assistant.cli.help_layout import EXAMPLES, MORE

    no_example, python_types, no_panel, bad_example = [], [], [], []
    for path, command in _tree():
        if path and not (command.epilog or "").startswith(f"Example: persona {path}"):
            no_example.append(path)
        elif path:  # the example parses: arguments and options exist, required ones given
            words = shlex.split(EXAMPLES[path])[1 + len(path.split()) :]
            try:
                command.make_context(path, words)
            except _click.ClickException as exc:
                bad_example.append(f"{EXAMPLES[path]}: {exc.format_message()}")
        if path and " " not in path and command.rich_help_panel == MORE:
            no_panel.append(path)
        ctx = _click.Context(command, info_name=path or "persona")
        for param in command.params:
            shown = param.display_type_rich(ctx) or ""
            if "<" in shown or (param.metavar is None and not getattr(param, "is_flag", False)):
                python_types.append(f"{path or 'persona'} {param.name}: {shown}")
    assert no_example == [], "add an example to EXAMPLES in assistant/cli/help_layout.py"
    assert bad_example == []
    assert no_panel == [], "place the command in WORKFLOW in assistant/cli/help_layout.py"
    assert python_types == [], "give the option a metavar= (or a METAVARS entry)"


def test_help_lists_commands_in_workflow_order_with_plain_text() -> None:
    res = run_cli("--help", env={"COLUMNS": "120"})
    assert res.code == 0, res.stderr
    out = res.stdout
    panels = [out.index(p) for p in ("1. Start", "2. Add interviews", "3. Analyse", "4. Review")]
    assert panels == sorted(panels)
    words = [f"│ {c} " for c in ("demo", "init", "ingest", "analyze", "personas", "export")]
    assert [out.index(w) for w in words] == sorted(out.index(w) for w in words)
    assert "<bool>" not in out and "<path>" not in out
    assert "([privacy] redact = false)" in out  # shown as written, not eaten as markup
    res = run_cli("export", "--help", env={"COLUMNS": "120"})
    assert "Example: persona export --format html --out report/" in res.stdout
    assert "<str>" not in res.stdout and "[export] private" in res.stdout


def test_doctor_report_goes_to_stdout(tmp_path: Path) -> None:
    assert run_cli("init", str(tmp_path / "w")).code == 0
    res = run_cli("--workspace", str(tmp_path / "w"), "doctor")
    lines = res.stdout.splitlines()
    assert any(line.startswith("ok   workspace") for line in lines), res.stdout + res.stderr
    assert "workspace" not in res.stderr


def test_interviews_piped_are_plain_and_whole(extracted_ws: Workspace) -> None:
    from assistant.library import list_interviews

    titles = {i.id: i.title for i in list_interviews(extracted_ws)}
    extracted_ws.close()
    res = run_cli("--workspace", str(extracted_ws.root), "interviews")
    assert res.code == 0, res.stderr
    rows = [line.split("\t") for line in res.stdout.splitlines()]
    assert rows[0] == ["id", "title", "format", "turns", "speakers (role)"]
    assert {r[0]: r[1] for r in rows[1:]} == titles  # whole titles, one line each
    assert max(len(t) for t in titles.values()) > 60  # long enough for a table to cut
    assert "│" not in res.stdout and "…" not in res.stdout


def test_closed_pipe_exits_0_without_traceback(extracted_ws: Workspace) -> None:
    extracted_ws.close()
    args = [sys.executable, "-m", "assistant", "--workspace", str(extracted_ws.root)]
    proc = subprocess.Popen(
        [*args, "interviews"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=subprocess_env(),
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before the command writes a line
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=300) == 0, err
    assert "Traceback" not in err and "BrokenPipe" not in err
    shell = subprocess.run(
        ["bash", "-c", 'set -o pipefail; "$@" interviews | head -1', "sh", *args],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=300,
    )
    assert shell.returncode == 0, shell.stderr
    assert shell.stdout.startswith("id\ttitle") and "Traceback" not in shell.stderr


def test_counts_read_as_english() -> None:
    from assistant.llm.pricing import format_cost
    from assistant.wording import count, plural, usd

    assert count(1, "interview") == "1 interview"
    assert count(0, "interview") == "0 interviews"
    assert count(1204, "quote") == "1,204 quotes"
    assert [plural(w) for w in ("reply", "day", "batch", "analysis")] == [
        "replies",
        "days",
        "batches",
        "analyses",
    ]
    assert format_cost(1234.5) == "$1,234.5000" and format_cost(None) == "unknown"
    assert usd(1234567.891) == "$1,234,567.89"
