"""Every sample interview in fixtures/transcripts/ parses into a sensible transcript."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.ingest import SUPPORTED_EXTENSIONS, parse_file
from assistant.ingest.metadata import find_sidecar
from assistant.models import InterviewMeta, SpeakerRole
from tests.support.ingest import check_offsets
from tests.support.paths import SAMPLE_TRANSCRIPTS


def _samples() -> list[Path]:
    if not SAMPLE_TRANSCRIPTS.is_dir():
        return []
    return sorted(
        p
        for p in SAMPLE_TRANSCRIPTS.iterdir()
        if p.is_file()
        and not p.name.endswith((".meta.yaml", ".meta.yml"))
        and not p.name.lower().startswith("readme")
    )


def _has_metadata(path: Path) -> bool:
    if find_sidecar(path) is not None:
        return True
    if path.suffix in (".txt", ".md"):
        return path.read_text(encoding="utf-8-sig").startswith("---\n")
    if path.suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        return isinstance(data, dict) and bool(data.get("meta"))
    return False


SAMPLES = _samples()


def test_corpus_is_present_and_supported():
    assert len(SAMPLES) >= 8
    assert {p.suffix for p in SAMPLES} <= SUPPORTED_EXTENSIONS


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_sample_parses(path: Path):
    t = parse_file(path)
    check_offsets(t)
    roles = {label: role for label, role, _ in t.speakers()}
    if t.format == "notes":
        assert t.verbatim is False
        assert set(roles) == {"Notes"}
    else:
        assert t.verbatim is True
        speakers = {label for label in roles if label != "Notes"}
        assert len(speakers) >= 2, roles
        assert SpeakerRole.participant in roles.values(), roles
        assert SpeakerRole.interviewer in roles.values(), roles
    if _has_metadata(path):
        assert t.meta != InterviewMeta()
        assert t.title == t.meta.title or t.meta.title is None
        for person in t.meta.participants:
            if person.name in roles:
                assert roles[person.name] is SpeakerRole.participant
        if t.meta.interviewer in roles:
            assert roles[t.meta.interviewer] is SpeakerRole.interviewer


def test_corpus_covers_notes_and_formats():
    formats = {parse_file(p).format for p in SAMPLES}
    assert "notes" in formats
    assert len(formats - {"notes"}) >= 5
