"""Messaging per persona and DMU role: one ``draft_messaging`` call per persona.

The model gets the persona as reviewed (its current claims, with the insight
ids behind them, user edits included) and the insights of that persona's
interviews. Every message cites insight ids; code links them to verified
quotes (ids are checked: repaired when unambiguous, re-asked once, the rest
reported as warnings). A message citing nothing is *flagged*: stored as an
assumption and listed in ``flagged``. The model is not asked which role it
wrote for: code knows the role of each call and sets it. Review items:
``kind="messaging"``, key ``messaging:<persona key>:<role>``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.errors import UsageError
from assistant.extract import StoredInsight
from assistant.generate.common import (
    EvidenceIndex,
    insight_line,
    interview_infos,
    keep_warnings,
    prompt_path,
    run_jobs,
    store_item,
)
from assistant.generate.persona_groups import ROLE_ORDER
from assistant.generate.personas import persona_groups, persona_items, theme_items, theme_members
from assistant.generate.prompt_budget import PER_THEME, Fitted, account_of, fit, rank_insights
from assistant.llm.budget import Estimate
from assistant.llm.runlog import RunWarning, step_warnings
from assistant.locking import writes
from assistant.models import DmuRole
from assistant.progress import ProgressFn
from assistant.review import ClaimDraft, ReviewItem
from assistant.schemas import MESSAGING_CLAIM_FIELDS, MessagingDraft
from assistant.selection import TagMarks
from assistant.settings import Settings
from assistant.study import study_block
from assistant.workspace import Workspace

TASK = "draft_messaging"
SINGLE = ("value_proposition", "email_draft", "linkedin_message", "talk_track")
LISTS = ("key_messages", "proof_points", "objection_handling", "channels")
FIELDS = MESSAGING_CLAIM_FIELDS


def persona_role(item: ReviewItem) -> str:
    """The DMU role of a persona item (from its key ``persona:<role>[:<variant>]``)."""
    return item.key.split(":")[1]


def persona_text(item: ReviewItem) -> str:
    """A persona item as prompt text: each claim with the insight ids behind it."""
    lines = [f"{item.title} [{item.status}]"]
    for name, claims in item.fields.items():
        if name == "quotes":
            continue
        lines.append(f"{name}:")
        for c in claims:
            ids = sorted({e.insight_id for e in c.evidence if e.insight_id})
            lines.append(f"- {c.text}" + (f" (ids: {', '.join(ids)})" if ids else " (assumption)"))
    return "\n".join(lines)


def select_personas(
    ws: Workspace, persona: str | None, segment_mode: str = "split"
) -> list[ReviewItem]:
    """Current personas, or those whose key, id or title matches ``persona``."""
    items = persona_items(ws, segment_mode)
    if persona is None:
        return items
    needle = persona.casefold()
    chosen = [
        p
        for p in items
        if needle in (p.key.casefold(), p.id.casefold()) or needle in p.title.casefold()
    ]
    if not chosen:
        raise UsageError(f"no persona matches {persona!r}: run `persona personas` first")
    return chosen


def plan_messaging(
    ws: Workspace,
    persona: str | None = None,
    role: str | None = None,
    settings: Settings | None = None,
) -> list[tuple[ReviewItem, list[str], Fitted]]:
    """(persona item, roles, fitted prompt) per call (no LLM call).

    The insights listed are ranked (capped per theme, spread across accounts)
    and fitted to ``[llm] max_prompt_tokens``; the persona text is kept whole.
    """
    if role is not None and role not in DmuRole.__members__:
        raise UsageError(f"unknown role {role!r}: choose from {', '.join(DmuRole)}")
    settings = settings or Settings()
    max_tokens = settings.llm.max_prompt_tokens
    study = study_block(settings.study)
    mode = settings.generate.persona_segments
    index = EvidenceIndex.load(ws)
    account = account_of(interview_infos(ws))
    groups = {g.key: g for g in persona_groups(ws, mode)}
    themes = [theme_members(t) for t in theme_items(ws)]
    plan = []
    for item in select_personas(ws, persona, mode):
        roles = [role] if role else [persona_role(item)]
        group = groups.get(item.key)
        insights = group.insights if group else list(index.insights.values())
        ranked = rank_insights(insights, themes, account)
        text = persona_text(item)

        def build(
            k: int,
            ranked: list[StoredInsight] = ranked,
            insights: list[StoredInsight] = insights,
            roles: list[str] = roles,
            text: str = text,
        ) -> dict[str, str]:
            listed = {i.id for i in ranked[:k]}
            return {
                "study": study,
                "roles": ", ".join(roles),
                "persona": text,
                "insights": "\n".join(
                    insight_line(i, quotes=2) for i in insights if i.id in listed
                ),
            }

        fitted = fit(
            f"{TASK} {item.key}", prompt_path(TASK), len(ranked), build, max_tokens, MessagingDraft
        )
        if len(ranked) < len(insights):
            fitted.notes.append(
                f"{TASK} {item.key}: {len(insights) - len(ranked)} of {len(insights)} "
                f"insights left out beyond {PER_THEME} per theme"
            )
        plan.append((item, roles, fitted))
    return plan


@dataclass
class MessagingOutcome:
    """One stored messaging item."""

    persona: ReviewItem
    role: str
    item: ReviewItem
    action: str
    flagged: list[str]
    """Texts of messages that cite no insight."""
    unknown_ids: list[str]
    prompt_notes: list[str] = field(default_factory=list)
    """What the prompt left out to fit the token budget (empty when nothing)."""
    warnings: list[RunWarning] = field(default_factory=list)
    """What the answer's check repaired or left out (cited ids)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.item.key,
            "item_id": self.item.id,
            "persona": self.persona.key,
            "persona_title": self.persona.title,
            "dmu_role": self.role,
            "status": self.item.status,
            "action": self.action,
            "flagged": self.flagged,
            "unknown_ids": self.unknown_ids,
            "prompt_notes": self.prompt_notes,
            "warnings": [w.message for w in self.warnings],
            "fields": {f: [c.to_json() for c in cs] for f, cs in self.item.fields.items()},
        }


