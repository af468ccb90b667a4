"""Buyer personas: one draft per DMU role, from stored insights and themes.

The model sees the insights of one role (with verified quotes) and the themes
that role takes part in, never transcripts, and returns claims citing insight
ids; code turns the ids into evidence links (:class:`EvidenceIndex`). A claim
citing nothing, or only insights without a verified quote, is an assumption.
The quotes field is filled by code with the verified quotes of the insights the
model picked, so every persona quote is verbatim.

Which interviews each persona is drafted from (role, seniority and segment
splits) is :mod:`~assistant.generate.persona_groups`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assistant.generate.common import (
    EvidenceIndex,
    InterviewInfo,
    insight_line,
    interview_infos,
    keep_warnings,
    prompt_path,
    run_jobs,
    store_item,
)
from assistant.generate.persona_groups import (
    MIN_VARIANT_ACCOUNTS,
    ROLE_ORDER,
    PersonaGroup,
    persona_groups,
    segment_split,
    seniority,
    split_role,
)
from assistant.generate.prompt_budget import (
    PER_THEME,
    Fitted,
    account_of,
    fit,
    rank_insights,
    theme_line_members,
)
from assistant.generate.themes import current_theme_keys
from assistant.llm.runlog import RunWarning, step_warnings
from assistant.locking import writes
from assistant.models import EvidenceStatus
from assistant.progress import ProgressFn
from assistant.review import ClaimDraft, ReviewItem, list_items
from assistant.schemas import PERSONA_CLAIM_FIELDS, PersonaDraft
from assistant.settings import Settings
from assistant.study import study_block
from assistant.workspace import Workspace

if TYPE_CHECKING:
    from assistant.committee import StakeholderMention


__all__ = [
    "FIELDS",
    "MIN_VARIANT_ACCOUNTS",
    "ROLE_ORDER",
    "TASK",
    "PersonaGroup",
    "PersonaOutcome",
    "PersonaPlan",
    "generate_personas",
    "persona_fields",
    "persona_groups",
    "persona_items",
    "persona_variables",
    "plan_personas",
    "segment_split",
    "seniority",
    "split_role",
    "stakeholder_line",
    "theme_items",
    "theme_members",
]

TASK = "draft_personas"
FIELDS = PERSONA_CLAIM_FIELDS


def theme_items(ws: Workspace) -> list[ReviewItem]:
    """The current, not rejected, theme review items."""
    keys = set(current_theme_keys(ws))
    return [t for t in list_items(ws, "theme") if t.key in keys and t.status != "rejected"]


def theme_members(item: ReviewItem) -> list[str]:
    """Insight ids behind a theme item (its ``insights`` field)."""
    refs = {e.insight_id for c in item.fields.get("insights", []) for e in c.evidence}
    return sorted(r for r in refs if r)


def _themes_text(
    themes: Sequence[ReviewItem], group: PersonaGroup, index: EvidenceIndex, listed: set[str]
) -> str:
    """Themes with a listed member of this role: counts by code, listed member ids."""
    mine = {i.id for i in group.insights}
    lines = []
    hidden = 0
    for t in themes:
        members = theme_members(t)
        own = sorted(set(members) & mine)
        if not own:
            continue
        if not set(own) & listed:
            hidden += 1
            continue
        every = {index.insights[m].interview_id for m in members if m in index.insights}
        here = {index.insights[m].interview_id for m in own}
        kind = t.key.split(":")[1]
        lines.append(
            f"- {t.title} ({kind}; {len(here)} / {len(every)}) members: "
            + theme_line_members(own, listed)
        )
    if hidden:
        lines.append(f"- ({hidden} smaller themes of this role not listed for length)")
    return "\n".join(lines) or "(none)"


def persona_variables(
    group: PersonaGroup,
    themes: Sequence[ReviewItem],
    index: EvidenceIndex,
    infos: dict[str, InterviewInfo],
    max_tokens: int,
    study: str,
) -> Fitted:
    """The ``draft_personas`` prompt variables of one group, within ``max_tokens``
    (``study``: the rendered ``[study]``, :func:`~assistant.study.study_block`)."""
    if group.secondhand:
        return _secondhand_variables(group, max_tokens, study)
    role = group.role + (f" ({group.variant} titles)" if group.variant else "")
    if group.segment:
        role += f" in segment {group.segment}"
    mine = {i.id for i in group.insights}
    ranked = rank_insights(
        group.insights,
        [[m for m in theme_members(t) if m in mine] for t in themes],
        account_of(infos),
    )

    def build(k: int) -> dict[str, str]:
        listed = {i.id for i in ranked[:k]}
        return {
            "study": study,
            "role": role,
            "interviews": f"{len(group.interviews)} ({len(group.accounts)} accounts)",
            "titles": ", ".join(group.titles) or "unknown",
            "themes": _themes_text(themes, group, index, listed),
            "insights": "\n".join(
                insight_line(i, quotes=2) for i in group.insights if i.id in listed
            ),
        }

    fitted = fit(
        f"{TASK} {group.key}", prompt_path(TASK), len(ranked), build, max_tokens, PersonaDraft
    )
    if len(ranked) < len(group.insights):
        fitted.notes.append(
            f"{TASK} {group.key}: {len(group.insights) - len(ranked)} of "
            f"{len(group.insights)} insights left out beyond {PER_THEME} per theme"
        )
    return fitted


def stakeholder_line(m: StakeholderMention) -> str:
    """A stakeholder as one prompt line: id, who described them, what was said, quotes."""
    notes = f": {m.notes}" if m.notes else ""
    line = f"- {m.id} [stakeholder, {m.attribution}] {m.name_or_title}{notes}"
    for e in m.evidence:
        if e.get("status") == EvidenceStatus.verified:
            line += f'\n  quote ({m.described_by_name or "interviewee"}): "{e["quote"]}"'
    return line


def _secondhand_variables(group: PersonaGroup, max_tokens: int, study: str) -> Fitted:
    """Variables for a role nobody was interviewed for: what others said about them."""
    people = group.stakeholders

    def build(k: int) -> dict[str, str]:
        return {
            "study": study,
            "role": f"{group.role} (nobody in this role was interviewed: only second-hand "
            "descriptions by interviewees of other roles; cite them as such)",
            "interviews": f"{len(group.interviews)} ({len(group.accounts)} accounts) describing "
            "this role",
            "titles": ", ".join(group.titles) or "unknown",
            "themes": "(none: nobody in this role was interviewed)",
            "insights": "\n".join(stakeholder_line(m) for m in people[:k]),
        }

    return fit(
        f"{TASK} {group.key}", prompt_path(TASK), len(people), build, max_tokens, PersonaDraft
    )


def plan_personas(ws: Workspace, settings: Settings | None = None) -> list[PersonaPlan]:
    """Groups and their prompt variables within the token budget (no LLM call)."""
    settings = settings or Settings()
    max_tokens = settings.llm.max_prompt_tokens
    study = study_block(settings.study)
    index = EvidenceIndex.load(ws)
    infos = interview_infos(ws)
    themes = theme_items(ws)
    return [
        PersonaPlan(g, persona_variables(g, themes, index, infos, max_tokens, study))
        for g in persona_groups(ws, settings.generate.persona_segments)
    ]


@dataclass
class PersonaPlan:
    """One persona call: its group and fitted prompt variables."""

    group: PersonaGroup
    prompt: Fitted

    @property
    def variables(self) -> dict[str, str]:
        return self.prompt.variables


@dataclass
class PersonaOutcome:
    """One stored persona draft."""

    group: PersonaGroup
    name: str
    item: ReviewItem
    action: str
    unknown_ids: list[str]
    prompt_notes: list[str] = field(default_factory=list)
    """What the prompt left out to fit the token budget (empty when nothing)."""
    run_warnings: list[RunWarning] = field(default_factory=list)
    """What the answer's check repaired or left out (cited ids)."""

    def to_json(self) -> dict[str, Any]:
        claims = self.item.claims()
        return {
            "key": self.group.key,
            "item_id": self.item.id,
            "name": self.name,
            "dmu_role": self.group.role,
            "variant": self.group.variant,
            "interviews": self.group.interviews,
            "accounts": self.group.accounts,
            "titles": self.group.titles,
            "segment": self.group.segment,
            "segments": self.group.segments,
            "coverage": self.group.coverage(),
            "secondhand": self.group.secondhand,
            "warnings": [w.message for w in self.run_warnings],  # the group's first
            "status": self.item.status,
            "action": self.action,
            "claims": len(claims),
            "assumptions": sum(c.status == "assumption" for c in claims),
            "secondhand_claims": sum(c.status == "secondhand" for c in claims),
            "unknown_ids": self.unknown_ids,
            "prompt_notes": self.prompt_notes,
            "fields": {f: [c.to_json() for c in cs] for f, cs in self.item.fields.items()},
        }


