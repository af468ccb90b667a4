"""Diarizer labels (``SPEAKER_00``, ``spk_0``) and timed lines."""

from __future__ import annotations

from assistant.ingest import parse_file
from tests.support.ingest import assert_clean, check_offsets, format_fixture


def test_speaker_labels_even_for_one_who_speaks_once() -> None:
    t = parse_file(format_fixture("diarized.txt"))
    assert t.format == "diarized"
    assert [x.speaker for x in t.turns] == ["SPEAKER_00", "SPEAKER_01"] * 2 + ["SPEAKER_02"]
    assert t.turns[3].text == "No, each office has its own. That causes duplicates."
    check_offsets(t)


def test_spk_labels() -> None:
    t = parse_file(format_fixture("diarized__spk.txt"))
    assert t.format == "diarized"
    assert [x.speaker for x in t.turns] == ["spk_0", "spk_1"] * 2


def test_bracketed_labels_with_times(write) -> None:
    text = (
        "[00:00:01] [Speaker_1] Hello.\n[00:00:04] [Speaker_2] Hi.\n[00:00:08] [Speaker_1] Ready?\n"
    )
    t = parse_file(write("x.txt", text))
    assert [(x.speaker, x.start) for x in t.turns] == [
        ("Speaker_1", 1.0),
        ("Speaker_2", 4.0),
        ("Speaker_1", 8.0),
    ]
    assert_clean(t)


def test_time_range_lines_without_cue_numbers() -> None:
    t = parse_file(format_fixture("timed-lines.txt"))
    assert t.format == "timed-lines"
    assert [(x.speaker, x.start) for x in t.turns] == [
        ("speaker_0", 0.069),
        ("speaker_1", 3.5),
        ("speaker_0", 10.1),
    ]
    assert_clean(t)


def test_bare_time_then_name() -> None:
    t = parse_file(format_fixture("timed-lines__named.txt"))
    assert t.format == "timed-lines"
    assert [(x.speaker, x.start) for x in t.turns] == [
        ("Interviewer", 2.0),
        ("Ravi Menon", 7.0),
        ("Interviewer", 75.0),
        ("Ravi Menon", 79.0),
    ]
    assert_clean(t)


def test_bare_times_without_names_are_verbatim_but_unattributed() -> None:
    t = parse_file(format_fixture("timed-lines__unattributed.txt"))
    assert (t.format, t.verbatim, t.diarized) == ("timed-lines", True, False)
    assert {x.speaker for x in t.turns} == {"Unattributed"}
    assert [x.start for x in t.turns] == [0.0, 6.0, 11.0]
    assert_clean(t)


def test_old_teams_ranges_with_the_name_on_the_next_line(write) -> None:
    text = (
        "0:0:0.0 --> 0:0:5.20\nAlice Smith\nHow do you approve invoices?\n\n"
        "0:0:5.20 --> 0:0:9.0\nBob Jones\nBy email.\n\n0:0:9.0 --> 0:0:12.0\nAlice Smith\nWhy?\n"
    )
    t = parse_file(write("teams.txt", text))
    assert t.format == "timed-lines" and t.diarized
    assert [(x.speaker, x.start) for x in t.turns] == [
        ("Alice Smith", 0.0),
        ("Bob Jones", 5.2),
        ("Alice Smith", 9.0),
    ]


def test_bracketed_times_without_names_are_unattributed(write) -> None:
    text = "[00:00:01] so we started\n[00:00:05] with the inbox\n[00:00:09] and then it grew\n"
    t = parse_file(write("x.txt", text))
    assert (t.format, t.diarized) == ("timed-lines", False)
    assert [x.start for x in t.turns] == [1.0, 5.0, 9.0]


def test_bracketed_times_with_names_stay_labelled(write) -> None:
    text = "[00:00:01] Dana: Why?\n[00:00:05] Bo: Cost.\n[00:00:09] Dana: And?\n[00:00:12] Bo: Speed.\n"
    t = parse_file(write("x.txt", text))
    assert t.format == "labelled"
    assert [x.start for x in t.turns] == [1.0, 5.0, 9.0, 12.0]
