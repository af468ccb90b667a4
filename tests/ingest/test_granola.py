"""Granola transcripts: ``### You (ISO time)`` headings, ``**Key:** value`` header."""

from __future__ import annotations

from assistant.ingest import parse_file
from tests.support.ingest import assert_clean, check_offsets, format_fixture


def test_granola_headings_are_turns_and_key_lines_metadata() -> None:
    t = parse_file(format_fixture("granola.md"))
    assert t.format == "granola"
    assert [x.speaker for x in t.turns] == ["You", "Guest", "You"]
    assert [x.start for x in t.turns] == [46881.0, 46890.512, 46925.0]  # 13:01:21Z → seconds of day
    assert (
        t.turns[1].text
        == "Honestly, better than the last tool. We cut approval time roughly in half."
    )
    assert "Date" not in {x.speaker for x in t.turns}
    assert any("Date: 2025-09-08" in w for w in t.warnings)
    assert_clean(t)
    check_offsets(t)
