"""How many output tokens a planned call is expected to produce, per task.

Estimates need the output side too, and it is most of the cost. Per task, in
this order:

1. ``[llm] est_output_tokens`` when set: that many per call, for every task;
2. the run log's history for the task and model (successful live calls, the
   latest :data:`HISTORY_CALLS`): their mean output tokens per call, as the
   provider counted them (its tokenizer, not ours, so no per-token scaling);
3. else :data:`DEFAULTS`, calibrated on answers written the way a careful strong
   model answers (fixtures/realistic for extraction, the sample corpus's
   authored answers for the generation steps).

Each rule says where it came from, so `persona estimate` can show it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

HISTORY_CALLS = 200
"""Most recent logged calls of a task and model that the history uses."""


@dataclass(frozen=True)
class OutputRule:
    """Expected output tokens of one call: ``per_call + per_data_token * data_tokens``."""

    per_call: float
    per_data_token: float
    source: str
    """``persona.toml``, ``run log (N calls of MODEL)`` or ``default``."""

    def tokens(self, data_tokens: int) -> int:
        """Expected output tokens of a call carrying ``data_tokens`` of data."""
        return max(1, round(self.per_call + self.per_data_token * data_tokens))


DEFAULTS: dict[str, OutputRule] = {
    # Least-squares fit on fixtures/realistic: 13 windows of 745-2,970 transcript
    # tokens answered with 765-2,952 tokens; benchmarks/tokens.py prints its error
    # per step, and per interview left out of the fit.
    "extract_interview": OutputRule(75.0, 0.86, "default"),
    # fixtures/authored (sample corpus): mean output per call.
    "summarize_interviews": OutputRule(5000.0, 0.0, "default"),
    "name_themes": OutputRule(570.0, 0.0, "default"),
    "draft_personas": OutputRule(570.0, 0.0, "default"),
    "draft_icp": OutputRule(830.0, 0.0, "default"),
    "draft_messaging": OutputRule(590.0, 0.0, "default"),
    "answer_question": OutputRule(360.0, 0.0, "default"),
}
FALLBACK = OutputRule(600.0, 0.0, "default")
"""Any other task (a custom prompt): a guess, shown as such."""


def default_rule(task: str) -> OutputRule:
    """The calibrated default of ``task``."""
    return DEFAULTS.get(task, FALLBACK)


def output_rule(
    task: str,
    model: str,
    *,
    conn: sqlite3.Connection | None = None,
    override: int | None = None,
) -> OutputRule:
    """The rule a planned ``task`` call uses (see the module doc for the order)."""
    if override is not None:
        return OutputRule(float(override), 0.0, "persona.toml est_output_tokens")
    base = default_rule(task)
    if conn is None:
        return base
    outputs = _history(conn, task, model)
    if not outputs:
        return base
    source = f"run log ({len(outputs)} calls of {model})"
    return OutputRule(sum(outputs) / len(outputs), 0.0, source)


def _history(conn: sqlite3.Connection, task: str, model: str) -> list[int]:
    """Output tokens of the latest successful live calls of ``task`` with ``model``.

    Providers log dated model names (``gpt-4o-mini-2024-07-18``): those count for
    the configured ``gpt-4o-mini``. Replayed fixtures are left out.
    """
    rows = conn.execute(
        "SELECT output_tokens FROM llm_calls WHERE task = ? AND status = 'ok' "
        "AND fixture = 0 AND output_tokens > 0 "
        "AND (model = ? OR model LIKE ? ESCAPE '\\') ORDER BY rowid DESC LIMIT ?",
        (task, model, _like_prefix(model) + "-%", HISTORY_CALLS),
    ).fetchall()
    return [int(r[0]) for r in rows]


def _like_prefix(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
