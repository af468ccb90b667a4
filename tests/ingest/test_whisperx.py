"""WhisperX JSON: segments with SPEAKER_NN labels, missing on some segments."""

from __future__ import annotations

import copy
import json

import pytest

from assistant.ingest import parse_file
from assistant.models import SpeakerRole
from tests.support.ingest import FORMATS, check_offsets, load_format_fixture, parse_error


def test_segments_keep_labels_and_unassigned_ones_are_unattributed():
    t = parse_file(FORMATS / "whisperx.json")
    check_offsets(t)
    assert (t.format, t.diarized) == ("whisperx", True)
    assert t.warnings == ["1 of 5 segments have no speaker: shown as Unattributed"]
    assert [(x.speaker, x.role, x.start) for x in t.turns] == [
        ("SPEAKER_00", SpeakerRole.interviewer, 0.03),
        ("SPEAKER_01", SpeakerRole.participant, 3.9),
        ("Unattributed", SpeakerRole.unknown, 9.3),
        ("SPEAKER_00", SpeakerRole.interviewer, 10.2),
        ("SPEAKER_01", SpeakerRole.participant, 13.0),
    ]
    assert t.turns[0].text == "What did you use before us?"  # Whisper's leading space gone


BAD = [
    (
        lambda d: d["segments"][0].update(start="0.03"),
        "segments[0].start: expected a number (seconds), got text",
    ),
    (lambda d: d["segments"][1].pop("text"), "segments[1].text: expected text, got nothing"),
    (lambda d: d.update(segments=[]), "segments: no segment has text"),
]


@pytest.mark.parametrize(("change", "reason"), BAD, ids=[r for _c, r in BAD])
def test_bad_input_gives_one_line(write, change, reason):
    data = copy.deepcopy(load_format_fixture("whisperx.json"))
    change(data)
    assert reason in parse_error(write("bad.json", json.dumps(data)))
