"""The request as sent and the reply as read: redaction, messages, reply text, schema errors."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from assistant.llm.prompts import PromptFile
from assistant.llm.task_results import StructuredJob
from assistant.privacy import Redacted, Redactor


def redact_job(job: StructuredJob[Any], redactor: Redactor | None) -> Redacted:
    """The job's variables as they are sent (redacted when a redactor is given)."""
    if redactor is None:
        return Redacted(job.variables, {})
    return redactor.redact_variables(job.variables)


def request_messages(
    prompt: PromptFile, variables: dict[str, Any], schema: dict[str, Any], method: str
) -> tuple[str, str]:
    """(system, user) exactly as sent for ``variables`` (json_mode adds the schema)."""
    rendered = prompt.render(variables)
    system = rendered.system
    if method == "json_mode":
        import json

        system += (
            "\n\nReply with one JSON object, and nothing else, that matches this JSON "
            f"schema:\n{json.dumps(schema)}"
        )
    return system, rendered.user


def short_errors(exc: ValidationError) -> str:
    parts = [
        f"{'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['msg']}" for e in exc.errors()[:8]
    ]
    return "; ".join(parts)


def reply_text(raw: Any) -> str:
    """What the model said (content, or its tool-call arguments) for the re-ask history."""
    calls = (getattr(raw, "additional_kwargs", {}) or {}).get("tool_calls") or []
    if calls:
        return str(calls[0].get("function", {}).get("arguments", ""))
    content = getattr(raw, "content", "")
    return content if isinstance(content, str) else str(content)


REFUSAL_OPENINGS = (
    "i can't",
    "i cannot",
    "i can not",
    "i'm sorry",
    "i am sorry",
    "i'm unable",
    "i am unable",
    "i won't",
    "sorry, i",
    "as an ai",
)
"""How a refusal written as prose begins (an API ``refusal`` field is read first)."""


def refusal_text(raw: Any) -> str | None:
    """The model's refusal (the ``refusal`` field, or prose that opens like one), else None."""
    kwargs = getattr(raw, "additional_kwargs", {}) or {}
    refusal = kwargs.get("refusal")
    if isinstance(refusal, str) and refusal.strip():
        return refusal.strip()
    text = reply_text(raw).strip()
    if text and not text.startswith(("{", "[")):
        opening = text.casefold().replace("\u2019", "'")
        if opening.startswith(REFUSAL_OPENINGS):
            return text
    return None


def sent_text(text: str, mapping: dict[str, str]) -> str:
    """``text`` as it may be sent in a request redacted with ``mapping`` (placeholder → value)."""
    for token, value in sorted(mapping.items(), key=lambda kv: len(kv[1]), reverse=True):
        if value:
            text = text.replace(value, token)
    return text


def cut_text(exc: BaseException) -> str:
    """The text of an answer the SDK refused as cut (``LengthFinishReasonError``), or ""."""
    completion = getattr(exc, "completion", None)
    choices = getattr(completion, "choices", None) or []
    if not choices:
        return ""
    message = choices[0].message
    calls = getattr(message, "tool_calls", None) or []
    if calls:
        return str(calls[0].function.arguments or "")
    return str(message.content or "")
