"""AssemblyAI transcript JSON: utterances with letter speakers and millisecond times."""

from __future__ import annotations

import copy
import json

import pytest

from assistant.ingest import parse_file
from assistant.models import SpeakerRole
from tests.support.ingest import FORMATS, check_offsets, load_format_fixture, parse_error


def test_utterances_become_speaker_turns_in_seconds():
    t = parse_file(FORMATS / "assemblyai.json")
    check_offsets(t)
    assert (t.format, t.verbatim, t.diarized, t.warnings) == ("assemblyai", True, True, [])
    assert [(x.speaker, x.start, x.end) for x in t.turns] == [
        ("Speaker A", 0.32, 4.81),
        ("Speaker B", 5.2, 12.95),
        ("Speaker A", 13.4, 15.12),
        ("Speaker B", 15.6, 22.48),
    ]
    assert t.turns[2].text == "What breaks first at month end?"
    assert t.turns[0].role is SpeakerRole.interviewer


def test_without_speaker_labels_words_are_unattributed(write):
    data = load_format_fixture("assemblyai.json")
    data["utterances"] = None
    data["speaker_labels"] = False
    t = parse_file(write("plain.json", json.dumps(data)))
    assert (t.format, t.diarized) == ("assemblyai", False)
    assert {x.speaker for x in t.turns} == {"Unattributed"}
    assert t.turns[0].text == "Thanks for joining. How does your team approve invoices today?"
    assert t.turns[0].start == 0.32


BAD = [
    (lambda d: d["utterances"][1].update(start="5200"), "utterances[1].start: expected a number"),
    (lambda d: d["utterances"][0].pop("text"), "utterances[0].text: expected text, got nothing"),
    (lambda d: d["utterances"][2].update(speaker=None), "utterances[2].speaker: expected a letter"),
    (lambda d: d.update(utterances=[]), "utterances: no utterance has text"),
    (lambda d: d.update(utterances={"A": "hi"}), "utterances: expected a list, got an object"),
]


@pytest.mark.parametrize(("change", "reason"), BAD, ids=[r for _c, r in BAD])
def test_bad_input_gives_one_line(write, change, reason):
    data = copy.deepcopy(load_format_fixture("assemblyai.json"))
    change(data)
    assert reason in parse_error(write("bad.json", json.dumps(data)))


def test_truncated_file(write):
    text = (FORMATS / "assemblyai.json").read_text()[:500]
    assert parse_error(write("cut.json", text)).startswith("invalid JSON at line")
