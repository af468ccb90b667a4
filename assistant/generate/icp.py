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
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from assistant import db
from assistant.extract import list_insights
from assistant.generate.common import (
    EvidenceIndex,
    insight_line,
    interview_infos,
    keep_warnings,
    prompt_path,
    run_jobs,
    store_item,
)
from assistant.generate.personas import theme_items, theme_members
from assistant.generate.prompt_budget import (
    PER_THEME,
    Fitted,
    account_of,
    fit,
    rank_insights,
    theme_line_members,
)
from assistant.icp_stats import Caveat, IcpFit, IcpStatistics, compute_icp_statistics
from assistant.llm.echo import choices_text, match_choice
from assistant.llm.runlog import RunWarning, step_warnings
from assistant.llm.task_results import Checked
from assistant.locking import writes
from assistant.models import EvidenceStatus
from assistant.progress import ProgressFn
from assistant.review import ClaimDraft, ReviewItem, get_item
from assistant.schemas import ICP_CLAIM_FIELDS, IcpDraft
from assistant.settings import Settings
from assistant.study import study_block
from assistant.wording import count
from assistant.workspace import Workspace

TASK = "draft_icp"
KEY = "icp"
FIELDS = ICP_CLAIM_FIELDS
REASON_KINDS = ("trigger", "requirement", "goal")
PROMPT_KINDS = (*REASON_KINDS, "pain", "objection", "alternative", "channel", "result")
CRITERIA_META = "generate.icp.criteria"
MAX_TABLE_ROWS = 40
"""Rows per statistics table (and caveats) in the prompt; the rest are counted."""


def named_reasons(ws: Workspace) -> set[str]:
    """Statements and verified quotes of trigger, requirement and goal insights."""
    out: set[str] = set()
    for ins in list_insights(ws):
        if ins.kind in REASON_KINDS:
            out.add(ins.statement)
            out.update(e["quote"] for e in ins.evidence if e["status"] == EvidenceStatus.verified)
    return out


def statistics(ws: Workspace) -> IcpStatistics:
    """The ICP statistics with the named-reasons check made."""
    return compute_icp_statistics(ws, named_reasons(ws))


def icp_variables(ws: Workspace, stats: IcpStatistics, settings: Settings | None = None) -> Fitted:
    """The ``draft_icp`` prompt variables, within ``[llm] max_prompt_tokens``.

    Statistics and caveats are code-computed (tables capped at
    :data:`MAX_TABLE_ROWS` rows); insights and company facts are ranked
    (capped per theme, spread across accounts) and listed as far as the budget
    allows, two insights for each fact.
    """
    max_tokens = (settings or Settings()).llm.max_prompt_tokens
    index = EvidenceIndex.load(ws)
    infos = interview_infos(ws)
    account = account_of(infos)
    fact_lines: dict[str, str] = {}
    verified_facts: list[str] = []
    for ref, f in index.facts.items():
        verified = any(e["status"] == EvidenceStatus.verified for e in f["evidence"])
        name = infos[f["interview_id"]].account if f["interview_id"] in infos else None
        fact_lines[ref] = (
            f"- {ref} [{f['fact_group']}] {f['attribute']}: {f['value']} ({name or 'unknown'})"
            + ("" if verified else " (no verified quote)")
        )
        if verified:
            verified_facts.append(ref)
    facts_ranked = _spread_facts(index, verified_facts, account) + [
        r for r in _spread_facts(index, list(index.facts), account) if r not in verified_facts
    ]
    candidates = [i for i in index.insights.values() if i.kind in PROMPT_KINDS]
    themes = theme_items(ws)
    members = {t.key: theme_members(t) for t in themes}
    ranked = rank_insights(candidates, list(members.values()), account)
    items: list[tuple[str, str]] = []  # ("i" | "f", id), two insights per fact
    fi = 0
    for n, ins in enumerate(ranked):
        items.append(("i", ins.id))
        if n % 2 == 1 and fi < len(facts_ranked):
            items.append(("f", facts_ranked[fi]))
            fi += 1
    items += [("f", r) for r in facts_ranked[fi:]]
    caveat_lines = [f"- [{c.severity}] {c.message}" for c in stats.caveats]
    if len(caveat_lines) > MAX_TABLE_ROWS:
        more = len(caveat_lines) - MAX_TABLE_ROWS
        caveat_lines = [*caveat_lines[:MAX_TABLE_ROWS], f"- … {more} more caveats"]
    statistics = stats.to_markdown(MAX_TABLE_ROWS) + "\n\nCaveats:\n" + "\n".join(caveat_lines)

    def build(k: int) -> dict[str, str]:
        chosen = items[:k]
        listed = {ref for kind, ref in chosen if kind == "i"}
        facts = {ref for kind, ref in chosen if kind == "f"}
        insight_lines = [
            insight_line(i)
            + f" ({infos[i.interview_id].account if i.interview_id in infos else 'account unknown'}"
            + f", {i.dmu_role or 'role unknown'})"
            for i in index.insights.values()
            if i.id in listed
        ]
        # every theme when everything fits; else only themes with a listed insight (themes
        # grow with the corpus, the prompt must not)
        shown = themes if k >= len(items) else [t for t in themes if listed & set(members[t.key])]
        theme_lines = [
            f"- {t.title} ({t.key.split(':')[1]}): "
            + theme_line_members(members[t.key], listed | _other_kinds(members[t.key], index))
            for t in shown
        ]
        if len(shown) < len(themes):
            theme_lines.append(
                f"- ({len(themes) - len(shown)} more themes, none of their insights listed "
                "for length)"
            )
        return {
            "study": study_block((settings or Settings()).study),
            "statistics": statistics,
            "facts": "\n".join(line for ref, line in fact_lines.items() if ref in facts)
            or "(none)",
            "insights": "\n".join(insight_lines) or "(none)",
            "themes": "\n".join(theme_lines) or "(none)",
        }

    fitted = fit(TASK, prompt_path(TASK), len(items), build, max_tokens, IcpDraft, "items")
    left = len(candidates) - len(ranked)
    if left:
        fitted.notes.append(
            f"{TASK}: {left} of {count(len(candidates), 'insight')} left out beyond {PER_THEME} per theme"
        )
    return fitted


