"""Bounded generation prompts: ranked evidence per theme, fitted to a per-call token budget.

Personas, ICP and messaging prompts carry code-computed counts (per theme,
role, account) and a *selection* of insights, never every insight:

- :func:`rank_insights` orders the candidate insights for keeping. Each theme
  contributes at most :data:`PER_THEME` members: its strongest (a verified
  quote first, then high intensity, a metric, more verified quotes), taken
  round-robin across accounts so one account cannot fill a theme. Themes take
  turns, largest first (one member of each theme, then a second of each...);
  insights in no theme follow, ranked the same way.
- :func:`fit` renders the prompt with the first ``k`` ranked items and finds
  the largest ``k`` whose prompt fits ``[llm] max_prompt_tokens`` (counted
  offline with :mod:`assistant.llm.tokens`, schema included). A prompt that
  was cut gets a note (kept in the run log and shown by the command); one that
  cannot fit even with no items raises :class:`PromptBudgetError`: nothing is
  sent blind.

On a small corpus nothing is cut and the prompt lists every insight in the
order it always had.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from assistant.errors import PersonaError
from assistant.extract import StoredInsight
from assistant.llm.budget import plan_call
from assistant.llm.tokens import FORMAT_RESERVE
from assistant.models import EvidenceStatus

PER_THEME = 8
"""Most members of one theme a prompt lists as evidence."""
_INTENSITY = {"high": 0, "medium": 1, "low": 2}
T = TypeVar("T")


class PromptBudgetError(PersonaError):
    """A generation prompt does not fit the token budget even with no evidence listed."""


@dataclass
class Fitted:
    """Prompt variables that fit the budget, and what was left out."""

    variables: dict[str, str]
    tokens: int
    kept: int
    total: int
    notes: list[str] = field(default_factory=list)


def strength(ins: StoredInsight) -> tuple[int, int, int, int, str]:
    """Sort key: strongest first (verified, intense, with a metric, more quotes)."""
    verified = sum(e["status"] == EvidenceStatus.verified for e in ins.evidence)
    return (
        0 if verified else 1,
        _INTENSITY.get(ins.intensity or "", 3),
        0 if ins.metric else 1,
        -verified,
        ins.id,
    )


def spread(items: Sequence[StoredInsight], account: Callable[[str], str]) -> list[StoredInsight]:
    """``items`` by strength, taken round-robin across accounts (strongest account first)."""
    by_account: dict[str, list[StoredInsight]] = defaultdict(list)
    for ins in sorted(items, key=strength):
        by_account[account(ins.interview_id)].append(ins)
    queues = sorted(by_account.values(), key=lambda q: strength(q[0]))
    out: list[StoredInsight] = []
    while queues:
        out += [q.pop(0) for q in queues]
        queues = [q for q in queues if q]
    return out


def rank_insights(
    insights: Sequence[StoredInsight],
    themes: Sequence[Sequence[str]],
    account: Callable[[str], str],
    per_theme: int = PER_THEME,
) -> list[StoredInsight]:
    """Insights in keeping order: capped theme selections in turns, then the unthemed."""
    by_id = {i.id: i for i in insights}
    sized: list[tuple[int, int, list[StoredInsight]]] = []
    themed: set[str] = set()
    for n, members in enumerate(themes):
        mine = [by_id[m] for m in members if m in by_id]
        themed.update(i.id for i in mine)
        if mine:
            size = len({i.interview_id for i in mine})
            sized.append((-size, n, spread(mine, account)[:per_theme]))
    picks = [p for *_, p in sorted(sized, key=lambda s: (s[0], s[1]))]
    out: list[StoredInsight] = []
    seen: set[str] = set()
    for depth in range(max((len(p) for p in picks), default=0)):
        for p in picks:
            if depth < len(p) and p[depth].id not in seen:
                seen.add(p[depth].id)
                out.append(p[depth])
    out += [i for i in spread([i for i in insights if i.id not in themed], account)]
    return out


def fit(
    task: str,
    prompt_file: Path,
    total: int,
    build: Callable[[int], dict[str, str]],
    max_tokens: int,
    output_model: type[BaseModel] | None = None,
    what: str = "insights",
) -> Fitted:
    """The largest ``k <= total`` whose prompt ``build(k)`` fits ``max_tokens``."""

    def tokens(k: int) -> int:
        return plan_call(prompt_file, build(k), output_model, est_output_tokens=0).input_tokens

    limit = max_tokens - FORMAT_RESERVE

    full = tokens(total)
    if full <= limit:
        return Fitted(build(total), full, total, total)
    if tokens(0) > limit:
        raise PromptBudgetError(
            f"{task}: the prompt needs more than {max_tokens:,} input tokens even without "
            f"evidence; raise [llm] max_prompt_tokens (nothing was sent)"
        )
    lo, hi = 0, total  # tokens(lo) fits, tokens(hi) does not
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if tokens(mid) <= limit:
            lo = mid
        else:
            hi = mid
    used = tokens(lo)
    note = (
        f"{task}: prompt reduced to the {max_tokens:,}-token budget: {lo:,} of {total:,} "
        f"{what} listed ({full:,} tokens with all of them, {used:,} sent)"
    )
    return Fitted(build(lo), used, lo, total, [note])


def theme_line_members(own: Sequence[str], listed: set[str]) -> str:
    """A theme's member ids that the prompt lists, and how many it does not."""
    shown = [m for m in own if m in listed]
    more = len(own) - len(shown)
    return ", ".join(shown) + (f" (+{more} more not listed)" if more else "")


def account_of(infos: Mapping[str, Any]) -> Callable[[str], str]:
    """interview id -> account (the interview id when the account is unknown)."""

    def account(iid: str) -> str:
        info = infos.get(iid)
        return (info.account if info is not None else None) or iid

    return account
