"""Model prices and cost arithmetic.

Prices come from `genai-prices`_, a maintained table of LLM providers' list
prices that ships inside the package and is read offline (its version, pinned
in requirements.lock, dates the table: :data:`PRICE_SOURCE`, shown by
`persona config` and `persona estimate`). ``[llm.prices."MODEL"]`` entries
(USD per 1M tokens) win over it.

The provider is the one whose API address matches ``[llm] base_url`` (Groq,
OpenRouter, Mistral, ...); any other address — a local server, a proxy — and
no base_url at all are priced as OpenAI. A model the provider does not list
(``llama3.1:8b`` on Ollama, ``authored-fixture``) has an *unknown* cost:
``None``, shown as "unknown", never 0.

.. _genai-prices: https://pypi.org/project/genai-prices/
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib.metadata import version

from genai_prices import Usage, calc_price
from genai_prices.data_snapshot import get_snapshot

from assistant.settings import LlmSettings, ModelPrice

PRICE_SOURCE = f"genai-prices {version('genai-prices')} (bundled table, offline)"
"""Where built-in prices come from: the package and version whose table is used."""

DEFAULT_PROVIDER = "openai"
"""Provider for no base_url, and for a base_url no provider's API matches."""


def provider_for(base_url: str | None) -> str:
    """The genai-prices provider id whose API address matches ``base_url``."""
    if base_url:
        for provider in get_snapshot().providers:
            if re.match(provider.api_pattern, base_url):
                return provider.id
    return DEFAULT_PROVIDER


@dataclass(frozen=True)
class PriceTable:
    """``[llm.prices]`` overrides over genai-prices' table for one provider."""

    overrides: dict[str, ModelPrice] = field(default_factory=dict)
    provider: str = DEFAULT_PROVIDER

    def cost(self, model: str, input_tokens: int, output_tokens: int) -> float | None:
        """USD for one call; None when the model has no price."""
        if model in self.overrides:
            price = self.overrides[model]
            return (input_tokens * price.input + output_tokens * price.output) / 1_000_000
        try:
            calc = calc_price(
                Usage(input_tokens=input_tokens, output_tokens=output_tokens),
                model,
                provider_id=self.provider,
            )
        except LookupError:
            return None
        return float(calc.total_price)

    def price(self, model: str) -> ModelPrice | None:
        """USD per 1M input and output tokens (the first tier where prices are tiered)."""
        if model in self.overrides:
            return self.overrides[model]
        inp, out = self.cost(model, 1000, 0), self.cost(model, 0, 1000)
        if inp is None or out is None:
            return None
        return ModelPrice(input=round(inp * 1000, 6), output=round(out * 1000, 6))

    def source(self, model: str) -> str:
        """``persona.toml`` for an override, else :data:`PRICE_SOURCE` and the provider."""
        if model in self.overrides:
            return "persona.toml"
        return f"{PRICE_SOURCE}, provider {self.provider}"


def price_table(llm: LlmSettings | None = None) -> PriceTable:
    """The prices for ``llm``'s endpoint, with its ``[llm.prices]`` overrides."""
    if llm is None:
        return PriceTable()
    return PriceTable(dict(llm.prices), provider_for(llm.base_url))


def price_for(model: str, prices: PriceTable) -> ModelPrice | None:
    """The price of ``model`` per 1M tokens, or None when unknown."""
    return prices.price(model)


def cost_usd(
    model: str, input_tokens: int | None, output_tokens: int | None, prices: PriceTable
) -> float | None:
    """Cost of one call in USD; None when the price or a token count is unknown."""
    if input_tokens is None or output_tokens is None:
        return None
    return prices.cost(model, input_tokens, output_tokens)


def format_cost(cost: float | None) -> str:
    """A cost for people: ``$0.0123``, ``$1,234.5000`` or ``unknown``."""
    return "unknown" if cost is None else f"${cost:,.4f}"