def persona_fields(
    draft: PersonaDraft, index: EvidenceIndex, unknown: list[str]
) -> dict[str, list[ClaimDraft]]:
    """Review fields of a persona draft: cited ids become evidence links."""
    fields = {f: index.claims(getattr(draft, f), unknown) for f in FIELDS}
    fields["quotes"] = index.quote_claims(draft.quote_insight_ids, unknown)
    return fields


@writes("drafting personas")
def generate_personas(
    ws: Workspace,
    settings: Settings,
    *,
    budget_usd: float | None = None,
    reuse: bool = True,
    progress: ProgressFn | None = None,
) -> list[PersonaOutcome]:
    """Draft (LLM, one call per group) and store every persona as ``kind="persona"``."""
    plan = plan_personas(ws, settings)
    if not plan:
        return []
    if progress:
        progress(0, len(plan), TASK)
    notes = [n for p in plan for n in p.prompt.notes]
    index = EvidenceIndex.load(ws)
    drafts, provenance, batch = run_jobs(
        ws,
        settings,
        TASK,
        [p.variables for p in plan],
        PersonaDraft,
        budget_usd=budget_usd,
        notes=notes,
        checks=[index.id_check(p.variables) for p in plan],
        reuse=reuse,
    )
    out = []
    every: list[RunWarning] = []
    for p, draft, result in zip(plan, drafts, batch.results, strict=True):
        group = p.group
        unknown: list[str] = []
        fields = persona_fields(draft, index, unknown)
        warnings = step_warnings("personas", group.key, [*group.warnings, *result.warnings])
        if unknown:
            warnings += step_warnings(
                "personas",
                group.key,
                [
                    f"cited ids left out (unknown, or without a quote): {', '.join(sorted(set(unknown)))}"
                ],
            )
        every += warnings
        detail = [group.role] + [x for x in (group.variant, group.segment) if x]
        if group.secondhand:
            detail.append("second-hand")
        title = f"{draft.name} ({', '.join(detail)})"
        item, action = store_item(ws, "persona", group.key, title, fields, provenance)
        out.append(
            PersonaOutcome(
                group,
                draft.name,
                item,
                action,
                sorted(set(unknown)),
                list(p.prompt.notes),
                warnings,
            )
        )
    keep_warnings(ws, batch.run_id, every)
    if progress:
        progress(len(plan), len(plan), TASK)
    return out


def persona_items(ws: Workspace, segment_mode: str = "split") -> list[ReviewItem]:
    """Current persona review items (not rejected), in role order."""
    keys = {g.key for g in persona_groups(ws, segment_mode)}
    items = [p for p in list_items(ws, "persona") if p.key in keys and p.status != "rejected"]
    return sorted(items, key=lambda p: p.key)
