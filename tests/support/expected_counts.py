"""Recount fixtures/authored/expected_counts.json from the authored extractions.

For each sample transcript it parses the file with ``assistant.ingest.parse_file``,
walks every ``{"quote", "speaker"}`` object of the authored extraction
(insights, company facts, buying process, stakeholders: per occurrence) and
runs ``assistant.evidence.verify_quote`` with default options. It also checks
what the README promises: every good quote of a verbatim interview verifies,
is 6-40 words and names a speaker label of the transcript; every quote of the
notes file is ``note``; every bad quote (the last insight of each file named in
extract_interview/BAD_ITEMS.md) comes back ``unverified``.

    python -m tests.support.expected_counts          # rewrite the file
    python -m tests.support.expected_counts --check  # exit 1 if it differs
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from assistant.evidence import EvidenceStatus, TranscriptIndex, verify_quote
from assistant.ingest import parse_file
from tests.support.paths import FIXTURES, SAMPLE_TRANSCRIPTS

AUTHORED = FIXTURES / "authored"
TARGET = AUTHORED / "expected_counts.json"


def _quotes(node: Any) -> Iterator[dict[str, Any]]:
    """Every object with a ``quote`` key under ``node``, depth first, in file order."""
    if isinstance(node, dict):
        if isinstance(node.get("quote"), str):
            yield node
        for value in node.values():
            yield from _quotes(value)
    elif isinstance(node, list):
        for item in node:
            yield from _quotes(item)


def bad_files() -> set[str]:
    """Stems of the files whose last insight carries a deliberately bad quote."""
    text = (AUTHORED / "extract_interview" / "BAD_ITEMS.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\| `([a-z0-9-]+)\.json` \|", text, flags=re.MULTILINE))


def _transcript_path(stem: str) -> Path:
    (path,) = [
        p
        for p in SAMPLE_TRANSCRIPTS.iterdir()
        if p.name.split(".")[0] == stem and not p.name.endswith((".meta.yaml", ".meta.yml"))
    ]
    return path


def count(stem: str, bad: bool) -> dict[str, Any]:
    """The expected_counts.json entry of one interview (raises on a broken promise)."""
    analysis = json.loads((AUTHORED / "extract_interview" / f"{stem}.json").read_text("utf-8"))
    transcript = parse_file(_transcript_path(stem))
    index = TranscriptIndex(transcript)
    labels = {turn.speaker for turn in transcript.turns}
    bad_quotes = [q["quote"] for q in _quotes(analysis["insights"][-1])] if bad else []
    statuses = {status.value: 0 for status in EvidenceStatus}
    for item in _quotes(analysis):
        quote = item["quote"]
        status = verify_quote(index, quote).status
        statuses[status.value] += 1
        where = f"{stem}: {quote[:50]!r}"
        if quote in bad_quotes:
            assert status == EvidenceStatus.unverified, f"{where}: a bad quote came back {status}"
            continue
        expected = EvidenceStatus.verified if transcript.verbatim else EvidenceStatus.note
        assert status == expected, f"{where}: {status}, expected {expected}"
        assert 6 <= len(quote.split()) <= 40, f"{where}: not 6-40 words"
        assert item.get("speaker") in labels, f"{where}: speaker {item.get('speaker')!r}"
    return {
        "insights": len(analysis["insights"]),
        "quotes": sum(1 for _ in _quotes(analysis)),
        "insight_quotes": sum(1 for _ in _quotes(analysis["insights"])),
        "bad_quotes": len(bad_quotes),
        "notes": not transcript.verbatim,
        **{s.value: statuses[s.value] for s in EvidenceStatus},
    }


def expected_counts() -> dict[str, dict[str, Any]]:
    """Every sample interview's entry, by stem."""
    bad = bad_files()
    stems = sorted(p.stem for p in (AUTHORED / "extract_interview").glob("*.json"))
    return {stem: count(stem, stem in bad) for stem in stems}


def render(counts: dict[str, dict[str, Any]]) -> str:
    """The file's exact text."""
    return json.dumps(counts, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    text = render(expected_counts())
    if "--check" in argv:
        same = TARGET.read_text(encoding="utf-8") == text
        print("expected_counts.json is up to date" if same else "expected_counts.json differs")
        return 0 if same else 1
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
