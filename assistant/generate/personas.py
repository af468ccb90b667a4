"""Buyer personas: one draft per DMU role, from stored insights and themes.

The model sees the insights of one role (with verified quotes) and the themes
that role takes part in, never transcripts, and returns claims citing insight
ids; code turns the ids into evidence links (:class:`EvidenceIndex`). A claim
citing nothing, or only insights without a verified quote, is an assumption.
The quotes field is filled by code with the verified quotes of the insights the
model picked, so every persona quote is verbatim.

Role split: participants of a role are put in seniority bands by title
(:func:`seniority`). A role is split into variants
(``persona:<role>:<band>``) only when at least two bands each hold at least
:data:`MIN_VARIANT_ACCOUNTS` distinct accounts; interviews of smaller bands join
the largest variant. Otherwise one persona ``persona:<role>``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assistant.extract import StoredInsight, list_insights
from assistant.generate.common import (
    EvidenceIndex,
    InterviewInfo,
    insight_line,
    interview_infos,
    prompt_path,
    run_jobs,
    store_item,
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
from assistant.locking import writes
from assistant.models import EvidenceStatus
from assistant.progress import ProgressFn
from assistant.review import ClaimDraft, ReviewItem, list_items
from assistant.schemas import PERSONA_CLAIM_FIELDS, PersonaDraft
from assistant.segments import Segmentation, themes_shared
from assistant.settings import Settings
from assistant.workspace import Workspace

if TYPE_CHECKING:
    from assistant.committee import StakeholderMention

TASK = "draft_personas"
FIELDS = PERSONA_CLAIM_FIELDS
MIN_VARIANT_ACCOUNTS = 2
ROLE_ORDER = ("economic_buyer", "champion", "technical_buyer", "end_user", "other")
_EXEC = re.compile(
    r"\b(chief|c[efoti]o|founder|president|vp|vice president|head|owner|partner)\b", re.I
)
_MANAGER = re.compile(r"\b(director|manager|controller|lead|supervisor)\b", re.I)


def seniority(title: str | None) -> str:
    """``executive``, ``manager``, ``staff`` or ``unknown`` from a job title."""
    if not title:
        return "unknown"
    if _EXEC.search(title):
        return "executive"
    if _MANAGER.search(title):
        return "manager"
    return "staff"


@dataclass
class PersonaGroup:
    """The interviews (and their insights) behind one persona."""

    role: str
    variant: str | None
    interviews: list[str]
    accounts: list[str]
    titles: list[str]
    insights: list[StoredInsight] = field(default_factory=list)
    segment: str | None = None
    """Set when the role was split by segment (its interviews' segments share no theme)."""
    segments: list[str] = field(default_factory=list)
    """Every segment its interviews fall in (what the persona card states)."""
    stakeholders: list[StakeholderMention] = field(default_factory=list)
    """Second-hand evidence: people of this role as interviewees described them."""
    warnings: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        seg = f":seg-{_slug(self.segment)}" if self.segment else ""
        return f"persona:{self.role}{seg}" + (f":{self.variant}" if self.variant else "")

    @property
    def secondhand(self) -> bool:
        """True when nobody of this role was interviewed: only descriptions by others."""
        return not self.insights and bool(self.stakeholders)

    def coverage(self) -> str:
        """What the persona card states: accounts and segments it covers."""
        n = len(self.accounts)
        segs = ", ".join(self.segments) or "no segment"
        how = " (second-hand: described by interviewees of other roles)" if self.secondhand else ""
        return (
            f"{n} account{'s' * (n != 1)}, {len(self.interviews)} interviews; segments: {segs}{how}"
        )


def _slug(text: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", text.casefold())) or "segment"


def split_role(
    role: str, interviews: Sequence[str], infos: dict[str, InterviewInfo]
) -> list[tuple[str | None, list[str]]]:
    """(variant, interview ids) for one role: split by seniority band when evidence shows it."""
    bands: dict[str, list[str]] = defaultdict(list)
    for iid in sorted(interviews):
        bands[seniority(infos[iid].titles.get(role))].append(iid)

    def accounts(ids: list[str]) -> int:
        return len({infos[i].account or i for i in ids})

    big = [
        b for b in sorted(bands) if b != "unknown" and accounts(bands[b]) >= MIN_VARIANT_ACCOUNTS
    ]
    if len(big) < 2:
        return [(None, sorted(interviews))]
    largest = max(big, key=lambda b: (accounts(bands[b]), b))
    out = {b: list(bands[b]) for b in big}
    for b, ids in bands.items():
        if b not in out:
            out[largest] += ids
    return [(b, sorted(out[b])) for b in sorted(out)]


def segment_split(
    interviews: Sequence[str], seg: Segmentation
) -> tuple[list[tuple[str | None, list[str]]], str | None]:
    """(segment, interview ids) parts of one role, and why it was split (None: one part).

    A role is split when its interviews fall into segments of which some pair
    shares no theme: their pains are different worlds, one persona would mix them.
    """
    of = seg.of_interviews()
    parts: dict[str, list[str]] = defaultdict(list)
    for iid in interviews:
        parts[of.get(iid) or ""].append(iid)
    named = sorted(p for p in parts if p)
    apart = [
        (a, b) for n, a in enumerate(named) for b in named[n + 1 :] if not themes_shared(seg, a, b)
    ]
    if len(named) < 2 or not apart or "" in parts:
        return [(None, sorted(interviews))], None
    a, b = apart[0]
    why = f"segments {a!r} and {b!r} share no theme"
    return [(name, sorted(parts[name])) for name in named], why


def persona_groups(ws: Workspace, segment_mode: str = "split") -> list[PersonaGroup]:
    """One group per DMU role present in the insights (split where the checks say so), and one
    per role nobody was interviewed for but interviewees described (second-hand).

    ``segment_mode``: ``split`` (one persona per segment and role when its segments share no
    theme) or ``warn`` (one persona, with a warning).
    """
    from assistant.committee import load_stakeholders
    from assistant.segments import compute_segments

    infos = interview_infos(ws)
    seg = compute_segments(ws)
    of = seg.of_interviews()
    by_role: dict[str, list[StoredInsight]] = defaultdict(list)
    for ins in list_insights(ws):
        if ins.dmu_role:
            by_role[ins.dmu_role].append(ins)
    described: dict[str, list[StakeholderMention]] = defaultdict(list)
    for m in load_stakeholders(ws):
        if m.dmu_role and m.dmu_role not in by_role and m.verified:
            described[m.dmu_role].append(m)
    order = sorted(
        set(by_role) | set(described),
        key=lambda r: (ROLE_ORDER.index(r) if r in ROLE_ORDER else 99, r),
    )
    groups = []
    for role in order:
        if role not in by_role:
            mentions = described[role]
            ids = sorted({m.interview_id for m in mentions})
            groups.append(
                PersonaGroup(
                    role,
                    None,
                    ids,
                    sorted({infos[i].account for i in ids if i in infos}),
                    sorted({m.name_or_title for m in mentions}),
                    segments=sorted({of[i] for i in ids if i in of}),
                    stakeholders=mentions,
                )
            )
            continue
        interviews = sorted({i.interview_id for i in by_role[role]})
        parts, why = segment_split(interviews, seg)
        warning = None
        if why and segment_mode != "split":
            warning = f"persona:{role} mixes worlds: {why} ([generate] persona_segments = warn)"
            parts = [(None, interviews)]
        for segment, part in parts:
            for variant, ids in split_role(role, part, infos):
                titles = sorted({t for i in ids if (t := infos[i].titles.get(role))})
                accounts = sorted({a for i in ids if (a := infos[i].account)})
                members = [i for i in by_role[role] if i.interview_id in ids]
                group = PersonaGroup(role, variant, ids, accounts, titles, members, segment)
                group.segments = sorted({of[i] for i in ids if i in of})
                if warning:
                    group.warnings.append(warning)
                groups.append(group)
    return groups


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
) -> Fitted:
    """The ``draft_personas`` prompt variables of one group, within ``max_tokens``."""
    if group.secondhand:
        return _secondhand_variables(group, max_tokens)
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


def _secondhand_variables(group: PersonaGroup, max_tokens: int) -> Fitted:
    """Variables for a role nobody was interviewed for: what others said about them."""
    people = group.stakeholders

    def build(k: int) -> dict[str, str]:
        return {
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
    index = EvidenceIndex.load(ws)
    infos = interview_infos(ws)
    themes = theme_items(ws)
    return [
        PersonaPlan(g, persona_variables(g, themes, index, infos, max_tokens))
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
            "warnings": self.group.warnings,
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
    progress: ProgressFn | None = None,
) -> list[PersonaOutcome]:
    """Draft (LLM, one call per group) and store every persona as ``kind="persona"``."""
    plan = plan_personas(ws, settings)
    if not plan:
        return []
    if progress:
        progress(0, len(plan), TASK)
    notes = [n for p in plan for n in p.prompt.notes]
    drafts, provenance, _ = run_jobs(
        ws,
        settings,
        TASK,
        [p.variables for p in plan],
        PersonaDraft,
        budget_usd=budget_usd,
        notes=notes,
    )
    index = EvidenceIndex.load(ws)
    out = []
    for p, draft in zip(plan, drafts, strict=True):
        group = p.group
        unknown: list[str] = []
        fields = persona_fields(draft, index, unknown)
        detail = [group.role] + [x for x in (group.variant, group.segment) if x]
        if group.secondhand:
            detail.append("second-hand")
        title = f"{draft.name} ({', '.join(detail)})"
        item, action = store_item(ws, "persona", group.key, title, fields, provenance)
        out.append(
            PersonaOutcome(
                group, draft.name, item, action, sorted(set(unknown)), list(p.prompt.notes)
            )
        )
    if progress:
        progress(len(plan), len(plan), TASK)
    return out


def persona_items(ws: Workspace, segment_mode: str = "split") -> list[ReviewItem]:
    """Current persona review items (not rejected), in role order."""
    keys = {g.key for g in persona_groups(ws, segment_mode)}
    items = [p for p in list_items(ws, "persona") if p.key in keys and p.status != "rejected"]
    return sorted(items, key=lambda p: p.key)
