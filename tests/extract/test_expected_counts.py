"""fixtures/authored/expected_counts.json is what its committed script produces."""

from __future__ import annotations

import subprocess
import sys

from tests.support.expected_counts import TARGET, expected_counts, render
from tests.support.paths import REPO


def test_script_reproduces_the_file_exactly() -> None:
    assert render(expected_counts()) == TARGET.read_text(encoding="utf-8")


def test_script_check_mode_runs_from_the_command_line() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "tests.support.expected_counts", "--check"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "up to date" in proc.stdout
