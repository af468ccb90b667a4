"""Helpers of the tests/robustness/ tests (fixtures in tests/robustness/conftest.py): real `persona` subprocesses, a real
(fake) OpenAI-compatible server for chat and embeddings, SIGKILL at chosen points.

The subprocesses embed through the fake server's ``/v1/embeddings`` (the
``openai`` embeddings provider), so no model is loaded and each command starts
in seconds.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.llm.fake_server import FakeLlmServer

KEY = "test-key-robustness-0000"


@dataclass
class Env:
    """A workspace and the environment that points `persona` at the fake server."""

    root: Path
    server: FakeLlmServer
    vars: dict[str, str]

    def popen(self, *args: str) -> subprocess.Popen[str]:
        env = {**os.environ, **self.vars}
        return subprocess.Popen(
            [sys.executable, "-m", "assistant", "-w", str(self.root), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )

    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        proc = self.popen(*args)
        out, err = proc.communicate(timeout=timeout)
        return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)

    def db(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.root / ".persona" / "persona.db")
        conn.row_factory = sqlite3.Row
        return conn

    def count(self, sql: str) -> int:
        conn = self.db()
        try:
            return int(conn.execute(sql).fetchone()[0])
        finally:
            conn.close()


def kill_when(proc: subprocess.Popen[str], ready: Callable[[], bool], timeout: float = 240) -> None:
    """SIGKILL ``proc`` as soon as ``ready()`` is true (fails if it ends first)."""
    deadline = time.monotonic() + timeout
    while not ready():
        if proc.poll() is not None:
            _out, err = proc.communicate()
            pytest.fail(f"process ended before the kill point (rc {proc.returncode}): {err}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("kill point never reached")
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


def write_interviews(folder: Path, n: int, stem: str | None = None, tag: str = "") -> list[Path]:
    """``n`` small distinct plain-text interviews (same stem in sub-folders when ``stem``)."""
    paths = []
    for i in range(n):
        target = folder / f"set{i}" / f"{stem}.txt" if stem else folder / f"interview-{i:02d}.txt"
        target.parent.mkdir(parents=True, exist_ok=True)
        body = []
        for q in range(6):
            body += [
                f"Interviewer: Question {q} about invoices{tag} number {i}?",
                "",
                f"Dana {i}: Month-end close{tag} took {i + q + 3} days; approvals sat in "
                f"inboxes{tag}, and the {i}-{q} reconciliation in NetSuite was manual work.",
                "",
            ]
        target.write_text("\n".join(body), encoding="utf-8")
        paths.append(target)
    return paths
