"""Counts in the app read "1 interview", "2 interviews": every count goes through
``assistant.wording.count``, never a count glued before a fixed plural noun."""

from __future__ import annotations

import re
from pathlib import Path

from tui.workers import JobOutcome, analysis_summary, ingest_summary

TUI = Path(__file__).resolve().parents[2] / "tui"

# A placeholder followed by a plural noun the app counts: f"{n} interviews".
FIXED_PLURAL = re.compile(
    r"\{[^{}]+\} (interviews|insights|quotes|themes|personas|claims|accounts|files|turns|"
    r"calls|warnings|items|hits|messages|tags|segments|assumptions|highlights)\b"
)


def test_no_count_before_a_fixed_plural_in_the_app() -> None:
    found = [
        f"{path.relative_to(TUI.parent)}:{n}: {line.strip()}"
        for path in sorted(TUI.rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if FIXED_PLURAL.search(line)
    ]
    assert not found, "use assistant.wording.count:\n" + "\n".join(found)


def test_job_summaries_say_one_in_the_singular() -> None:
    one = JobOutcome(done=1, details={"ingested": 1, "extracted": 1, "insights": 1})
    assert ingest_summary(one).startswith("1 file ingested or current")
    assert analysis_summary(one).startswith("1 interview extracted")
    assert "1 insight," in analysis_summary(one)
    two = JobOutcome(done=2, details={"extracted": 2, "insights": 2})
    assert ingest_summary(two).startswith("2 files ingested")
    assert analysis_summary(two).startswith("2 interviews extracted")
