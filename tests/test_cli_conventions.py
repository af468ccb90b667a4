"""CLI conventions shared by every command: --workspace, --json, exit codes."""

from __future__ import annotations

from pathlib import Path

from tests.support.cli import run_cli


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
