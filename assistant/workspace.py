"""The workspace: one folder that holds everything a user owns.

Layout::

    DIR/persona.toml          configuration (commented template)
    DIR/.persona/persona.db   SQLite: interviews, turns, chunks, runs, drafts
    DIR/.persona/chroma/      Chroma persistent directory (vectors)
    DIR/exports/              what `persona export` writes

A workspace is found like git finds a repository: an explicit ``--workspace``,
else ``PERSONA_WORKSPACE``, else the first folder walking up from the current
one that holds ``.persona/``.
"""

from __future__ import annotations

import os
import sqlite3
import tomllib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant import db
from assistant.errors import UsageError, WorkspaceNotFoundError
from assistant.settings import config_template

STATE_DIR = ".persona"
CONFIG_FILE = "persona.toml"


@dataclass
class Workspace:
    """A workspace folder and lazily opened handles to its stores."""

    root: Path
    _conn: sqlite3.Connection | None = field(default=None, repr=False)
    wait_for_lock: bool = True
    """A second writer waits for the first (False: ``--no-wait``, fail at once)."""

    @property
    def state_dir(self) -> Path:
        return self.root / STATE_DIR

    @property
    def db_path(self) -> Path:
        return self.state_dir / "persona.db"

    @property
    def chroma_dir(self) -> Path:
        return self.state_dir / "chroma"

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_FILE

    @property
    def exports_dir(self) -> Path:
        return self.root / "exports"

    @property
    def conn(self) -> sqlite3.Connection:
        """The database connection (opened and migrated on first use)."""
        if self._conn is None:
            from assistant.llm.runlog import RunLog

            self._conn = db.connect(self.db_path)
            RunLog(self._conn).close_interrupted()  # runs whose process was killed
        return self._conn

    def config_data(self) -> dict[str, Any]:
        """The parsed persona.toml (empty when the file is absent)."""
        if not self.config_path.exists():
            return {}
        try:
            return tomllib.loads(self.config_path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise UsageError(f"{self.config_path}: invalid TOML: {exc}") from exc

    def close(self) -> None:
        """Close the database connection if open, and let go of the write lock."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    @contextmanager
    def writing(self, purpose: str) -> Iterator[None]:
        """Be this workspace's only writer for the block (see :mod:`assistant.locking`).

        ``purpose`` says what we do ("ingesting"), for a process that waits.
        Re-entrant within a process; checks first that the workspace can be
        written at all.
        """
        from assistant.locking import WriteLock

        self.check_writable()

        def say(message: str) -> None:
            import sys

            sys.stderr.write(message + "\n")
            sys.stderr.flush()

        lock = WriteLock.for_dir(self.state_dir)
        lock.acquire(purpose, wait=self.wait_for_lock, say=say)
        try:
            if lock.users == 1:
                from assistant.llm.runlog import RunLog

                RunLog(self.conn).close_interrupted()
            yield
        finally:
            lock.release()

    def check_writable(self) -> None:
        """Raise a clear error when the workspace cannot be written."""
        if not os.access(self.state_dir, os.W_OK) or (
            self.db_path.exists() and not os.access(self.db_path, os.W_OK)
        ):
            raise UsageError(
                f"workspace {self.root} is read-only: check the permissions of {self.state_dir}"
            )


def init_workspace(
    directory: Path, values: Mapping[str, Mapping[str, Any]] | None = None
) -> Workspace:
    """Create (or re-open) a workspace in ``directory``; never overwrites config.

    ``values`` (section -> key -> value, e.g. ``{"study": {...}}``) are written
    into a new persona.toml as set."""
    directory = directory.expanduser().resolve()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        (directory / STATE_DIR).mkdir(exist_ok=True)
        (directory / STATE_DIR / "chroma").mkdir(exist_ok=True)
        config = directory / CONFIG_FILE
        if not config.exists():
            config.write_text(config_template(values), encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot create a workspace in {directory}: {exc.strerror}") from exc
    ws = Workspace(directory)
    _ = ws.conn  # create the database and apply migrations
    return ws


def find_workspace(explicit: Path | None = None, cwd: Path | None = None) -> Workspace:
    """Locate the workspace: explicit path, then PERSONA_WORKSPACE, then walk up."""
    if explicit is None and os.environ.get("PERSONA_WORKSPACE"):
        explicit = Path(os.environ["PERSONA_WORKSPACE"])
    if explicit is not None:
        root = explicit.expanduser().resolve()
        if not (root / STATE_DIR).is_dir():
            raise WorkspaceNotFoundError(
                f"{root} is not a workspace (no {STATE_DIR}/ folder): run `persona init {root}`"
            )
        return Workspace(root)
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / STATE_DIR).is_dir():
            return Workspace(folder)
    raise WorkspaceNotFoundError(
        f"no workspace found in {here} or its parents: run `persona init` here, "
        "or pass --workspace DIR (or set PERSONA_WORKSPACE)"
    )
