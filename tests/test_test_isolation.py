"""The test environment itself: every settings variable cleared, and Python
subprocesses (the CLI) blocked from the network like the test process."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.cli import run_cli, subprocess_env
from tests.support.env import (
    CLEARED_PREFIXES,
    HOME_VARS,
    PINNED,
    SETTINGS_ENV,
    cleared_names,
    isolate,
)
from tests.support.paths import REPO

READ = re.compile(r'(?:environ\.get\(|environ\[|getenv\(|envvar=)\s*"([A-Z][A-Z0-9_]*)"')


def test_every_variable_the_code_reads_is_cleared_or_pinned() -> None:
    names: set[str] = set(SETTINGS_ENV)
    for folder in ("assistant", "tui"):
        for path in (REPO / folder).rglob("*.py"):
            names |= set(READ.findall(path.read_text(encoding="utf-8")))
    handled = set(PINNED) | set(SETTINGS_ENV) | set(HOME_VARS)
    loose = {n for n in names if n not in handled and not n.startswith(CLEARED_PREFIXES)}
    assert loose == set(), f"read by the code but not cleared for tests: {loose}"
    assert {"PERSONA_MODEL", "OPENAI_API_KEY", "CHROMA_PORT", "PERSONA_WORKSPACE"} <= names


def test_isolate_clears_every_settings_variable(tmp_path: Path) -> None:
    mp = pytest.MonkeyPatch()
    try:
        for name in [*SETTINGS_ENV, "OPENAI_ORG_ID", "CHROMA_SERVER_HOST", "HTTPS_PROXY"]:
            mp.setenv(name, "from-the-user")
        mp.setenv("PERSONA_LOCAL_LLM", "1")
        isolate(mp, tmp_path)
        import os

        left = sorted(n for n in os.environ if os.environ[n] == "from-the-user")
        assert left == []
        assert os.environ["PERSONA_LOCAL_LLM"] == "1"  # an opt-in test switch stays
        assert os.environ["HOME"] == str(tmp_path)
        assert "PERSONA_MODEL" in cleared_names(os.environ)
    finally:
        mp.undo()


CONNECT = """
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
try:
    s.connect(("192.0.2.1", 9))
except OSError as exc:
    print(type(exc).__name__, exc)
    sys.exit(3)
print("connected")
"""
"""UDP connect sends no packet, so even a broken guard would put nothing on the wire."""


def test_a_subprocess_cannot_connect_to_a_non_loopback_address() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", CONNECT],
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert "NetworkBlockedError network blocked in tests" in proc.stdout


def test_a_subprocess_still_reaches_loopback() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        port = server.getsockname()[1]
        code = f"import socket; socket.create_connection(('127.0.0.1', {port}), timeout=5); print('ok')"
        proc = subprocess.run(
            [sys.executable, "-c", code],
            env=subprocess_env(),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert proc.stdout.strip() == "ok", proc.stderr


def test_cli_subprocesses_get_the_block() -> None:
    """run_cli passes the same environment: its Python loads the guard at start-up."""
    probe = subprocess.run(
        [sys.executable, "-c", "import socket; print(socket.socket.connect.__module__)"],
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert probe.stdout.strip() == "sitecustomize", probe.stderr
    res = run_cli("config", "--json")
    assert res.code == 0, res.stderr
