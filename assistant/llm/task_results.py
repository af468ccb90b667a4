"""What a structured task takes and gives back: the job, its usage, results and errors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel

from assistant.errors import PersonaError
from assistant.llm.budget import Estimate
from assistant.llm.cassettes import MissingFixtureError
from assistant.llm.runlog import RunLog

T = TypeVar("T", bound=BaseModel)


@dataclass(frozen=True)
class Usage:
    """Tokens and cost of one task, all attempts (retries, re-asks) included."""

    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float | None = 0.0
    """None when any attempt's cost is unknown (unknown price or token count)."""
    attempts: int = 0
    model: str = ""
    fixture: bool = False

    def plus(self, inp: int | None, out: int | None, cost: float | None, model: str) -> Usage:
        """This usage with one more attempt added."""
        total = None if self.cost_usd is None or cost is None else self.cost_usd + cost
        return Usage(
            self.input_tokens + (inp or 0),
            self.output_tokens + (out or 0),
            total,
            self.attempts + 1,
            model or self.model,
            self.fixture,
        )


class LlmTaskError(PersonaError):
    """A task failed after its retries or re-asks; carries the usage spent on it."""

    def __init__(self, message: str, *, task: str, usage: Usage, fatal: bool = False) -> None:
        super().__init__(message)
        self.task = task
        self.usage = usage
        self.fatal = fatal


class OutputLengthError(LlmTaskError):
    """The model stopped at the output token limit (finish_reason=length)."""

    def __init__(
        self, message: str, *, task: str, usage: Usage, limit: int, repetitive: bool = False
    ) -> None:
        super().__init__(message, task=task, usage=usage)
        self.limit = limit
        """The output-token cap the answer was cut at."""
        self.repetitive = repetitive
        """The cut answer repeats itself (a runaway answer), so more room would not help."""


class InvalidOutputError(LlmTaskError):
    """The reply never matched the output schema, re-asks included."""


class EndpointError(LlmTaskError):
    """The endpoint failed (retries exhausted, or an error retrying cannot fix)."""


@dataclass
class Checked(Generic[T]):
    """A reply checked against what code knows (the ids, roles and keys it gave the model).

    ``value`` keeps only what is valid; ``problems`` say what was not: the
    session re-asks once with them and ``choices`` (the exact valid choices),
    then returns the value with the problems left as warnings. ``repairs`` say
    what was repaired without asking (a different case, a unique prefix).
    """

    value: T
    problems: list[str] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)
    choices: str = ""
    """What the re-ask adds after the problems, e.g. 'use only these ids: "a", "b"'."""


@dataclass(frozen=True)
class StructuredJob(Generic[T]):
    """One structured task to run.

    ``check`` (optional) checks a schema-valid reply against what code knows:
    see :class:`Checked`.
    """

    task: str
    prompt_file: Path
    variables: dict[str, Any]
    output_model: type[T]
    check: Callable[[T], Checked[T]] | None = field(default=None, compare=False, repr=False)
    on_length: Literal["grow", "raise"] = "grow"
    """On an answer cut at its cap: ``grow`` retries once with a larger cap when the
    model allows one; ``raise`` raises :class:`OutputLengthError` at once (extraction
    splits the window instead)."""


@dataclass
class JobResult(Generic[T]):
    """The outcome of one job in a batch: a value, an error, or skipped for budget."""

    job: StructuredJob[T]
    value: T | None = None
    usage: Usage | None = None
    error: LlmTaskError | MissingFixtureError | None = None
    skipped: bool = False
    run_id: str | None = None
    warnings: list[str] = field(default_factory=list)
    """What was repaired, left out or not matched in the answer (empty when nothing)."""

    @property
    def status(self) -> str:
        """``ok``, ``failed`` or ``skipped``."""
        if self.skipped:
            return "skipped"
        return "ok" if self.error is None else "failed"


@dataclass
class BatchResult(Generic[T]):
    """A finished batch: per-job results in input order, spend and why it stopped."""

    run_id: str
    estimate: Estimate
    results: list[JobResult[T]]
    spent_usd: float
    stopped_for_budget: bool
    runlog: RunLog = field(repr=False)
    reused: int = 0
    """Answers kept from earlier runs and used instead of calling."""

    @property
    def values(self) -> list[T | None]:
        """The validated objects (None where a job failed or was skipped)."""
        return [r.value for r in self.results]
