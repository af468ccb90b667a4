"""The chat model client: endpoint, server kind, structured-output method, ping.

Structured-output method (``[llm] structured_output``, ``PERSONA_STRUCTURED_OUTPUT``):
``json_schema``, ``function_calling`` or ``json_mode`` force one; ``auto``
picks per server kind:

============================  =================  ==========================================
server                        auto method        how it is recognised
============================  =================  ==========================================
OpenAI / Azure OpenAI         json_schema        no base_url, or an openai.com / azure host
vLLM                          json_schema        ``/v1/models`` entries ``owned_by: vllm``
Ollama                        json_schema        port 11434, "ollama" in the URL, or
                                                 ``owned_by: library``/``ollama``
llama-server (llama.cpp C++)  json_schema        ``owned_by: llamacpp``
llama-cpp-python              function_calling   ``owned_by: me`` (it rejects json_schema)
LM Studio, anything else      json_schema        (``owned_by: organization_owner``, ...)
============================  =================  ==========================================

``[llm] server`` (``PERSONA_LLM_SERVER``) names the kind and skips the probe.
The probe (one ``GET /models``) runs only in live and record mode; replay
uses the named kind or OpenAI. Every server other than OpenAI also gets
``max_tokens`` in the request body instead of ``max_completion_tokens``, because
llama.cpp (llama-server and llama-cpp-python) ignores ``max_completion_tokens``;
:func:`output_limit_kwargs` sets it per call (each task has its own cap, see
:mod:`assistant.llm.output_caps`).

The SDK's own retries are off (``max_retries=0``): :mod:`assistant.llm.session`
retries itself so every attempt is logged and costed.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from assistant.errors import PersonaError
from assistant.secrets import remember, scrub
from assistant.settings import LlmSettings, ServerKind, Settings

if TYPE_CHECKING:
    from langchain_openai import ChatOpenAI

REPLAY_API_KEY = "replay-mode-no-key"
"""Placeholder key for replay mode, where no request leaves the process."""

AUTO_METHOD: dict[str, str] = {
    "openai": "json_schema",
    "vllm": "json_schema",
    "ollama": "json_schema",
    "llama-server": "json_schema",
    "llama-cpp-python": "function_calling",
    "lmstudio": "json_schema",
    "other": "json_schema",
}

_OWNED_BY: dict[str, ServerKind] = {
    "vllm": "vllm",
    "llamacpp": "llama-server",
    "me": "llama-cpp-python",
    "library": "ollama",
    "ollama": "ollama",
    "openai": "openai",
    "system": "openai",
    "organization_owner": "lmstudio",
}


def guess_server_from_url(base_url: str | None) -> ServerKind | None:
    """The server kind implied by the URL alone, or None when it takes a probe."""
    if not base_url:
        return "openai"
    parts = urlsplit(base_url)
    host = (parts.hostname or "").lower()
    if host.endswith("openai.com") or host.endswith("openai.azure.com"):
        return "openai"
    if parts.port == 11434 or "ollama" in base_url.lower():
        return "ollama"
    return None


def probe_server(base_url: str, api_key: str | None, timeout: float = 5.0) -> ServerKind:
    """Ask ``GET {base_url}/models`` who owns the models; ``other`` when unsure."""
    import httpx2

    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    try:
        resp = httpx2.get(base_url.rstrip("/") + "/models", headers=headers, timeout=timeout)
        data = resp.json().get("data") or []
    except Exception:  # unreachable, not JSON, or intercepted: fall back to the default
        return "other"
    for entry in data:
        owner = str(entry.get("owned_by", "")).lower() if isinstance(entry, dict) else ""
        if owner in _OWNED_BY:
            return _OWNED_BY[owner]
    return "other"


def detect_server(llm: LlmSettings) -> ServerKind:
    """The server kind: the setting, else the URL, else a probe (live/record modes only)."""
    if llm.server != "auto":
        return llm.server
    guess = guess_server_from_url(llm.base_url)
    if guess is not None:
        return guess
    if llm.mode == "replay" or llm.base_url is None:
        return "other"
    if llm.base_url not in _PROBED:
        key = api_key_value(llm)
        _PROBED[llm.base_url] = probe_server(llm.base_url, key, timeout=min(llm.timeout_s, 5.0))
    return _PROBED[llm.base_url]


_PROBED: dict[str, ServerKind] = {}
"""Server kinds probed in this process, by base URL (one probe per endpoint)."""


def choose_method(llm: LlmSettings, server: ServerKind) -> str:
    """The structured-output method: forced by the settings, else per server kind."""
    if llm.structured_output != "auto":
        return llm.structured_output
    return AUTO_METHOD.get(server, "json_schema")


def api_key_value(llm: LlmSettings) -> str | None:
    """The key to send (replay mode sends a placeholder: no request leaves the process)."""
    if llm.mode == "replay":
        return REPLAY_API_KEY
    key = llm.api_key.get_secret_value() if llm.api_key else None
    remember(key)  # scrubbed from any text a server sends back
    return key


def make_http_client(llm: LlmSettings) -> Any:
    """An async HTTP client (``httpx2`` under openai 3) owned by one session and event loop.

    langchain-openai otherwise shares one cached client across event loops, which
    breaks after the first ``asyncio.run``. The pool allows every concurrent call
    its own connection.
    """
    import httpx2
    import openai

    size = max(2 * llm.max_concurrency, 16)
    return openai.DefaultAsyncHttpxClient(
        timeout=llm.timeout_s,
        limits=httpx2.Limits(max_connections=size, max_keepalive_connections=size),
        event_hooks={"response": [_check_content_type]},
    )


class NotOpenAiCompatibleError(PersonaError):
    """The server answered, but not like an OpenAI-compatible API (HTML, plain text…)."""

    def __init__(self, url: str, content_type: str) -> None:
        super().__init__(
            f"the server at {url} did not answer like an OpenAI-compatible API "
            f"(got {content_type or 'no content type'}): check OPENAI_BASE_URL "
            "(it usually ends in /v1)"
        )


async def _check_content_type(response: Any) -> None:
    """Refuse a successful reply that is not JSON before the SDK tries to parse it."""
    if response.status_code >= 300:
        return
    ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != "application/json" and not ctype.endswith("+json"):
        import json

        await response.aread()
        try:  # a JSON body under the wrong content type still works
            if isinstance(json.loads(response.content), dict):
                return
        except ValueError:
            pass
        url = str(response.request.url)
        raise NotOpenAiCompatibleError(url.rsplit("/chat/completions", 1)[0], ctype)


def find_cause(exc: BaseException, kind: type[BaseException]) -> BaseException | None:
    """``exc`` or the first exception of type ``kind`` in its cause/context chain."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        if isinstance(cur, kind):
            return cur
        seen.add(id(cur))
        cur = cur.__cause__ or cur.__context__
    return None


