"""Retries: classify a failed attempt, and how long to wait before the next one."""

from __future__ import annotations

import contextlib
import email.utils
import random
import time

from assistant.errors import PersonaError
from assistant.llm.client import (
    NotOpenAiCompatibleError,
    find_cause,
)

MAX_BACKOFF_S = 30.0
MAX_RETRY_AFTER_S = 120.0


def classify_error(exc: BaseException) -> tuple[str, int | None, int | None]:
    """Attempt status for an exception, and token counts when the server sent them."""
    import openai

    if find_cause(exc, NotOpenAiCompatibleError) is not None:
        return "incompatible", None, None
    if not isinstance(exc, openai.OpenAIError | PersonaError):
        # The SDK or langchain choked on a reply that is not a chat completion.
        return "incompatible", None, None
    if isinstance(exc, openai.LengthFinishReasonError):
        u = exc.completion.usage
        return "length", u.prompt_tokens if u else None, u.completion_tokens if u else None
    if isinstance(exc, openai.APITimeoutError):
        return "timeout", None, None
    if isinstance(exc, openai.APIConnectionError):
        return "connection_error", None, None
    if isinstance(exc, openai.RateLimitError):
        return "rate_limited", None, None
    if isinstance(exc, openai.APIStatusError) and (
        exc.status_code >= 500 or exc.status_code in (408, 409)
    ):
        return "server_error", None, None
    return "error", None, None


def is_fatal(exc: BaseException) -> bool:
    """Errors that every other call would hit too: stop the batch."""
    import openai

    return isinstance(exc, openai.APIStatusError) and exc.status_code in (401, 403, 404)


def retry_after(exc: BaseException) -> float | None:
    """Seconds the server asked us to wait (``retry-after-ms`` or ``Retry-After``)."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    if (ms := headers.get("retry-after-ms")) is not None:
        with contextlib.suppress(ValueError):
            return min(float(ms) / 1000, MAX_RETRY_AFTER_S)
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return min(max(float(value), 0.0), MAX_RETRY_AFTER_S)
    except ValueError:
        when = email.utils.parsedate_to_datetime(value)
        if when is None:
            return None
        return min(max(when.timestamp() - time.time(), 0.0), MAX_RETRY_AFTER_S)


def backoff(base: float, retries: int) -> float:
    """Exponential backoff with up to 25 % jitter."""
    delay = min(base * (2**retries), MAX_BACKOFF_S)
    return delay * (1 + random.random() / 4)