def messaging_fields(
    rm: MessagingDraft, index: EvidenceIndex, unknown: list[str]
) -> dict[str, list[ClaimDraft]]:
    fields: dict[str, list[ClaimDraft]] = {}
    for f in FIELDS:
        value = getattr(rm, f)
        fields[f] = index.claims([value] if f in SINGLE else value, unknown)
    return fields


@writes("drafting messaging")
def generate_messaging(
    ws: Workspace,
    settings: Settings,
    *,
    persona: str | None = None,
    role: str | None = None,
    budget_usd: float | None = None,
    reuse: bool = True,
    progress: ProgressFn | None = None,
) -> list[MessagingOutcome]:
    """Draft (one LLM call per persona) and store messaging per persona × role."""
    plan = plan_messaging(ws, persona, role, settings)
    if not plan:
        return []
    if progress:
        progress(0, len(plan), TASK)
    index = EvidenceIndex.load(ws)
    drafts, provenance, batch = run_jobs(
        ws,
        settings,
        TASK,
        [f.variables for *_, f in plan],
        MessagingDraft,
        budget_usd=budget_usd,
        notes=[n for *_, f in plan for n in f.notes],
        checks=[index.id_check(f.variables) for *_, f in plan],
        reuse=reuse,
    )
    out = []
    every: list[RunWarning] = []
    for (item, roles, fitted), draft, result in zip(plan, drafts, batch.results, strict=True):
        (role_name,) = roles  # one role per call: code sets it, the model is not asked
        unknown: list[str] = []
        fields = messaging_fields(draft, index, unknown)
        flagged = [c.text for cs in fields.values() for c in cs if not c.evidence]
        key = messaging_key(item.key, role_name)
        warnings = step_warnings("messaging", key, result.warnings)
        if unknown:
            warnings += step_warnings(
                "messaging",
                key,
                [f"cited ids left out (unknown): {', '.join(sorted(set(unknown)))}"],
            )
        every += warnings
        title = f"Messaging: {item.title} → {role_name}"
        stored, action = store_item(ws, "messaging", key, title, fields, provenance)
        out.append(
            MessagingOutcome(
                item,
                role_name,
                stored,
                action,
                flagged,
                sorted(set(unknown)),
                list(fitted.notes),
                warnings,
            )
        )
    keep_warnings(ws, batch.run_id, every)
    if progress:
        progress(len(plan), len(plan), TASK)
    return out


