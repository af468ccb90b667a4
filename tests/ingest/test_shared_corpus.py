"""Smoke test over the shared real-interview corpus (skipped when absent)."""

from __future__ import annotations

import pytest

from assistant.ingest import parse_file
from assistant.models import SpeakerRole
from tests.support.ingest import check_offsets


@pytest.mark.shared_data
def test_every_shared_transcript_parses(shared_transcripts):
    files = sorted(shared_transcripts.glob("*.md"))
    assert len(files) >= 1000
    failures: list[str] = []
    for path in files:
        t = parse_file(path)
        roles = {label: role for label, role, _ in t.speakers()}
        check_offsets(t)
        if (
            len(roles) < 2
            or roles.get("User") is not SpeakerRole.participant
            or any(
                roles.get(k, SpeakerRole.interviewer) is not SpeakerRole.interviewer
                for k in ("AI", "Assistant")
            )
            or t.format != "labelled"
            or not t.verbatim
        ):
            failures.append(f"{path.name}: {roles}")
    assert failures == []
