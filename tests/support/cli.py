"""Run the real `persona` CLI in a subprocess, as a user would.

The subprocess inherits the test environment (tests/support/env.py): temp
home, no settings variables, and the network block on PYTHONPATH."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.support.env import NETBLOCK


@dataclass
class CliResult:
    """Exit code and both output streams of one CLI run."""

    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def subprocess_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The test environment (network block included) plus ``extra``."""
    assert str(NETBLOCK) in os.environ.get("PYTHONPATH", ""), "the isolated_env fixture did not run"
    return {**os.environ, **(extra or {})}


def run_cli(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 300
) -> CliResult:
    """Run ``python -m assistant ARGS`` with the test environment plus ``env``."""
    full_env = subprocess_env(env)
    proc = subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=full_env,
        timeout=timeout,
    )
    return CliResult(proc.returncode, proc.stdout, proc.stderr)
