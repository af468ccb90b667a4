"""`persona preview TASK ID`: exactly what a task would send, without sending it.

The same code builds the request as a real call (:func:`~assistant.llm.request.redact_job`,
:func:`~assistant.llm.request.request_messages`): the prompt rendered from the
task's planned variables, redacted when ``[privacy] redact`` is on. Tasks:
``extract`` (ID: an interview; one request per window) and the generation
steps ``themes``, ``personas``, ``icp``, ``messaging`` (ID: the 1-based number
of the planned call, or ``all``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from assistant.errors import UsageError
from assistant.settings import Settings
from assistant.study import with_study
from assistant.wording import count
from assistant.workspace import Workspace

TASKS = ("extract", "themes", "personas", "icp", "messaging")


@dataclass(frozen=True)
class RequestPreview:
    """One request as it would be sent."""

    label: str
    task: str
    method: str
    redacted: bool
    system: str
    user: str
    replaced: int
    """How many distinct values were replaced by placeholders."""

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "task": self.task,
            "method": self.method,
            "redacted": self.redacted,
            "replaced": self.replaced,
            "messages": [
                {"role": "system", "content": self.system},
                {"role": "user", "content": self.user},
            ],
        }


def _jobs(
    ws: Workspace, settings: Settings, task: str, ident: str
) -> list[tuple[str, str, Path, dict[str, Any], type[BaseModel]]]:
    """(label, task name, prompt file, variables, output model) of the selected calls."""
    if task == "extract":
        from assistant.extract.pipeline import _plan

        targets, _ = _plan(ws, settings, [ident], True)
        return [
            (
                f"{t.iid} window {n}/{len(t.jobs)}",
                j.task,
                j.prompt_file,
                j.variables,
                j.output_model,
            )
            for t in targets
            for n, j in enumerate(t.jobs, 1)
        ]
    from assistant.generate.analyze import ThemePlans, _plans_for
    from assistant.generate.common import prompt_path
    from assistant.schemas import IcpDraft, MessagingDraft, PersonaDraft, ThemeNames

    models: dict[str, type[BaseModel]] = {
        "themes": ThemeNames,
        "personas": PersonaDraft,
        "icp": IcpDraft,
        "messaging": MessagingDraft,
    }
    name, planned = _plans_for(task, ws, settings, ThemePlans(None))
    if not planned:
        raise UsageError(f"`{task}` has nothing to send yet: run the steps before it first")
    picked = list(enumerate(planned, 1))
    if ident != "all":
        try:
            number = int(ident)
        except ValueError:
            raise UsageError(f"ID for {task} is a call number 1-{len(planned)} or 'all'") from None
        if not 1 <= number <= len(planned):
            raise UsageError(
                f"{task} plans {count(len(planned), 'call')}: give a number 1-{len(planned)}"
            )
        picked = [(number, planned[number - 1])]
    return [
        (
            f"{task} call {n}/{len(planned)}",
            name,
            prompt_path(name),
            with_study(dict(v), settings),
            models[task],
        )
        for n, v in picked
    ]


def preview_requests(
    ws: Workspace, settings: Settings, task: str, ident: str
) -> list[RequestPreview]:
    """The requests ``task`` would send for ``ident``, exactly as sent."""
    from assistant.llm.client import choose_method, guess_server_from_url
    from assistant.llm.prompts import load_prompt
    from assistant.llm.request import redact_job, request_messages
    from assistant.llm.schemas import strict_json_schema
    from assistant.llm.task_results import StructuredJob
    from assistant.privacy import workspace_redactor

    if task not in TASKS:
        raise UsageError(f"unknown task {task!r}: choose from {', '.join(TASKS)}")
    server = settings.llm.server
    if server == "auto":
        server = guess_server_from_url(settings.llm.base_url) or "other"
    method = choose_method(settings.llm, server)
    redactor = workspace_redactor(ws.conn) if settings.privacy.redact else None
    out: list[RequestPreview] = []
    for label, name, prompt_file, variables, model in _jobs(ws, settings, task, ident):
        job = StructuredJob(name, Path(prompt_file), variables, model)
        redacted = redact_job(job, redactor)
        replaced = len([v for k, v in redacted.mapping.items() if k in _used(redacted.variables)])
        system, user = request_messages(
            load_prompt(prompt_file), redacted.variables, strict_json_schema(model), method
        )
        out.append(
            RequestPreview(label, name, method, redactor is not None, system, user, replaced)
        )
    return out


def _used(variables: dict[str, Any]) -> set[str]:
    import json

    from assistant.privacy import PLACEHOLDER

    return set(PLACEHOLDER.findall(json.dumps(variables, ensure_ascii=False)))
