"""Table-driven detection: every file in fixtures/formats/ is its own format and no other.

A fixture named ``FORMAT.EXT`` or ``FORMAT__VARIANT.EXT`` must score highest
for ``FORMAT`` (strictly above every other format) and parse as ``FORMAT``.
``notes`` fixtures must score below the threshold for every format.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ingest import SUPPORTED_EXTENSIONS, parse_file, read_input
from assistant.ingest.registry import MIN_SCORE, names, scores
from tests.support.paths import FIXTURES

FORMAT_FIXTURES = sorted(
    p
    for p in (FIXTURES / "formats").iterdir()
    if p.suffix.lower() in SUPPORTED_EXTENSIONS and p.name != "README.md"
)


def _expected(path: Path) -> str:
    return path.stem.split("__")[0]


def test_every_fixture_names_a_registered_format() -> None:
    assert FORMAT_FIXTURES
    unknown = {p.name for p in FORMAT_FIXTURES if _expected(p) not in names()}
    assert unknown == set()


@pytest.mark.parametrize("path", FORMAT_FIXTURES, ids=lambda p: p.name)
def test_fixture_is_detected_as_its_own_format_only(path: Path) -> None:
    expected = _expected(path)
    inp, _front = read_input(path)
    scored = scores(inp)
    if expected == "notes":
        assert all(score < MIN_SCORE for _fmt, score in scored), scored
    else:
        (best, top), *rest = scored
        assert best.name == expected, [(f.name, s) for f, s in scored]
        assert top >= MIN_SCORE
        assert all(score < top for _fmt, score in rest), [(f.name, s) for f, s in scored]
    assert parse_file(path).format == expected