def make_chat_model(
    llm: LlmSettings, server: ServerKind, http_async_client: Any = None
) -> ChatOpenAI:
    """A ChatOpenAI for the endpoint, with SDK retries off and our limits applied."""
    from langchain_openai import ChatOpenAI

    key = api_key_value(llm)
    if key is None:
        from assistant.errors import UsageError

        raise UsageError(
            "no API key: set OPENAI_API_KEY (any non-empty value for local servers "
            "that need none), or use replay mode (PERSONA_LLM_MODE=replay)"
        )
    extra_body = {"max_tokens": llm.max_output_tokens} if server != "openai" else None
    kwargs: dict[str, Any] = {
        "model": llm.model,
        "api_key": key,
        "base_url": llm.base_url,
        "temperature": llm.temperature,
        "timeout": llm.timeout_s,
        "max_retries": 0,
        "stream_usage": False,
    }
    if http_async_client is not None:
        kwargs["http_async_client"] = http_async_client
    if extra_body:
        kwargs["extra_body"] = extra_body
    else:
        kwargs["max_completion_tokens"] = llm.max_output_tokens
    return ChatOpenAI(**kwargs)


def output_limit_kwargs(server: str, cap: int) -> dict[str, Any]:
    """Per-call request arguments limiting the answer to ``cap`` tokens: OpenAI reads
    ``max_completion_tokens``; every other server gets ``max_tokens`` in the body."""
    if server == "openai":
        return {"max_completion_tokens": cap}
    return {"extra_body": {"max_tokens": cap}}


