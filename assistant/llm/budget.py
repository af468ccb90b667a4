"""Cost control: offline estimates before a batch, spend tracking while it runs.

:func:`estimate` is generic: it sums :class:`PlannedCall` items, whoever
planned them (the extraction step plans one call per interview). A batch with
a budget is refused before any call when its estimate exceeds the budget, or
when the model's price is unknown (a budget cannot be enforced without a
price); while it runs, :class:`BudgetTracker` stops new calls once actual
spend reaches the budget, and calls already in flight finish and are kept.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from assistant.errors import PersonaError
from assistant.llm.expected_output import output_rule
from assistant.llm.pricing import PriceTable, format_cost
from assistant.llm.prompts import load_prompt
from assistant.llm.schemas import strict_json_schema
from assistant.llm.tokens import count_messages, count_tokens
from assistant.settings import LlmSettings


class BudgetExceededError(PersonaError):
    """A batch was refused because its estimate exceeds the budget (or is unknown)."""

    def __init__(self, message: str, estimate: Estimate) -> None:
        super().__init__(message)
        self.estimate = estimate


@dataclass(frozen=True)
class PlannedCall:
    """One LLM call a batch intends to make.

    ``est_output_tokens`` None: expected by :func:`estimate` from the task's
    history or default, scaled by ``data_tokens`` (the tokens of the call's
    variables, e.g. one window of an interview).
    """

    task: str
    input_tokens: int
    est_output_tokens: int | None = None
    data_tokens: int = 0


@dataclass(frozen=True)
class StepEstimate:
    """One task's share of an estimate."""

    task: str
    calls: int
    input_tokens: int
    est_output_tokens: int
    est_cost_usd: float | None
    output_source: str
    """Where the output tokens came from: ``run log (…)``, ``default`` or ``persona.toml``."""


@dataclass(frozen=True)
class Estimate:
    """What a batch should cost: ``est_cost_usd`` is None when the price is unknown."""

    calls: int
    input_tokens: int
    est_output_tokens: int
    est_cost_usd: float | None
    model: str
    price_source: str
    """Where the price came from: ``persona.toml`` or the price table and its version."""
    steps: tuple[StepEstimate, ...] = field(default=())
    """Per task, in the order first planned."""

    def as_dict(self) -> dict[str, Any]:
        """The `persona estimate --json` shape."""
        return asdict(self)


def plan_call(
    prompt_file: Path | str,
    variables: dict[str, Any],
    output_model: type[BaseModel] | None = None,
    *,
    est_output_tokens: int | None = None,
    strict: bool = True,
) -> PlannedCall:
    """Count one call's input tokens offline: rendered messages plus the output schema.

    Output tokens left None are expected later, by :func:`estimate`.

    ``strict=False`` tolerates missing variables (rough estimates before all
    inputs exist); batches use the strict default, so a missing variable fails
    here, before any call.
    """
    prompt = load_prompt(prompt_file)
    rendered = prompt.render(variables, strict=strict)
    tokens = count_messages(rendered.messages())
    if output_model is not None:
        tokens += _schema_tokens(output_model)
    data = sum(count_tokens(v if isinstance(v, str) else json.dumps(v)) for v in variables.values())
    return PlannedCall(prompt.task, tokens, est_output_tokens, data)


@functools.lru_cache(maxsize=256)
def _schema_tokens(output_model: type[BaseModel]) -> int:
    """Tokens the output schema adds to a request (cached per model)."""
    return count_tokens(json.dumps(strict_json_schema(output_model), separators=(",", ":")))


def estimate(
    planned: Sequence[PlannedCall],
    *,
    model: str,
    prices: PriceTable,
    conn: sqlite3.Connection | None = None,
    override: int | None = None,
) -> Estimate:
    """Sum planned calls per task and in total, each priced with ``model``'s price.

    Open output tokens are expected per task (:func:`~assistant.llm.expected_output.output_rule`):
    ``override`` (``[llm] est_output_tokens``) when set, else the run log's
    history in ``conn`` for that task and model, else the task's default.
    """
    filled, sources = expect_outputs(planned, model=model, conn=conn, override=override)
    steps: list[StepEstimate] = []
    for task in dict.fromkeys(p.task for p in filled):
        calls = [p for p in filled if p.task == task]
        steps.append(_sum(task, calls, model, prices, sources.get(task, "planner")))
    total = _sum("all", filled, model, prices, "")
    return Estimate(
        total.calls,
        total.input_tokens,
        total.est_output_tokens,
        total.est_cost_usd,
        model,
        prices.source(model),
        tuple(steps),
    )


