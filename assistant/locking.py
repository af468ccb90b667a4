"""One writer at a time per workspace: the write lock (``.persona/write.lock``).

Every command that writes the workspace (ingest, extract, analyze and its
steps, reindex, setting an interviewer, ``doctor --fix``) takes the lock
(:func:`writes`, :meth:`assistant.workspace.Workspace.writing`) before it reads
what it will change, and holds it until it returns (the operating system
releases it when a process dies, even on SIGKILL). A second writer waits
and says so — "another persona process is ingesting in this workspace (pid
N); waiting…" — or, with ``--no-wait``, fails at once. Readers (search,
review lists, exports, doctor without ``--fix``) never take it: SQLite's WAL
lets them read while a writer writes.

The lock is :class:`filelock.FileLock` (an ``fcntl``/``msvcrt`` lock). Who
holds it is written to ``.persona/writer.json`` (pid and what it is doing) so a
waiting process can name it.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, ParamSpec, TypeVar

from filelock import FileLock, Timeout

from assistant.errors import UsageError

LOCK_FILE = "write.lock"
HOLDER_FILE = "writer.json"
WAIT_POLL_S = 0.2


P = ParamSpec("P")
R = TypeVar("R")


def writes(purpose: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorate a core function whose first argument is the workspace it writes:
    it runs as the workspace's only writer (``purpose``: "ingesting", for waiters)."""

    def wrap(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            ws = args[0] if args else kwargs["ws"]
            with ws.writing(purpose):  # type: ignore[attr-defined]
                return fn(*args, **kwargs)

        return run

    return wrap


class WorkspaceBusyError(UsageError):
    """Another process writes the workspace and ``--no-wait`` was given."""


def _holder(state_dir: Path) -> dict[str, Any]:
    try:
        data = json.loads((state_dir / HOLDER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def describe_holder(state_dir: Path) -> str:
    """``another persona process is ingesting in this workspace (pid N)``."""
    info = _holder(state_dir)
    doing = info.get("purpose") or "writing"
    pid = info.get("pid")
    who = f" (pid {pid})" if pid else ""
    return f"another persona process is {doing} in this workspace{who}"


class WriteLock:
    """The workspace's write lock, held by this process once acquired.

    One instance per workspace folder and process (:meth:`for_dir`): every
    :class:`~assistant.workspace.Workspace` of this process shares it, so a
    process never waits for itself; it is released when the last user lets go.
    """

    _shared: ClassVar[dict[Path, WriteLock]] = {}

    def __init__(self, state_dir: Path) -> None:
        self.state_dir = state_dir
        self._lock = FileLock(str(state_dir / LOCK_FILE), thread_local=False)
        self.purpose: str | None = None
        self.users = 0

    @classmethod
    def for_dir(cls, state_dir: Path) -> WriteLock:
        """This process's lock of the workspace whose state folder is ``state_dir``."""
        key = state_dir.resolve()
        if key not in cls._shared:
            cls._shared[key] = cls(key)
        return cls._shared[key]

    @property
    def held(self) -> bool:
        return bool(self._lock.is_locked)

    def acquire(
        self, purpose: str, *, wait: bool = True, say: Callable[[str], None] | None = None
    ) -> None:
        """Take the lock (no-op when this process holds it); wait or fail when another does."""
        self.users += 1
        if self.held:
            return
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            message = describe_holder(self.state_dir)
            if not wait:
                self.users -= 1
                raise WorkspaceBusyError(
                    f"{message}: try again when it finishes (or drop --no-wait to wait)"
                ) from None
            if say is not None:
                say(f"{message}; waiting…")
            self._lock.acquire(timeout=-1, poll_interval=WAIT_POLL_S)
        self.purpose = purpose
        holder = {"pid": os.getpid(), "purpose": purpose}
        with contextlib.suppress(OSError):
            tmp = self.state_dir / (HOLDER_FILE + ".tmp")
            tmp.write_text(json.dumps(holder), encoding="utf-8")
            os.replace(tmp, self.state_dir / HOLDER_FILE)

    def release(self) -> None:
        """One user lets go; the last one lets the next writer in."""
        self.users = max(0, self.users - 1)
        if self.users == 0 and self.held:
            with contextlib.suppress(OSError):
                (self.state_dir / HOLDER_FILE).unlink()
            self._lock.release(force=True)
        self.purpose = None
