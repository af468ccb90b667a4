"""The ICP draft: model-written claims beside code-computed statistics and caveats.

:mod:`assistant.icp_stats` computes the distribution, value weighting, lift and
caveats; this module gives it ``named_reasons`` (the statements and verified
quotes of trigger, requirement and goal insights), asks the model
(``draft_icp``) for the four groups, disqualifiers and neighbourhoods citing
insight and company-fact ids, and counts with code how many interviewed
accounts fit the draft's firmographic and tech-stack criteria. The review item
is ``kind="icp"``, key ``icp``; the criteria are kept in ``workspace_meta`` so
:func:`icp_report` can show the fit again without a model call.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from assistant import db
from assistant.extract import list_insights
from assistant.generate.common import (
    EvidenceIndex,
    insight_line,
    interview_infos,
    run_jobs,
    store_item,
)
from assistant.generate.personas import theme_items, theme_members
from assistant.icp_stats import Caveat, IcpFit, IcpStatistics, compute_icp_statistics
from assistant.progress import ProgressFn
from assistant.review import ClaimDraft, ReviewItem, get_item
from assistant.schemas import ICP_CLAIM_FIELDS, IcpDraft
from assistant.settings import Settings
from assistant.workspace import Workspace

TASK = "draft_icp"
KEY = "icp"
FIELDS = ICP_CLAIM_FIELDS
REASON_KINDS = ("trigger", "requirement", "goal")
PROMPT_KINDS = (*REASON_KINDS, "pain", "objection", "alternative", "channel", "result")
CRITERIA_META = "generate.icp.criteria"


def named_reasons(ws: Workspace) -> set[str]:
    """Statements and verified quotes of trigger, requirement and goal insights."""
    out: set[str] = set()
    for ins in list_insights(ws):
        if ins.kind in REASON_KINDS:
            out.add(ins.statement)
            out.update(e["quote"] for e in ins.evidence if e["status"] == "verified")
    return out


def statistics(ws: Workspace) -> IcpStatistics:
    """The ICP statistics with the named-reasons check made."""
    return compute_icp_statistics(ws, named_reasons(ws))


def icp_variables(ws: Workspace, stats: IcpStatistics) -> dict[str, str]:
    """The ``draft_icp`` prompt variables."""
    index = EvidenceIndex.load(ws)
    infos = interview_infos(ws)
    facts = []
    for ref, f in index.facts.items():
        verified = any(e["status"] == "verified" for e in f["evidence"])
        account = infos[f["interview_id"]].account if f["interview_id"] in infos else None
        facts.append(
            f"- {ref} [{f['fact_group']}] {f['attribute']}: {f['value']} ({account or 'unknown'})"
            + ("" if verified else " (no verified quote)")
        )
    insights = [
        insight_line(i)
        + f" ({infos[i.interview_id].account if i.interview_id in infos else '?'}, {i.dmu_role})"
        for i in index.insights.values()
        if i.kind in PROMPT_KINDS
    ]
    themes = [
        f"- {t.title} ({t.key.split(':')[1]}): {', '.join(theme_members(t))}"
        for t in theme_items(ws)
    ]
    caveats = "\n".join(f"- [{c.severity}] {c.message}" for c in stats.caveats)
    return {
        "statistics": stats.to_markdown() + "\n\nCaveats:\n" + caveats,
        "facts": "\n".join(facts) or "(none)",
        "insights": "\n".join(insights) or "(none)",
        "themes": "\n".join(themes) or "(none)",
    }


def _criteria(draft: IcpDraft) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for c in draft.fit_criteria:
        out.setdefault(c.attribute.value, []).extend(c.values)
    return out


def stored_criteria(ws: Workspace) -> dict[str, list[str]] | None:
    raw = db.get_meta(ws.conn, CRITERIA_META)
    return None if raw is None else dict(json.loads(raw))


@dataclass
class IcpOutcome:
    """The stored ICP draft with its code-computed statistics, caveats and fit."""

    item: ReviewItem
    action: str
    statistics: IcpStatistics
    criteria: dict[str, list[str]]
    fit: IcpFit
    unknown_ids: list[str]

    @property
    def caveats(self) -> list[Caveat]:
        return [*self.statistics.caveats, self.fit.caveat()]

    @property
    def fit_text(self) -> str:
        return f"{len(self.fit.fitting)} of {self.fit.total} interviewed accounts fit"

    def to_json(self) -> dict[str, Any]:
        return {
            "key": KEY,
            "item_id": self.item.id,
            "title": self.item.title,
            "status": self.item.status,
            "action": self.action,
            "fields": {f: [c.to_json() for c in cs] for f, cs in self.item.fields.items()},
            "criteria": self.criteria,
            "fit": {**self.fit.model_dump(), "text": self.fit_text},
            "caveats": [c.model_dump() for c in self.caveats],
            "statistics": self.statistics.model_dump(mode="json"),
            "statistics_markdown": self.statistics.to_markdown(),
            "unknown_ids": self.unknown_ids,
        }


def generate_icp(
    ws: Workspace,
    settings: Settings,
    *,
    budget_usd: float | None = None,
    progress: ProgressFn | None = None,
) -> IcpOutcome:
    """Draft the ICP (one LLM call), store it as review item ``icp``, compute fit and caveats."""
    stats = statistics(ws)
    if progress:
        progress(0, 1, TASK)
    (draft,), provenance, _ = run_jobs(
        ws, settings, TASK, [icp_variables(ws, stats)], IcpDraft, budget_usd=budget_usd
    )
    index = EvidenceIndex.load(ws)
    unknown: list[str] = []
    fields: dict[str, list[ClaimDraft]] = {"summary": [ClaimDraft(text=draft.summary)]}
    fields.update({f: index.claims(getattr(draft, f), unknown) for f in FIELDS})
    item, action = store_item(ws, "icp", KEY, "Ideal customer profile", fields, provenance)
    criteria = _criteria(draft)
    db.set_meta(ws.conn, CRITERIA_META, json.dumps(criteria, sort_keys=True))
    if progress:
        progress(1, 1, TASK)
    return IcpOutcome(item, action, stats, criteria, stats.fit(criteria), sorted(set(unknown)))


def icp_report(ws: Workspace) -> IcpOutcome | None:
    """The stored ICP item with fresh statistics, caveats and fit (no model call)."""
    criteria = stored_criteria(ws)
    if criteria is None:
        return None
    stats = statistics(ws)
    return IcpOutcome(get_item(ws, KEY), "unchanged", stats, criteria, stats.fit(criteria), [])