@dataclass(frozen=True)
class PingResult:
    """What one tiny call to the endpoint showed (for `persona doctor`)."""

    ok: bool
    model: str
    """The model the server says answered (the configured one when no reply)."""
    base_url: str
    server: str
    method: str
    latency_s: float
    error: str | None = None


async def aping(settings: Settings) -> PingResult:
    """One tiny chat call ("reply with OK", ≤ 8 output tokens); never raises for
    endpoint problems: they come back as ``ok=False`` with the error message."""
    llm = settings.llm
    base = llm.base_url or "https://api.openai.com/v1"
    start = time.perf_counter()
    server: ServerKind = "other"
    method = "?"
    try:
        server = await asyncio.to_thread(detect_server, llm)
        method = choose_method(llm, server)
        tiny = llm.model_copy(update={"max_output_tokens": 8})
        http = make_http_client(tiny)
        try:
            model = make_chat_model(tiny, server, http)
            msg = await model.ainvoke([("user", "Reply with the single word OK.")])
        finally:
            await http.aclose()
        name = str(msg.response_metadata.get("model_name") or llm.model)
        return PingResult(True, name, base, server, method, time.perf_counter() - start)
    except Exception as exc:  # a doctor reports, it does not crash
        return PingResult(
            False,
            llm.model,
            base,
            server,
            method,
            time.perf_counter() - start,
            describe_error(exc, llm.base_url),
        )


def ping(settings: Settings) -> PingResult:
    """Synchronous :func:`aping` (for the CLI)."""
    return asyncio.run(aping(settings))


def describe_error(exc: BaseException, base_url: str | None = None) -> str:
    """A one-line description of an endpoint error, scrubbed of secrets."""
    return scrub(_describe(exc, base_url))


def _describe(exc: BaseException, base_url: str | None) -> str:
    import openai

    where = base_url or "https://api.openai.com/v1"
    incompatible = find_cause(exc, NotOpenAiCompatibleError)
    if incompatible is not None:
        return str(incompatible)

    if isinstance(exc, openai.AuthenticationError):
        return "authentication failed (401): check OPENAI_API_KEY"
    if isinstance(exc, openai.NotFoundError):
        return "not found (404): check the model name (PERSONA_MODEL) and OPENAI_BASE_URL"
    if isinstance(exc, openai.APITimeoutError):
        return f"timed out: the server at {where} did not answer in time (is it running?)"
    if isinstance(exc, openai.APIConnectionError):
        return f"cannot connect to {where}: is the server running? (OPENAI_BASE_URL)"
    if isinstance(exc, openai.APIStatusError):
        ctype = exc.response.headers.get("content-type", "").split(";")[0].strip()
        if ctype and "json" not in ctype:
            return (
                f"HTTP {exc.status_code} from {where}: the server did not answer like an "
                f"OpenAI-compatible API (got {ctype})"
            )
        return f"HTTP {exc.status_code}: {scrub(str(exc))[:200]}"
    if isinstance(exc, PersonaError):
        return str(exc)
    if isinstance(exc, AttributeError | KeyError | TypeError | ValueError):
        return (
            f"the server at {where} did not answer like an OpenAI-compatible API "
            f"({type(exc).__name__}: {scrub(str(exc))[:120]})"
        )
    return f"{type(exc).__name__}: {scrub(str(exc))[:200]}"