def _other_kinds(ids: list[str], index: EvidenceIndex) -> set[str]:
    """Member ids of kinds the ICP prompt does not list as insights (shown by id, capped)."""
    other = [i for i in ids if i in index.insights and index.insights[i].kind not in PROMPT_KINDS]
    return set(other[:PER_THEME])


def _spread_facts(
    index: EvidenceIndex, refs: list[str], account: Callable[[str], str]
) -> list[str]:
    """Fact ids round-robin across accounts, in stored order within each."""
    queues: dict[str, list[str]] = {}
    for ref in refs:
        queues.setdefault(account(index.facts[ref]["interview_id"]), []).append(ref)
    lists = list(queues.values())
    out: list[str] = []
    while lists:
        out += [q.pop(0) for q in lists]
        lists = [q for q in lists if q]
    return out


def criteria_check(stats: IcpStatistics) -> Callable[[IcpDraft], Checked[IcpDraft]]:
    """A job check: every fit-criterion value is a value of the statistics tables.

    A value written a little differently is repaired to the table's value; a
    value the tables do not hold (it would fit no account) is a problem.
    """

    def check(draft: IcpDraft) -> Checked[IcpDraft]:
        repairs: list[str] = []
        unknown: list[str] = []
        allowed: dict[str, list[str]] = {}
        for s in stats.attributes:
            allowed.setdefault(s.attribute, []).append(s.value)
        criteria = []
        for c in draft.fit_criteria:
            choices = allowed.get(c.attribute.value, [])
            values = []
            for v in c.values:
                found = match_choice(v, choices)
                if found is None and not any(v.casefold() == x.casefold() for x in choices):
                    unknown.append(f'{c.attribute.value} "{v}"')
                    values.append(v)
                    continue
                if found is not None and found.repaired:
                    repairs.append(f'{c.attribute.value} value "{v}" read as "{found.value}"')
                values.append(found.value if found is not None else v)
            criteria.append(c.model_copy(update={"values": values}))
        problems = (
            [f"criteria values not in the statistics tables: {', '.join(unknown)}"]
            if unknown
            else []
        )
        hint = "; ".join(f"{a}: {choices_text(v, 40)}" for a, v in allowed.items())
        return Checked(
            draft.model_copy(update={"fit_criteria": criteria}),
            problems,
            repairs,
            f"write each value exactly as in the tables ({hint})",
        )

    return check


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
    prompt_notes: list[str] = field(default_factory=list)
    """What the prompt left out to fit the token budget (empty when nothing)."""
    warnings: list[RunWarning] = field(default_factory=list)
    """What the answer's check repaired or left out (cited ids, criteria values)."""

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
            "prompt_notes": self.prompt_notes,
            "warnings": [w.to_json() for w in self.warnings],
        }


@writes("drafting the ICP")
def generate_icp(
    ws: Workspace,
    settings: Settings,
    *,
    budget_usd: float | None = None,
    reuse: bool = True,
    progress: ProgressFn | None = None,
) -> IcpOutcome:
    """Draft the ICP (one LLM call), store it as review item ``icp``, compute fit and caveats."""
    stats = statistics(ws)
    if progress:
        progress(0, 1, TASK)
    prompt = icp_variables(ws, stats, settings)
    index = EvidenceIndex.load(ws)
    ids = index.id_check(prompt.variables)

    def check(draft: IcpDraft) -> Checked[IcpDraft]:
        cited = ids(draft)
        values = criteria_check(stats)(cited.value)
        return Checked(
            values.value,
            cited.problems + values.problems,
            cited.repairs + values.repairs,
            "; ".join(x for x in (cited.choices, values.choices) if x),
        )

    (draft,), provenance, batch = run_jobs(
        ws,
        settings,
        TASK,
        [prompt.variables],
        IcpDraft,
        budget_usd=budget_usd,
        notes=prompt.notes,
        checks=[check],
        reuse=reuse,
    )
    warnings = step_warnings("icp", KEY, batch.results[0].warnings)
    unknown: list[str] = []
    fields: dict[str, list[ClaimDraft]] = {"summary": [ClaimDraft(text=draft.summary)]}
    fields.update({f: index.claims(getattr(draft, f), unknown) for f in FIELDS})
    if unknown:
        warnings += step_warnings(
            "icp", KEY, [f"cited ids left out (unknown): {', '.join(sorted(set(unknown)))}"]
        )
    keep_warnings(ws, batch.run_id, warnings)
    item, action = store_item(ws, "icp", KEY, "Ideal customer profile", fields, provenance)
    criteria = _criteria(draft)
    db.set_meta(ws.conn, CRITERIA_META, json.dumps(criteria, sort_keys=True))
    if progress:
        progress(1, 1, TASK)
    return IcpOutcome(
        item,
        action,
        stats,
        criteria,
        stats.fit(criteria),
        sorted(set(unknown)),
        prompt.notes,
        warnings,
    )


def icp_report(ws: Workspace) -> IcpOutcome | None:
    """The stored ICP item with fresh statistics, caveats and fit (no model call)."""
    criteria = stored_criteria(ws)
    if criteria is None:
        return None
    stats = statistics(ws)
    return IcpOutcome(get_item(ws, KEY), "unchanged", stats, criteria, stats.fit(criteria), [])
