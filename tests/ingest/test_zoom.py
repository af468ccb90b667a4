"""Zoom saved captions (``[Name] 11:02:09``) and web-player copies (``user avatar`` blocks)."""

from __future__ import annotations

from assistant.ingest import parse_file
from tests.support.ingest import assert_clean, check_offsets, format_fixture


def test_saved_captions_merge_repeated_headers_and_keep_clock_times() -> None:
    t = parse_file(format_fixture("zoom-captions.txt"))
    assert t.format == "zoom-captions"
    assert [x.speaker for x in t.turns] == ["Priya Raman", "Marcus Oyelaran"] * 2
    assert t.turns[0].start == 11 * 3600 + 2 * 60 + 9
    assert t.turns[1].text == "Sure. We close four entities. It takes about eight days."
    assert_clean(t)
    check_offsets(t)


def test_saved_captions_12_hour_clock_and_words_on_the_header_line(write) -> None:
    text = "[Ana] 2:05:01 PM Hello there.\n[Bo] 2:05:04 PM Hi.\n[Ana] 2:05:09 PM Ready?\n"
    t = parse_file(write("captions.txt", text))
    first = t.turns[0]
    assert (first.speaker, first.start, first.text) == ("Ana", 14 * 3600 + 301, "Hello there.")
    assert [x.speaker for x in t.turns] == ["Ana", "Bo", "Ana"]


def test_web_player_copy_drops_avatar_lines() -> None:
    t = parse_file(format_fixture("zoom-web.txt"))
    assert t.format == "zoom-web"
    assert [(x.speaker, x.start) for x in t.turns] == [
        ("Lena Fischer", 220.0),
        ("Omar Haddad", 226.0),
        ("Lena Fischer", 242.0),
        ("Omar Haddad", 245.0),
    ]
    assert "avatar" not in t.text
    assert t.turns[1].text == "Our auditor flagged duplicate payments. It was two in one quarter."
    assert_clean(t)


def test_web_copy_without_avatars_with_blank_lines(write) -> None:
    text = "Alice Smith\n00:00:05\n\nWelcome back.\n\nBob Jones\n00:00:09\n\nThanks.\n\nAlice Smith\n00:00:12\n\nWhat changed?\n"
    t = parse_file(write("copy.txt", text))
    assert t.format == "zoom-web"
    assert [(x.speaker, x.start, x.text) for x in t.turns] == [
        ("Alice Smith", 5.0, "Welcome back."),
        ("Bob Jones", 9.0, "Thanks."),
        ("Alice Smith", 12.0, "What changed?"),
    ]
