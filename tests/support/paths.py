"""Where the tests find the repository, its fixtures and the shared corpus."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures"
SAMPLE_TRANSCRIPTS = FIXTURES / "transcripts"
SHARED_DATA = REPO.parent / "shared" / "data" / "anthropic-interviewer" / "transcripts"
