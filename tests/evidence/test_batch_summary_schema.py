"""The batch-summary schema is strict-mode compatible and the authored summary fixture fits it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import BaseModel

from assistant.evidence.verify import EvidenceStatus, verify_quote
from assistant.ingest import parse_file
from assistant.llm.schemas import assert_strict_compatible
from assistant.schemas import BATCH_SUMMARY_MODELS, BatchSummary

ROOT = Path(__file__).resolve().parents[2]
ALL_JSON = ROOT / "fixtures" / "authored" / "summarize_interviews" / "all.json"
TRANSCRIPTS = ROOT / "fixtures" / "transcripts"


def _interview_ids() -> set[str]:
    return {
        p.name.split(".", 1)[0] for p in TRANSCRIPTS.iterdir() if not p.name.endswith(".meta.yaml")
    }


def _summary() -> BatchSummary:
    return BatchSummary.model_validate(json.loads(ALL_JSON.read_text(encoding="utf-8")))


@pytest.mark.parametrize("model", BATCH_SUMMARY_MODELS, ids=lambda m: m.__name__)
def test_every_batch_model_is_strict_compatible(model: type[BaseModel]) -> None:
    assert_strict_compatible(model)


@pytest.mark.parametrize("model", BATCH_SUMMARY_MODELS, ids=lambda m: m.__name__)
def test_every_batch_field_has_a_description(model: type[BaseModel]) -> None:
    missing = [name for name, f in model.model_fields.items() if not f.description]
    assert not missing


def test_batch_fields_are_all_required() -> None:
    for model in BATCH_SUMMARY_MODELS:
        optional = [name for name, f in model.model_fields.items() if not f.is_required()]
        assert not optional, f"{model.__name__}: {optional}"


def test_authored_summary_validates() -> None:
    summary = _summary()
    assert summary.top_pains and summary.top_results and summary.top_aha_moments
    assert summary.markdown.startswith("# ")


def test_authored_summary_names_only_known_interviews_once() -> None:
    summary = _summary()
    known = _interview_ids()
    assert len(known) == 12
    groups = [*summary.top_pains, *summary.top_results, *summary.top_aha_moments]
    named = [g.interviews for g in groups] + [d.interviews for d in summary.role_differences]
    for interviews in named:
        assert set(interviews) <= known, interviews
        assert len(set(interviews)) == len(interviews), interviews
    assert {q.interview_id for q in summary.notable_quotes} <= known


def test_authored_summary_quotes_are_verbatim_participant_words() -> None:

    summary = _summary()
    for q in summary.notable_quotes:
        source = next(
            p
            for p in TRANSCRIPTS.iterdir()
            if p.name.split(".", 1)[0] == q.interview_id and not p.name.endswith(".meta.yaml")
        )
        result = verify_quote(parse_file(source), q.quote)
        assert result.status is EvidenceStatus.verified, (q.interview_id, q.quote, result.reason)
        assert result.speaker == q.speaker
