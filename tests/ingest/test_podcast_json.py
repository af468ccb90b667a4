"""Podcasting 2.0 JSON: one word per segment, merged into turns."""

from __future__ import annotations

import copy
import json

import pytest

from assistant.ingest import parse_file
from tests.support.ingest import FORMATS, check_offsets, load_format_fixture, parse_error


def test_word_segments_merge_into_speaker_turns():
    t = parse_file(FORMATS / "podcast-json.json")
    check_offsets(t)
    assert (t.format, t.diarized) == ("podcast-json", True)
    assert [(x.speaker, x.text) for x in t.turns] == [
        ("Host", "Welcome back. Today we talk budgets."),
        ("Guest", "Thanks for having me. Budgets are where every project starts and ends."),
        ("Host", "Why is that?"),
    ]
    assert (t.turns[0].start, t.turns[2].end) == (0.5, 9.4)


def test_without_speakers_words_become_sentences():
    t = parse_file(FORMATS / "podcast-json__no-speakers.json")
    assert (t.diarized, {x.speaker for x in t.turns}) == (False, {"Unattributed"})
    assert [x.text for x in t.turns][-1] == "Why is that?"


BAD = [
    (
        lambda d: d["segments"][0].update(startTime="0.5"),
        "segments[0].startTime: expected a number",
    ),
    (lambda d: d["segments"][3].pop("body"), "segments[3].body: expected text, got nothing"),
    (lambda d: d["segments"][1].update(speaker=7), "segments[1].speaker: expected text"),
    (
        lambda d: d.update(segments=[{"body": "", "startTime": 1}]),
        "segments: no segment has a body",
    ),
]


@pytest.mark.parametrize(("change", "reason"), BAD, ids=[r for _c, r in BAD])
def test_bad_input_gives_one_line(write, change, reason):
    data = copy.deepcopy(load_format_fixture("podcast-json.json"))
    change(data)
    assert reason in parse_error(write("bad.json", json.dumps(data)))
