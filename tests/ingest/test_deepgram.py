"""Deepgram JSON: utterances, paragraphs or words; integer speakers; seconds."""

from __future__ import annotations

import copy
import json

import pytest

from assistant.ingest import parse_file
from tests.support.ingest import FORMATS, check_offsets, load_format_fixture, parse_error


def test_utterances_of_one_speaker_merge_into_a_turn():
    t = parse_file(FORMATS / "deepgram.json")
    check_offsets(t)
    assert (t.format, t.diarized, t.warnings) == ("deepgram", True, [])
    assert [(x.speaker, x.start, x.end) for x in t.turns] == [
        ("Speaker 0", 0.24, 3.9),
        ("Speaker 1", 4.3, 14.6),
        ("Speaker 0", 15.1, 17.0),
        ("Speaker 1", 17.4, 21.8),
    ]
    assert t.turns[1].text == (
        "We hired two people and the old process just did not scale. It was all manual entry."
    )


def test_paragraphs_when_there_are_no_utterances():
    t = parse_file(FORMATS / "deepgram__paragraphs.json")
    assert [x.speaker for x in t.turns] == ["Speaker 0", "Speaker 1", "Speaker 0", "Speaker 1"]
    assert t.turns[1].text == "Sure. Setup took one afternoon, and the data import was clean."
    assert (t.turns[1].start, t.turns[1].end) == (3.3, 8.4)


def test_words_without_diarization_are_unattributed(write):
    data = load_format_fixture("deepgram.json")
    del data["results"]["utterances"]
    for w in data["results"]["channels"][0]["alternatives"][0]["words"]:
        del w["speaker"], w["speaker_confidence"]
    t = parse_file(write("nodiarize.json", json.dumps(data)))
    assert (t.diarized, {x.speaker for x in t.turns}) == (False, {"Unattributed"})
    assert t.turns[0].text == "So what made you start looking at new tools?"


BAD = [
    (
        lambda d: d["results"]["utterances"][0].update(start="0.24"),
        "utterances[0].start: expected a number",
    ),
    (
        lambda d: d["results"]["utterances"][1].pop("transcript"),
        "utterances[1].transcript: expected text",
    ),
    (
        lambda d: d["results"]["utterances"][1].update(speaker="1"),
        "utterances[1].speaker: expected a whole number",
    ),
    (lambda d: d["results"].update(utterances=[]), "no text: every utterance"),
    (
        lambda d: d["results"].pop("utterances") and d["results"].update(channels=[]),
        "results.channels: empty",
    ),
]


@pytest.mark.parametrize(("change", "reason"), BAD, ids=[r for _c, r in BAD])
def test_bad_input_gives_one_line(write, change, reason):
    data = copy.deepcopy(load_format_fixture("deepgram.json"))
    change(data)
    assert reason in parse_error(write("bad.json", json.dumps(data)))


def test_truncated_file(write):
    text = (FORMATS / "deepgram.json").read_text()[:700]
    assert parse_error(write("cut.json", text)).startswith("invalid JSON at line")
