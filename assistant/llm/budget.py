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
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from assistant.errors import PersonaError
from assistant.llm.pricing import PriceTable, format_cost
from assistant.llm.prompts import load_prompt
from assistant.llm.schemas import strict_json_schema
from assistant.llm.tokens import count_messages, count_tokens


class BudgetExceededError(PersonaError):
    """A batch was refused because its estimate exceeds the budget (or is unknown)."""

    def __init__(self, message: str, estimate: Estimate) -> None:
        super().__init__(message)
        self.estimate = estimate


@dataclass(frozen=True)
class PlannedCall:
    """One LLM call a batch intends to make."""

    task: str
    input_tokens: int
    est_output_tokens: int


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

    def as_dict(self) -> dict[str, Any]:
        """The `persona estimate --json` shape."""
        return asdict(self)


def plan_call(
    prompt_file: Path | str,
    variables: dict[str, Any],
    output_model: type[BaseModel] | None = None,
    *,
    est_output_tokens: int,
    strict: bool = True,
) -> PlannedCall:
    """Count one call's input tokens offline: rendered messages plus the output schema.

    ``strict=False`` tolerates missing variables (rough estimates before all
    inputs exist); batches use the strict default, so a missing variable fails
    here, before any call.
    """
    prompt = load_prompt(prompt_file)
    rendered = prompt.render(variables, strict=strict)
    tokens = count_messages(rendered.messages())
    if output_model is not None:
        tokens += _schema_tokens(output_model)
    return PlannedCall(prompt.task, tokens, est_output_tokens)


@functools.lru_cache(maxsize=256)
def _schema_tokens(output_model: type[BaseModel]) -> int:
    """Tokens the output schema adds to a request (cached per model)."""
    return count_tokens(json.dumps(strict_json_schema(output_model), separators=(",", ":")))


def estimate(planned: list[PlannedCall], *, model: str, prices: PriceTable) -> Estimate:
    """Sum planned calls, each priced with ``model``'s price (None when unknown)."""
    inp = sum(p.input_tokens for p in planned)
    out = sum(p.est_output_tokens for p in planned)
    costs = [prices.cost(model, p.input_tokens, p.est_output_tokens) for p in planned]
    cost = None if None in costs else float(sum(c for c in costs if c is not None))
    return Estimate(len(planned), inp, out, cost, model, prices.source(model))


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
