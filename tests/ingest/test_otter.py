"""Otter.ai text exports."""

from __future__ import annotations

from assistant.ingest import parse_file
from assistant.models import SpeakerRole
from tests.ingest.conftest import check_offsets

OTTER = """Speaker 1  0:03
Thanks for making time. How do you handle approvals today?

Jane Doe  0:12
We route invoices by email.
It is slow.

Speaker 1  12:45
What would you change?

Jane Doe  1:02:03
Automatic routing.

Transcribed by https://otter.ai
"""


def test_otter_headers_and_timestamps(write):
    t = parse_file(write("otter.txt", OTTER))
    assert t.format == "otter"
    assert [x.speaker for x in t.turns] == ["Speaker 1", "Jane Doe"] * 2
    assert [x.start for x in t.turns] == [3.0, 12.0, 765.0, 3723.0]
    assert t.turns[1].text == "We route invoices by email. It is slow."
    assert "otter.ai" not in t.text
    assert t.turns[0].role is SpeakerRole.interviewer
    assert t.turns[1].role is SpeakerRole.participant
    assert t.role_method == "questions"
    check_offsets(t)


def test_otter_title_line(write):
    t = parse_file(write("o.txt", "Acme discovery call\n\n" + OTTER))
    assert t.title == "Acme discovery call"
    assert t.turns[0].speaker == "Speaker 1"


def test_single_space_is_not_an_otter_header(write):
    text = "Sam: We met at 10:30\nDana: ok 0:03\nSam: fine?\n"
    assert parse_file(write("x.txt", text)).format == "labelled"
