"""Errors a user can act on.

Each carries a message that says what failed and what to do next. The CLI
prints the message on one line and exits with ``exit_code`` (no traceback
unless ``--debug``).
"""

from __future__ import annotations


class PersonaError(Exception):
    """Base class for errors reported to the user without a traceback."""

    exit_code = 1


class UsageError(PersonaError):
    """Bad arguments or configuration: exit code 2."""

    exit_code = 2


class WorkspaceNotFoundError(UsageError):
    """No workspace given and none found walking up from the current folder."""


class ParseError(PersonaError):
    """A transcript file could not be read or parsed."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class MetadataError(ParseError):
    """Interview metadata (front matter, sidecar or flags) failed validation."""