def estimate_calls(
    planned: Sequence[PlannedCall], llm: LlmSettings, conn: sqlite3.Connection | None
) -> Estimate:
    """:func:`estimate` with the ``[llm]`` settings: its model, prices and
    ``est_output_tokens``, and the run log in ``conn`` (None: no history)."""
    from assistant.llm.pricing import price_table

    return estimate(
        planned,
        model=llm.model,
        prices=price_table(llm),
        conn=conn,
        override=llm.est_output_tokens,
    )


def expect_outputs(
    planned: Sequence[PlannedCall],
    *,
    model: str,
    conn: sqlite3.Connection | None = None,
    override: int | None = None,
) -> tuple[list[PlannedCall], dict[str, str]]:
    """The calls with their open output tokens filled in, and each task's rule source."""
    sources: dict[str, str] = {}
    rules = {}
    for task in dict.fromkeys(p.task for p in planned if p.est_output_tokens is None):
        rule = output_rule(task, model, conn=conn, override=override)
        rules[task] = rule
        sources[task] = rule.source
    filled = [
        p
        if p.est_output_tokens is not None
        else replace(p, est_output_tokens=rules[p.task].tokens(p.data_tokens))
        for p in planned
    ]
    return filled, sources


def _sum(
    task: str, planned: Sequence[PlannedCall], model: str, prices: PriceTable, source: str
) -> StepEstimate:
    inp = sum(p.input_tokens for p in planned)
    outs = [p.est_output_tokens or 0 for p in planned]
    costs = [prices.cost(model, p.input_tokens, o) for p, o in zip(planned, outs, strict=True)]
    cost = None if None in costs else float(sum(c for c in costs if c is not None))
    return StepEstimate(task, len(planned), inp, sum(outs), cost, source)


TASK_LABELS = {
    "extract_interview": "extraction",
    "summarize_interviews": "summary",
    "name_themes": "theme naming",
    "draft_personas": "personas",
    "draft_icp": "ICP",
    "draft_messaging": "messaging",
}


def estimate_lines(est: Estimate) -> list[str]:
    """The estimate as a small table, one line per step and a total (CLI and app)."""
    rows = [
        (
            TASK_LABELS.get(s.task, s.task),
            s.calls,
            s.input_tokens,
            s.est_output_tokens,
            format_cost(s.est_cost_usd),
            s.output_source,
        )
        for s in est.steps
    ]
    rows.append(
        (
            "total",
            est.calls,
            est.input_tokens,
            est.est_output_tokens,
            format_cost(est.est_cost_usd),
            "",
        )
    )
    width = max([4, *(len(r[0]) for r in rows)])
    lines = [f"{'step':<{width}}  calls  input tok  ~output tok  cost      output from"]
    for name, calls, inp, out, cost, source in rows:
        lines.append(
            f"{name:<{width}}  {calls:>5,}  {inp:>9,}  {out:>11,}  {cost:<8}  {source}".rstrip()
        )
    lines.append(f"model {est.model}; prices: {est.price_source}")
    return lines


def check_budget(est: Estimate, budget_usd: float | None) -> None:
    """Refuse (raise :class:`BudgetExceededError`) a batch that cannot fit the budget."""
    if budget_usd is None or est.calls == 0:
        return
    if est.est_cost_usd is None:
        raise BudgetExceededError(
            f"a budget of {format_cost(budget_usd)} is set but the price of model "
            f"'{est.model}' is unknown: add it under [llm.prices.\"{est.model}\"] in "
            "persona.toml (input/output USD per 1M tokens), or unset the budget",
            est,
        )
    if est.est_cost_usd > budget_usd:
        raise BudgetExceededError(
            f"estimated cost {format_cost(est.est_cost_usd)} for {est.calls} calls "
            f"({est.input_tokens} input + ~{est.est_output_tokens} output tokens, "
            f"{est.model}) exceeds the budget of {format_cost(budget_usd)}: nothing was "
            "called; raise --budget / PERSONA_BUDGET_USD or process fewer interviews",
            est,
        )


class BudgetTracker:
    """Actual spend of a running batch against its budget."""

    def __init__(self, budget_usd: float | None) -> None:
        self.budget_usd = budget_usd
        self.spent_usd = 0.0
        self.unknown_cost_calls = 0

    def add(self, cost: float | None) -> None:
        """Record one attempt's cost (None = unknown, counted separately)."""
        if cost is None:
            self.unknown_cost_calls += 1
        else:
            self.spent_usd += cost

    @property
    def exhausted(self) -> bool:
        """True once spend has reached the budget: start no more calls."""
        return self.budget_usd is not None and self.spent_usd >= self.budget_usd
