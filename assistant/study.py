"""The study context every prompt states: product, who the interviews are with, the decision.

``[study]`` in persona.toml (:class:`~assistant.settings.StudySettings`) is
rendered once into the ``$study`` prompt variable by :func:`study_block`: a few
plain lines, never ``None`` (an unset field is said in words or left out).
:func:`with_study` adds it to a call's prompt variables. The audience also picks
the extraction schema (:func:`assistant.schemas.extraction_model`): b2c and
internal studies are not asked for buying roles or company facts.
"""

from __future__ import annotations

from typing import Any

from assistant.settings import Audience, Settings, StudySettings

AUDIENCE_LINES: dict[str, str] = {
    "b2b": "people at customer companies (B2B); several people and roles take part in a "
    "company's decision to buy",
    "b2c": "consumers (B2C) who buy or use it for themselves; there is no company buying committee",
    "internal": "colleagues inside the organisation (internal users or stakeholders); nobody "
    "is buying",
}
"""Who the participants are, per ``[study] audience``."""


def study_block(study: StudySettings) -> str:
    """The ``$study`` text: product and what it does, participants, the decision served."""
    product = (study.product or "").strip()
    what = (study.description or "").strip()
    if product and what:
        line = f"Product: {product}: {what}"
    elif product:
        line = f"Product: {product}"
    elif what:
        line = f"Product: {what}"
    else:
        line = "Product: not named (refer to it as the product)"
    lines = [line, f"Interviews with: {AUDIENCE_LINES[study.audience]}"]
    decision = (study.decision or "").strip()
    if decision:
        lines.append(f"The research serves this decision: {decision}")
    return "\n".join(lines)


def with_study(variables: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """``variables`` with the ``study`` variable added (from ``settings.study``)."""
    return {**variables, "study": study_block(settings.study)}


def is_b2b(audience: Audience) -> bool:
    """Whether a study has buying roles and company facts to extract."""
    return audience == "b2b"


EXTRACTION_FOCUS: dict[str, str] = {
    "b2b": "- Company facts: firmographics and each tool of their tech stack, as stated.\n"
    "- Buying process: trigger, alternatives, evaluation criteria, stakeholders with their\n"
    "  decision role, timeline, budget signals; null or empty when not said.",
    "b2c": "- Decision: how they came to choose or use it: trigger, alternatives, criteria,\n"
    "  people involved, timeline, money; null or empty when not said.",
    "internal": "- Decision: how they came to use it or work around it: trigger, alternatives,\n"
    "  criteria, people involved, timeline, money; null or empty when not said.",
}
"""The extraction prompt's ``$focus`` lines, per audience (they match its schema)."""
