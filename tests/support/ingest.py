"""Helpers of the tests/ingest/ tests (fixtures in tests/ingest/conftest.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from assistant.models import Transcript
from tests.support.paths import FIXTURES


def check_offsets(transcript: Transcript) -> None:
    """Every turn's text is the slice of the normalised text its offsets name."""
    for turn in transcript.turns:
        assert transcript.text[turn.char_start : turn.char_end] == turn.text


FORMATS = FIXTURES / "formats"
"""Hand-written examples of every layout (fixtures/formats/README.md)."""


def load_format_fixture(name: str) -> Any:
    """The parsed JSON of ``fixtures/formats/NAME`` (tests mutate copies for bad input)."""
    return json.loads((FORMATS / name).read_text(encoding="utf-8"))


def parse_error(path: Path) -> str:
    """The one-line reason ``parse_file`` gives for ``path`` (fails if it parses)."""
    from assistant.errors import ParseError
    from assistant.ingest import parse_file

    with pytest.raises(ParseError) as info:
        parse_file(path)
    reason = info.value.reason
    assert "\n" not in reason
    return reason


_LEFTOVER = re.compile(r"\*\*|\\[\[\]().]|&(?:amp|lt|gt|quot|#\d+|[a-z]+);|-->|^\[?\d{1,2}:\d{2}")


def assert_clean(transcript: Transcript) -> None:
    """No markup, HTML entity, timing or marker is left in any turn's text."""
    for turn in transcript.turns:
        assert not _LEFTOVER.search(turn.text), (turn.speaker, turn.text)


def format_fixture(name: str) -> Path:
    """A file of fixtures/formats/ (one per layout, checked by test_sniff too)."""
    return FORMATS / name
