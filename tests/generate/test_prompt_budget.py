"""Bounded generation prompts: ranked evidence per theme within [llm] max_prompt_tokens."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from assistant.extract import StoredInsight
from assistant.generate import icp, messaging, personas
from assistant.generate.common import InterviewInfo, prompt_path, run_jobs
from assistant.generate.prompt_budget import (
    PER_THEME,
    PromptBudgetError,
    account_of,
    fit,
    rank_insights,
)
from assistant.llm.budget import plan_call
from assistant.llm.fake_server import FakeLlmServer
from assistant.schemas import PersonaDraft
from assistant.settings import load_settings
from assistant.workspace import Workspace
from tests.generate.helpers import generation_responder
from tests.support.cli import run_cli


def _insight(n: int, interview: str, statement: str, verified: bool = True) -> StoredInsight:
    status = "verified" if verified else "unverified"
    return StoredInsight(
        id=f"ins-{n:05d}",
        interview_id=interview,
        kind="pain",
        statement=statement,
        intensity="high" if n % 3 == 0 else "medium",
        metric=None,
        speaker="P",
        dmu_role="champion",
        model="m",
        prompt_version="1",
        fixture=False,
        evidence=[{"quote": f"{statement} - as said in {interview}", "status": status}],
    )


def _overflow_corpus(
    interviews: int = 600, per_interview: int = 5
) -> tuple[list[StoredInsight], list[list[str]], dict[str, InterviewInfo]]:
    """3,000 champion insights over 600 interviews of 200 accounts, in 30 themes."""
    infos = {
        f"iv-{i:04d}": InterviewInfo(f"iv-{i:04d}", dt.date(2026, 1, 1), f"acct-{i % 200}", {})
        for i in range(interviews)
    }
    insights: list[StoredInsight] = []
    themes: list[list[str]] = [[] for _ in range(30)]
    for n in range(interviews * per_interview):
        iv = f"iv-{n // per_interview:04d}"
        ins = _insight(
            n,
            iv,
            f"Invoice approvals stall for weeks while the team chases sign-off, case {n}",
            verified=n % 7 != 0,
        )
        insights.append(ins)
        if n % 4:  # three in four insights fall in a theme
            themes[n % 30].append(ins.id)
    return insights, themes, infos


def test_ranking_caps_each_theme_spreads_accounts_and_keeps_unthemed_last() -> None:
    insights, themes, infos = _overflow_corpus()
    ranked = rank_insights(insights, themes, account_of(infos))
    themed = {m for t in themes for m in t}
    head = [i for i in ranked if i.id in themed]
    assert len(head) == 30 * PER_THEME  # capped per theme
    first_round = ranked[:30]
    assert all(i.verified for i in first_round)  # strongest first
    for members in themes:
        chosen = [i for i in head if i.id in set(members)]
        accounts = [infos[i.interview_id].account for i in chosen]
        assert len(set(accounts)) == len(accounts)  # spread: no account twice in a theme
    assert all(i.id not in themed for i in ranked[len(head) :])


def test_a_corpus_built_to_overflow_is_fitted_under_the_default_budget() -> None:
    insights, themes, infos = _overflow_corpus()
    ranked = rank_insights(insights, themes, account_of(infos))
    limit = load_settings({}).llm.max_prompt_tokens
    assert limit == 24000

    def build(k: int) -> dict[str, str]:
        listed = {i.id for i in ranked[:k]}
        return {
            "study": "Product: Tallyflow",
            "role": "champion",
            "interviews": "600 (200 accounts)",
            "titles": "AP Manager",
            "themes": "(none)",
            "insights": "\n".join(
                f"- {i.id} {i.statement}\n  quote: {i.evidence[0]['quote']}"
                for i in insights
                if i.id in listed
            ),
        }

    everything = plan_call(prompt_path(personas.TASK), build(len(ranked)), est_output_tokens=0)
    assert everything.input_tokens > 2 * limit  # it really overflows
    fitted = fit(personas.TASK, prompt_path(personas.TASK), len(ranked), build, limit, PersonaDraft)
    recount = plan_call(
        prompt_path(personas.TASK), fitted.variables, PersonaDraft, est_output_tokens=0
    )
    assert recount.input_tokens == fitted.tokens <= limit
    assert 0 < fitted.kept < len(ranked)
    assert fitted.tokens > limit * 0.9  # the budget is used, not wasted
    (note,) = fitted.notes
    assert f"{fitted.kept:,} of {len(ranked):,} insights" in note and "24,000-token" in note


def test_a_prompt_that_cannot_fit_is_refused_not_sent() -> None:
    def build(k: int) -> dict[str, str]:
        return {
            "study": "Product: Tallyflow",
            "role": "champion " * 3000,
            "interviews": "1",
            "titles": "x",
            "themes": "(none)",
            "insights": "",
        }

    with pytest.raises(PromptBudgetError, match="nothing was sent"):
        fit(personas.TASK, prompt_path(personas.TASK), 10, build, 2000, PersonaDraft)


def test_run_jobs_refuses_an_over_budget_prompt_before_any_call(generated_ws: Workspace) -> None:
    settings = load_settings({"llm": {"max_prompt_tokens": 1000, "mode": "replay"}})
    big = {
        "role": "champion",
        "interviews": "1",
        "titles": "x",
        "themes": "(none)",
        "insights": "- pain " * 2000,
    }
    before = generated_ws.conn.execute("SELECT COUNT(*) FROM llm_calls").fetchone()[0]
    with pytest.raises(PromptBudgetError, match="exceeds \\[llm\\] max_prompt_tokens"):
        run_jobs(generated_ws, settings, personas.TASK, [big], PersonaDraft)
    after = generated_ws.conn.execute("SELECT COUNT(*) FROM llm_calls").fetchone()[0]
    assert after == before


def test_sample_corpus_prompts_are_complete_under_the_default_budget(
    generated_ws: Workspace,
) -> None:
    """Nothing is cut on the sample corpus: every insight a prompt had before is listed."""
    settings = load_settings({})
    for plan in personas.plan_personas(generated_ws, settings):
        assert plan.prompt.notes == [] and plan.prompt.kept == len(plan.group.insights)
    assert icp.icp_variables(generated_ws, icp.statistics(generated_ws), settings).notes == []
    for *_, fitted in messaging.plan_messaging(generated_ws, settings=settings):
        assert fitted.notes == []


def test_low_budget_reduces_every_step_and_notes_it_in_the_run_log_and_cli(
    generated_ws: Workspace,
) -> None:
    """The sample corpus against a 2,000-token budget: reduced prompts, notes, warnings.

    (Every persona prompt must be reduced: one that fits whole is the request the
    replayed analyze already answered, and its kept answer is used without a call.)"""
    limit = 2000
    settings = load_settings({"llm": {"max_prompt_tokens": limit}})
    for plan in personas.plan_personas(generated_ws, settings):
        assert plan.prompt.tokens <= limit
    # the ICP prompt of the sample corpus is ~17k tokens, its statistics alone ~4k
    icp_settings = load_settings({"llm": {"max_prompt_tokens": 8000}})
    fitted = icp.icp_variables(generated_ws, icp.statistics(generated_ws), icp_settings)
    assert fitted.tokens <= 8000 and fitted.notes and fitted.kept < fitted.total
    with FakeLlmServer(responder=generation_responder(), model="authored-fixture") as server:
        env = {
            "OPENAI_BASE_URL": server.base_url,
            "OPENAI_API_KEY": "test-key-not-secret",
            "PERSONA_MAX_PROMPT_TOKENS": str(limit),
            "PERSONA_MAX_OUTPUT_TOKENS": "16000",
        }
        res = run_cli("-w", str(generated_ws.root), "personas", "--json", env=env)
        assert res.code == 0, res.stderr
        notes = [n for o in res.json() for n in o["prompt_notes"]]
        assert notes and all("2,000-token budget" in n for n in notes)
        assert "warning: draft_personas persona:" in res.stderr
        sent = [r for r in server.requests if "Role:" in json.dumps(r.body)]
        assert len(sent) == len(res.json())
        for r in sent:
            user = next(m["content"] for m in r.body["messages"] if m["role"] == "user")
            listed = set(re.findall(r"^- (\S+) \[", user, re.M))
            assert listed  # strongest evidence is still there
    row = generated_ws.conn.execute(
        "SELECT note FROM runs WHERE label = ? ORDER BY started_at DESC, rowid DESC LIMIT 1",
        (personas.TASK,),
    ).fetchone()
    assert row is not None and "prompt reduced to the 2,000-token budget" in row["note"]


def test_a_reduced_icp_prompt_lists_only_themes_with_a_listed_insight(
    generated_ws: Workspace,
) -> None:
    """Themes grow with the corpus: a reduced ICP prompt lists the themes whose insights it
    lists and counts the rest in one line (at 1,250 interviews every theme listed, each with
    its member ids, was over 24,000 tokens on its own and the ICP could not be drafted)."""
    stats = icp.statistics(generated_ws)
    whole = icp.icp_variables(generated_ws, stats, load_settings({}))
    every = [x for x in whole.variables["themes"].splitlines() if x.startswith("- ")]
    fitted = icp.icp_variables(
        generated_ws, stats, load_settings({"llm": {"max_prompt_tokens": 6000}})
    )
    assert fitted.tokens <= 6000 and 0 < fitted.kept < fitted.total
    listed = set(re.findall(r"^- (\S+) \[", fitted.variables["insights"], re.M))
    *shown, last = fitted.variables["themes"].splitlines()
    hidden = len(every) - len(shown)
    assert (
        hidden > 0 and last == f"- ({hidden} more themes, none of their insights listed for length)"
    )
    assert shown and all(listed & set(re.findall(r"[\w-]+:[\w:-]+", line)) for line in shown)
