"""Transcript parsers: every supported file becomes one :class:`~assistant.models.Transcript`.

``parse_file`` and ``read_input`` live in :mod:`assistant.ingest.files`, the
format registry in :mod:`assistant.ingest.registry`, one module per layout.
The names below are loaded on first use, so that importing one helper module
(``assistant.ingest.roles`` for the speaker list, say) does not load every
format and python-docx: `persona search` starts faster.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.ingest.files import SUPPORTED_EXTENSIONS, parse_file, read_input
    from assistant.ingest.roles import assign_roles

__all__ = ["SUPPORTED_EXTENSIONS", "assign_roles", "parse_file", "read_input"]


def __getattr__(name: str) -> Any:
    if name == "assign_roles":
        from assistant.ingest import roles

        return roles.assign_roles
    if name in __all__:
        from assistant.ingest import files

        return getattr(files, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
