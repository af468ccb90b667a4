"""The workspace write lock: one writer per workspace, re-entrant in a process,
released when the writing call returns, `--no-wait` fails at once."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from assistant.locking import WorkspaceBusyError, WriteLock, describe_holder
from assistant.workspace import Workspace

HOLD = """
import sys, time
from assistant.workspace import Workspace
ws = Workspace(__import__("pathlib").Path(sys.argv[1]))
with ws.writing("ingesting"):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _holder(workspace: Workspace, seconds: float) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(workspace.root), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_second_writer_fails_at_once_with_no_wait_and_names_the_holder(
    workspace: Workspace,
) -> None:
    proc = _holder(workspace, 30)
    try:
        workspace.wait_for_lock = False
        with pytest.raises(WorkspaceBusyError) as info, workspace.writing("analyzing"):
            pass
        message = str(info.value)
        assert f"another persona process is ingesting in this workspace (pid {proc.pid})" in message
        assert describe_holder(workspace.state_dir).endswith(f"(pid {proc.pid})")
    finally:
        proc.kill()
        proc.wait()
    # The operating system released the killed holder's lock.
    with workspace.writing("analyzing"):
        pass


def test_second_writer_waits_and_says_so(
    workspace: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    proc = _holder(workspace, 2)
    start = time.monotonic()
    with workspace.writing("analyzing"):
        waited = time.monotonic() - start
    proc.wait()
    assert waited > 0.5
    err = capsys.readouterr().err
    assert (
        f"another persona process is ingesting in this workspace (pid {proc.pid}); waiting…" in err
    )


def test_lock_is_reentrant_and_released_when_the_writer_returns(workspace: Workspace) -> None:
    lock = WriteLock.for_dir(workspace.state_dir)
    with workspace.writing("analyzing"), workspace.writing("extracting insights"):
        assert lock.held and lock.users == 2
    assert not lock.held and lock.users == 0
