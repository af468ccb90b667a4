"""Secrets never leave the key holder: scrub any text before it is printed, logged or stored.

The secrets we know are the *configured* ones: the values of the secret
environment variables of :data:`assistant.settings.SECRET_ENV` (``OPENAI_API_KEY``)
and any key a caller handed to :func:`remember` (the key actually sent).
Besides those, anything shaped like a credential is scrubbed too, because a
server may echo a token we never saw: ``Bearer <token>`` / ``Authorization:``
values and ``sk-…`` style API keys.

:func:`scrub` is applied at every boundary where server text enters our
output: error descriptions (:func:`assistant.llm.client.describe_error`), the
run log (:class:`assistant.llm.runlog.RunLog`), the CLI's one-line errors and
export files (:mod:`assistant.export.writer`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping

REDACTED = "[redacted]"
_MIN_SECRET = 6
"""Shorter values are not treated as secrets (replacing them would mangle ordinary text)."""

_REMEMBERED: set[str] = set()

_CREDENTIAL_PATTERNS = (
    # "Bearer abc..." anywhere (headers echoed in bodies, JSON, reprs).
    re.compile(r"(?i)(bearer\s+)(?=[A-Za-z0-9._~+/=\-]*[0-9])[A-Za-z0-9._~+/=\-]{12,}"),
    # "Authorization: xyz" / "'authorization': 'xyz'" / "api-key=xyz" / "x-api-key": "xyz"
    re.compile(
        r"(?i)((?:authorization|x-api-key|api[-_]?key)[\"']?\s*[:=]\s*[\"']?)"
        r"(?!bearer\s)(?!\[redacted\])[^\s\"',}]{8,}"
    ),
    # OpenAI-style keys (sk-..., sk-proj-...), even without a Bearer prefix.
    re.compile(r"()\bsk-[A-Za-z0-9_\-]{8,}"),
)


def remember(value: str | None) -> None:
    """Add a secret this process uses (the API key it sends) to those scrubbed."""
    if value and len(value) >= _MIN_SECRET:
        _REMEMBERED.add(value)


def configured_secrets(environ: Mapping[str, str] | None = None) -> list[str]:
    """The configured secret values (secret env vars and remembered keys), longest first."""
    from assistant.settings import SECRET_ENV

    env = os.environ if environ is None else environ
    values = {env[name] for name in SECRET_ENV if env.get(name)}
    values |= _REMEMBERED
    return sorted((v for v in values if len(v) >= _MIN_SECRET), key=len, reverse=True)


def scrub(text: str, secrets: Iterable[str] | None = None) -> str:
    """``text`` without the configured secrets, bearer tokens or API-key-shaped values."""
    if not text:
        return text
    for value in configured_secrets() if secrets is None else secrets:
        text = text.replace(value, REDACTED)
    for pattern in _CREDENTIAL_PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + REDACTED, text)
    return text
