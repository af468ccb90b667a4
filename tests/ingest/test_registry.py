"""The format registry: choosing by content, forcing, fallbacks and warnings."""

from __future__ import annotations

import pytest

from assistant.errors import ParseError, UsageError
from assistant.ingest import parse_file
from assistant.ingest.base import TEXT_FILES, Format, Input, NotThisFormat, ParsedText
from assistant.ingest.registry import NOTES_WARNING, REGISTRY, get, names, read
from assistant.models import RawTurn

DIALOGUE = "Interviewer: Why did you buy?\nDana: The close took nine days.\n" * 2


def test_every_format_is_complete_and_uniquely_named() -> None:
    assert len(set(names())) == len(REGISTRY)
    for fmt in REGISTRY:
        assert fmt.extensions and fmt.summary
        assert len(fmt.example.split("\n")) == 2, fmt.name


def test_unknown_format_name_lists_the_formats() -> None:
    with pytest.raises(UsageError, match="unknown format 'zoom' \\(formats: persona-json, "):
        get("zoom")


def test_text_without_labels_becomes_notes_with_a_warning(write) -> None:
    t = parse_file(write("call.md", "# Call\n\nThey close books in nine days.\n"))
    assert (t.format, t.verbatim) == ("notes", False)
    assert t.warnings == [NOTES_WARNING]


def test_detected_format_has_no_warning(write) -> None:
    t = parse_file(write("call.txt", DIALOGUE))
    assert (t.format, t.verbatim, t.diarized, t.warnings) == ("labelled", True, True, [])


def test_forced_format_skips_detection(write) -> None:
    path = write("call.txt", DIALOGUE)
    t = parse_file(path, format="notes")
    assert (t.format, t.verbatim, t.warnings) == ("notes", False, [])
    prose = write("prose.txt", "We talked about invoices.\nThey close in nine days.\n")
    with pytest.raises(ParseError, match="not readable as labelled: too few recurring"):
        parse_file(prose, format="labelled")


def test_json_of_no_known_layout_names_what_was_tried(write) -> None:
    with pytest.raises(ParseError, match=r"not a \.json layout we know \(tried: persona-json"):
        parse_file(write("x.json", '{"hello": 1}'))


def test_handover_to_next_format_when_full_reading_says_no(monkeypatch) -> None:
    def refuse(inp: Input) -> ParsedText:
        raise NotThisFormat("only the head looked right")

    def accept(inp: Input) -> ParsedText:
        return ParsedText(turns=[RawTurn(speaker="A", text="hi")])

    first = Format("first", TEXT_FILES, "s", "a\nb", lambda inp: 0.9, refuse)
    second = Format("second", TEXT_FILES, "s", "a\nb", lambda inp: 0.7, accept)
    monkeypatch.setattr("assistant.ingest.registry.REGISTRY", (first, second))
    fmt, parsed = read(Input("x.txt", ".txt", "anything"))
    assert fmt.name == "second"
    assert parsed.warnings == ["not read as first: only the head looked right"]


def test_a_tie_is_read_by_the_first_listed_with_a_warning(monkeypatch) -> None:
    def accept(inp: Input) -> ParsedText:
        return ParsedText(turns=[RawTurn(speaker="A", text="hi")])

    first = Format("first", TEXT_FILES, "s", "a\nb", lambda inp: 0.6, accept)
    second = Format("second", TEXT_FILES, "s", "a\nb", lambda inp: 0.6, accept)
    monkeypatch.setattr("assistant.ingest.registry.REGISTRY", (first, second))
    fmt, parsed = read(Input("x.txt", ".txt", "anything"))
    assert fmt.name == "first"
    assert parsed.warnings == ["also looks like second: read as first — use --format to choose"]


def test_persona_formats_lists_every_format_with_its_example() -> None:
    from tests.support.cli import run_cli

    listed = run_cli("formats", "--json")
    assert listed.code == 0
    assert [f["name"] for f in listed.json()] == names()
    otter = next(f for f in listed.json() if f["name"] == "otter")
    assert otter["example"] == get("otter").example and ".md" in otter["extensions"]
    text = run_cli("formats")
    assert text.code == 0 and "  | Speaker 1  0:03" in text.stdout
