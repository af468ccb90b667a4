"""Model prices and cost arithmetic.

Prices are USD per 1M tokens. The built-in table covers common OpenAI models
(list prices; check https://openai.com/api/pricing and override in
``[llm.prices."MODEL"]`` when they change). A dated snapshot such as
``gpt-4o-mini-2024-07-18`` uses its base model's price. Any other model —
local servers, ``authored-fixture`` — has an *unknown* cost: ``None``, shown
as "unknown", never 0.
"""

from __future__ import annotations

import re

from assistant.settings import LlmSettings, ModelPrice

DEFAULT_PRICES: dict[str, ModelPrice] = {
    name: ModelPrice(input=inp, output=out)
    for name, (inp, out) in {
        "gpt-4o-mini": (0.15, 0.60),
        "gpt-4o": (2.50, 10.00),
        "gpt-4.1": (2.00, 8.00),
        "gpt-4.1-mini": (0.40, 1.60),
        "gpt-4.1-nano": (0.10, 0.40),
        "o4-mini": (1.10, 4.40),
        "o3-mini": (1.10, 4.40),
        "gpt-5": (1.25, 10.00),
        "gpt-5-mini": (0.25, 2.00),
        "gpt-5-nano": (0.05, 0.40),
    }.items()
}

_SNAPSHOT = re.compile(r"-\d{4}-\d{2}-\d{2}$")


def price_table(llm: LlmSettings | None = None) -> dict[str, ModelPrice]:
    """Built-in prices overlaid with the ``[llm.prices]`` overrides."""
    return {**DEFAULT_PRICES, **(llm.prices if llm else {})}


def price_for(model: str, prices: dict[str, ModelPrice]) -> ModelPrice | None:
    """The price of ``model``: exact name, else its undated base name, else None."""
    if model in prices:
        return prices[model]
    base = _SNAPSHOT.sub("", model)
    return prices.get(base)


def cost_usd(
    model: str, input_tokens: int | None, output_tokens: int | None, prices: dict[str, ModelPrice]
) -> float | None:
    """Cost of one call in USD; None when the price or a token count is unknown."""
    price = price_for(model, prices)
    if price is None or input_tokens is None or output_tokens is None:
        return None
    return (input_tokens * price.input + output_tokens * price.output) / 1_000_000


def format_cost(cost: float | None) -> str:
    """A cost for people: ``$0.0123`` or ``unknown``."""
    return "unknown" if cost is None else f"${cost:.4f}"
