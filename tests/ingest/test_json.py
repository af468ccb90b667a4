"""JSON transcripts: a list of turns or {"turns", "meta"}."""

from __future__ import annotations

import json

import pytest

from assistant.errors import MetadataError, ParseError
from assistant.ingest import parse_file
from assistant.models import SpeakerRole
from tests.support.ingest import check_offsets

TURNS = [
    {"speaker": "Host", "text": "How do you forecast cash?", "start": 0, "end": 3.5},
    {"speaker": "Lena", "text": "In a spreadsheet.", "start": 4},
    {"speaker": "Lena", "text": "Weekly.", "extra": "ignored"},
]


def test_list_schema(write):
    t = parse_file(write("rec.json", json.dumps(TURNS)))
    assert t.format == "persona-json"
    assert [(x.speaker, x.start, x.end) for x in t.turns] == [
        ("Host", 0.0, 3.5),
        ("Lena", 4.0, None),
        ("Lena", None, None),
    ]
    assert t.turns[0].role is SpeakerRole.interviewer
    check_offsets(t)


def test_object_schema_with_meta(write):
    doc = {"turns": TURNS, "meta": {"title": "Cash call", "interviewer": "Lena", "tags": ["q3"]}}
    t = parse_file(write("rec.json", json.dumps(doc)))
    assert t.title == "Cash call"
    assert t.meta.tags == ["q3"]
    assert t.role_method == "metadata"
    assert t.turns[1].role is SpeakerRole.interviewer


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ('{"turns": [', "invalid JSON at line 1"),
        ('"hello"', "not a .json layout we know (tried: persona-json"),
        ('{"items": []}', "not a .json layout we know (tried: persona-json"),
        ('{"turns": [], "people": 1}', "unknown top-level key 'people'"),
        ('[{"text": "hi"}]', "[0].speaker: expected a non-empty string"),
        ('[{"speaker": "A", "text": 3}]', "[0].text: expected a string"),
        ('[{"speaker": "A", "text": "x", "start": "soon"}]', "[0].start: expected a number"),
        ('[{"speaker": "A", "text": "x", "start": -1}]', "[0].start: expected a number"),
        ("[1]", "[0]: got a number"),
        ('[{"speaker": "A", "text": "  "}]', "no turns with text"),
        ("[]", "no turns with text"),
    ],
)
def test_invalid_shapes(write, payload, reason):
    with pytest.raises(ParseError) as err:
        parse_file(write("bad.json", payload))
    assert reason in err.value.reason


def test_bad_meta_names_the_field(write):
    doc = {"turns": TURNS, "meta": {"participants": [{"name": "Lena", "dmu_role": "boss"}]}}
    with pytest.raises(MetadataError) as err:
        parse_file(write("bad.json", json.dumps(doc)))
    assert "meta.participants.0.dmu_role: expected one of champion" in err.value.reason
