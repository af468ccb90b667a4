"""PII redaction before any LLM call (``[privacy] redact = true`` by default).

:class:`Redactor` replaces PII and known names with stable placeholders in
what is sent and maps answers back; :func:`workspace_redactor` builds one from
the workspace's metadata. `persona preview TASK ID` prints exactly what would
be sent (:mod:`assistant.privacy.preview`).
"""

from __future__ import annotations

import sqlite3

from assistant.privacy.patterns import Span, find_pii
from assistant.privacy.redactor import PLACEHOLDER, Redacted, Redactor, names_from_metadata

__all__ = ["PLACEHOLDER", "Redacted", "Redactor", "Span", "find_pii", "workspace_redactor"]


def workspace_redactor(conn: sqlite3.Connection) -> Redactor:
    """A redactor that knows every participant, interviewer, speaker and company name."""
    speakers: dict[str, list[str]] = {}
    for r in conn.execute("SELECT DISTINCT interview_id, speaker FROM turns"):
        speakers.setdefault(r[0], []).append(r[1])
    rows = [
        (r[1], speakers.get(r[0], []))
        for r in conn.execute("SELECT id, meta_json FROM interviews ORDER BY id")
    ]
    people, companies = names_from_metadata(rows)
    return Redactor(people=people, companies=companies)