@dataclass
class MessagingGrid:
    """Every current persona (rows) × every DMU role present in the workspace (columns).

    A role is present when a persona, a messaging draft, an extracted insight or
    an interview's metadata has it; ``cells`` holds the drafts that exist, so
    any other cell can be drafted with :func:`generate_messaging` (``persona``
    = the row's id, ``role`` = the column).
    """

    personas: list[ReviewItem]
    roles: list[str]
    cells: dict[tuple[str, str], ReviewItem]
    """(persona key, role) → the messaging item."""

    def cell(self, persona: ReviewItem, role: str) -> ReviewItem | None:
        return self.cells.get((persona.key, role))

    def marked(self, marks: TagMarks) -> MessagingGrid:
        """The rows a tag marks: personas with a marked claim or with a drafted cell that has
        one (cells stay; :meth:`TagMarks.claims` tells which drafted cells are marked)."""
        rows = {p.key for p in marks.items(self.personas)}
        rows |= {persona for (persona, _), item in self.cells.items() if marks.claims(item)}
        return MessagingGrid([p for p in self.personas if p.key in rows], self.roles, self.cells)


def messaging_key(persona_key: str, role: str) -> str:
    """The review-item key of a persona × role cell."""
    return f"messaging:{persona_key}:{role}"


def split_messaging_key(key: str) -> tuple[str, str]:
    """``messaging:<persona key>:<role>`` → (persona key, role)."""
    persona, _, role = key.removeprefix("messaging:").rpartition(":")
    return persona, role


def present_roles(
    ws: Workspace, personas: Sequence[ReviewItem], drafts: Sequence[str]
) -> list[str]:
    """DMU roles of personas, drafts (their roles), insights or metadata, in persona role order."""
    from assistant.accounts import load_metas

    found = {persona_role(p) for p in personas} | set(drafts)
    found |= {
        r[0]
        for r in ws.conn.execute(
            "SELECT DISTINCT dmu_role FROM insights WHERE dmu_role IS NOT NULL"
        )
    }
    found |= {
        p.dmu_role.value for _, meta in load_metas(ws.conn) for p in meta.participants if p.dmu_role
    }
    order = [*ROLE_ORDER, *(r.value for r in DmuRole if r.value not in ROLE_ORDER)]
    return [r for r in order if r in found]


def messaging_grid(ws: Workspace, segment_mode: str = "split") -> MessagingGrid:
    """The grid of the Messaging screen (no LLM call)."""
    from assistant.review import list_items

    personas = persona_items(ws, segment_mode)
    known = {p.key for p in personas}
    stored = {p.key: p for p in list_items(ws, "persona")}
    cells: dict[tuple[str, str], ReviewItem] = {}
    for item in list_items(ws, "messaging"):
        persona_key, role = split_messaging_key(item.key)
        cells[(persona_key, role)] = item
        if persona_key not in known and persona_key in stored:  # e.g. a persona since rejected
            known.add(persona_key)
            personas.append(stored[persona_key])
    personas.sort(key=lambda p: p.title.casefold())
    return MessagingGrid(personas, present_roles(ws, personas, [r for _, r in cells]), cells)


def estimate_messaging(
    ws: Workspace, settings: Settings, persona: str | None = None, role: str | None = None
) -> Estimate:
    """What :func:`generate_messaging` with the same arguments would cost (no LLM call)."""
    from assistant.llm.budget import estimate_calls, plan_call

    planned = [
        plan_call(prompt_path(TASK), fitted.variables, MessagingDraft)
        for *_, fitted in plan_messaging(ws, persona, role, settings)
    ]
    return estimate_calls(planned, settings.llm, ws.conn)
