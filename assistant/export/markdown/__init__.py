"""Markdown export: persona cards, the ICP one-pager, messaging, themes, interview pages
(summary, insights, buying process, company facts) and the evidence appendix (with
every quote that was not verified, and why).

Every claim is a bullet with its status badge (supported, or **ASSUMPTION**
when no verified quote backs it), its support (distinct interviews and
accounts) and footnotes pointing at its quotes in ``evidence.md``. Rejected
items are left out of the Markdown (they stay in the JSON and CSV).

Modules: ``parts`` (footnotes, claim lines, item headers), ``cards`` (persona
cards, messaging, themes), ``icp`` (the ICP one-pager), ``evidence`` (the
appendix), ``interviews`` (one page per interview) and ``render`` (the index
and :func:`render_markdown`). The public names are re-exported here.
"""

from __future__ import annotations

from assistant.export.badges import EVIDENCE_MARKS
from assistant.export.markdown.cards import messaging_doc, messaging_names, persona_card, themes_doc
from assistant.export.markdown.evidence import evidence_doc, unverified_quotes
from assistant.export.markdown.icp import icp_criteria, icp_doc
from assistant.export.markdown.interviews import interview_doc
from assistant.export.markdown.parts import (
    CRITERIA_GROUPS,
    DRAFT_NOTE,
    ICP_GROUPS,
    STATUS_NOTE,
    Footnotes,
    claim_line,
    field_key,
    field_lines,
    field_title,
    item_header,
    slug,
)
from assistant.export.markdown.render import index_doc, render_markdown

__all__ = [
    "CRITERIA_GROUPS",
    "DRAFT_NOTE",
    "EVIDENCE_MARKS",
    "ICP_GROUPS",
    "STATUS_NOTE",
    "Footnotes",
    "claim_line",
    "evidence_doc",
    "field_key",
    "field_lines",
    "field_title",
    "icp_criteria",
    "icp_doc",
    "index_doc",
    "interview_doc",
    "item_header",
    "messaging_doc",
    "messaging_names",
    "persona_card",
    "render_markdown",
    "slug",
    "themes_doc",
    "unverified_quotes",
]
