"""Shared bits of the LLM tests: a small output model and the test prompt."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from assistant.llm.schemas import StrictModel
from tests.support.paths import REPO

ECHO_PROMPT = REPO / "prompts" / "echo_task.md"
CASSETTES = REPO / "fixtures" / "cassettes"
TEST_KEY = "test-key-not-secret"


class EchoOut(StrictModel):
    """A title, language and keywords for a short text."""

    title: str = Field(description="Short title, at most 8 words.")
    language: str | None = Field(description="ISO 639-1 code, or null when unclear.")
    keywords: list[str] = Field(description="Up to three keywords from the text.")


def echo_object(body: dict) -> dict:
    """A canned valid EchoOut answer (a responder for the fake server)."""
    return {"title": "Greeting", "language": "en", "keywords": ["hello"]}


def copy_prompt(tmp: Path, extra_line: str = "") -> Path:
    """A copy of the echo prompt, optionally reworded (same variables)."""
    text = ECHO_PROMPT.read_text(encoding="utf-8").replace(
        "## User\n", f"## User\n{extra_line}\n" if extra_line else "## User\n"
    )
    path = tmp / "echo_task.md"
    path.write_text(text, encoding="utf-8")
    return path
