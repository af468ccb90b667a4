"""Amazon Transcribe JSON: items (times as text) + speaker_labels segments."""

from __future__ import annotations

import copy
import json

import pytest

from assistant.ingest import parse_file
from tests.support.ingest import FORMATS, check_offsets, load_format_fixture, parse_error

EXPECTED = [
    ("spk_0", 0.44, 1.9, "How long did the rollout take?"),
    ("spk_1", 2.6, 4.85, "About six weeks, mostly waiting on IT."),
    ("spk_0", 5.9, 6.9, "And was it worth it?"),
    ("spk_1", 7.4, 9.8, "Yes. We close the books in four days now."),
]


@pytest.mark.parametrize("name", ["aws-transcribe.json", "aws-transcribe__segments-only.json"])
def test_words_and_punctuation_become_speaker_turns(name):
    t = parse_file(FORMATS / name)
    check_offsets(t)
    assert (t.format, t.diarized, t.warnings) == ("aws-transcribe", True, [])
    assert [(x.speaker, x.start, x.end, x.text) for x in t.turns] == EXPECTED


def test_without_speaker_labels_is_unattributed(write):
    data = load_format_fixture("aws-transcribe__segments-only.json")
    del data["results"]["speaker_labels"]
    t = parse_file(write("plain.json", json.dumps(data)))
    assert (t.diarized, {x.speaker for x in t.turns}) == (False, {"Unattributed"})
    assert t.turns[0].text.startswith("How long did the rollout take? About six weeks")


BAD = [
    (
        lambda d: d["results"]["items"][0].update(start_time="soon"),
        "items[0].start_time: expected a number (seconds), got 'soon'",
    ),
    (
        lambda d: d["results"]["items"][1]["alternatives"][0].pop("content"),
        "items[1].alternatives[0].content: expected text",
    ),
    (lambda d: d["results"]["items"][2].update(alternatives=[]), "items[2].alternatives: empty"),
    (lambda d: d["results"].update(items=[]), "results.items: no words"),
    (
        lambda d: d["results"]["speaker_labels"]["segments"][0].pop("speaker_label"),
        "segments[0].speaker_label: expected text",
    ),
]


@pytest.mark.parametrize(("change", "reason"), BAD, ids=[r for _c, r in BAD])
def test_bad_input_gives_one_line(write, change, reason):
    data = copy.deepcopy(load_format_fixture("aws-transcribe.json"))
    change(data)
    assert reason in parse_error(write("bad.json", json.dumps(data)))
