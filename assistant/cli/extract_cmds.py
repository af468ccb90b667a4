"""`persona extract`, `persona insights`, `persona summarize`: evidence-backed extraction."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from assistant.cli import filter_opts as F
from assistant.cli.evidence_text import EVIDENCE_MARKS, evidence_line
from assistant.cli.llm_cmds import BudgetOption, llm_settings
from assistant.cli.root import (
    JsonOption,
    NoRedactOption,
    app,
    emit_json,
    info,
    open_workspace,
    state,
    warn,
)
from assistant.demo import demo_text
from assistant.errors import UsageError
from assistant.wording import count

if TYPE_CHECKING:
    from assistant.extract.pipeline import ExtractionOutcome


@app.command("extract")
def extract_cmd(
    ids: Annotated[
        list[str] | None, typer.Argument(help="Interview ids (or unique prefixes).")
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every interview in the workspace.")] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Re-extract even when nothing changed.")
    ] = False,
    budget: BudgetOption = None,
    batch: Annotated[
        bool,
        typer.Option(
            "--batch",
            help="Submit through the provider's Batch API (half price, results within 24 h); "
            "collect with `persona batch collect ID`.",
        ),
    ] = False,
    json_out: JsonOption = False,
    no_redact: NoRedactOption = False,
) -> None:
    """Extract insights, company facts and the buying process; verify every quote.

    Only interviews whose content, prompt version or model changed are sent
    (--force sends them anyway). Exit code 1 when any interview failed.
    """
    from assistant.extract import extract_interviews, plan_extraction
    from assistant.llm.budget import estimate_calls
    from assistant.llm.pricing import format_cost

    if bool(ids) == all_:
        raise UsageError("give interview ids or --all (not both)")
    state.no_redact = state.no_redact or no_redact
    ws = open_workspace()
    settings = llm_settings(ws, budget)
    planned = plan_extraction(ws, settings, ids, force)
    est = estimate_calls(planned, settings.llm, ws.conn)
    cost = est.est_cost_usd
    if batch and cost is not None:
        from assistant.llm.batch import BATCH_DISCOUNT

        cost *= BATCH_DISCOUNT
    info(
        f"estimate: {count(est.calls, 'call')}, {est.input_tokens:,} input + ~{est.est_output_tokens:,} "
        f"output tokens, {format_cost(cost)} with {est.model}"
        + (" at the batch price" if batch else "")
        + (
            f" (budget {format_cost(settings.llm.budget_usd)})"
            if settings.llm.budget_usd is not None
            else ""
        )
    )

    def progress(done: int, total: int, iid: str) -> None:
        info(f"[{done}/{total}] {iid}")

    if batch:
        from assistant.extract.batch import submit_extraction
        from assistant.llm.batch import recover
        from assistant.llm.budget import check_budget

        warn(recover(ws, settings))
        check_budget(dataclasses.replace(est, est_cost_usd=cost), settings.llm.budget_usd)
        stored = submit_extraction(ws, settings, ids, force)
        if stored is None:
            info("nothing to extract: every selected interview is current")
            if json_out:
                emit_json(None)
            return
        if json_out:
            emit_json(stored.to_json())
        else:
            typer.echo(f"batch {stored.id}: {len(stored.custom_ids)} requests submitted")
        info(
            f"check with `persona batch status {stored.id}`, store with `persona batch collect {stored.id}`"
        )
        return
    outcomes = extract_interviews(ws, settings, ids, force, progress=progress)
    report_outcomes(outcomes, json_out)


def report_outcomes(outcomes: Sequence[ExtractionOutcome], json_out: bool) -> None:
    """Print extraction outcomes (one line each, or JSON); exit 1 naming the failed ones.

    Each outcome's warnings (what was repaired or dropped, a window without
    findings, another language) follow it on stderr (``warnings`` in JSON).
    """
    if json_out:
        emit_json([o.to_json() for o in outcomes])
    else:
        for o in outcomes:
            if o.failed:
                typer.echo(f"{o.interview_id}: {o.status}: {o.error}")
            else:
                typer.echo(
                    f"{o.interview_id}: {o.status}, {count(o.insights, 'insight')}, quotes "
                    f"{o.verified} verified / {o.unverified} unverified / {o.note} from notes"
                    + (
                        f" / {o.unattributed} unattributed (assign speakers: persona speakers"
                        f" {o.interview_id})"
                        if o.unattributed
                        else ""
                    )
                )
            warn(f"{o.interview_id}: {w}" for w in o.warnings)
    failed = [o.interview_id for o in outcomes if o.failed]
    if failed:
        info(f"{len(failed)} failed; retry with: persona extract {' '.join(failed)}")
        raise typer.Exit(1)


@app.command("insights")
def insights_cmd(
    interview: Annotated[
        str | None, typer.Option("--interview", help="Only this interview (id or prefix).")
    ] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", help="Only this kind (pain, aha_moment, result...).")
    ] = None,
    company: F.Company = None,
    industry: F.Industry = None,
    segment: F.Segment = None,
    role: F.Role = None,
    tag: F.Tag = None,
    json_out: JsonOption = False,
) -> None:
    """List extracted insights with their quotes and verification status."""
    from assistant.extract import list_insights
    from assistant.library import resolve_interview_id
    from assistant.schemas import InsightKind

    if kind is not None and kind not in InsightKind.__members__:
        raise UsageError(f"unknown kind {kind!r}: choose from {', '.join(InsightKind)}")
    ws = open_workspace()
    iid = resolve_interview_id(ws, interview) if interview else None
    items = list_insights(ws, iid, kind)
    flt = F.make_filter(company, industry, segment, role, tag)
    if flt.active:
        from assistant.selection import filter_insights

        items = filter_insights(ws, flt, items)
        shown = len({i.interview_id for i in items})
        info(
            f"{count(len(items), 'insight')} from {count(shown, 'interview')} "
            f"matching {flt.describe()}"
        )
    if json_out:
        emit_json([i.to_json() for i in items])
        return
    if not items:
        info("no insights yet: run `persona extract --all`")
        return
    from assistant.library.speaker_names import shown_speaker, speaker_names

    names = speaker_names(ws.conn)
    for item in items:
        flag = "" if item.verified else "  [no verified evidence]"
        typer.echo(f"{item.id}  [{item.kind}] {item.statement}{flag}")
        who = shown_speaker(names, item.interview_id, item.speaker)
        typer.echo(f"    {who} ({item.dmu_role or 'role unknown'})")
        for e in item.evidence:
            typer.echo("    " + evidence_line(e))


@app.command("summarize")
def summarize_cmd(
    ids: Annotated[
        list[str] | None, typer.Argument(help="Interview ids (or unique prefixes).")
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every interview.")] = False,
    tag: Annotated[str | None, typer.Option("--tag", help="Interviews with this tag.")] = None,
    company: Annotated[
        str | None, typer.Option("--company", help="Interviews of this company.")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the Markdown (or JSON) to this file.")
    ] = None,
    budget: BudgetOption = None,
    json_out: JsonOption = False,
) -> None:
    """Summarise extracted interviews: top themes with support counts, quotes, DMU differences."""
    import json

    from assistant.extract import select_interviews, summarize

    chosen = sum([bool(ids), all_, tag is not None, company is not None])
    if chosen != 1:
        raise UsageError("choose the interviews with one of: ids, --all, --tag T, --company C")
    ws = open_workspace()
    selection = select_interviews(ws, ids or (), tag=tag, company=company)
    if not selection:
        raise UsageError("no interview matches that selection: see `persona interviews`")
    info(f"summarising {count(len(selection), 'interview')}")
    result = summarize(ws, llm_settings(ws, budget), selection)
    if not json_out:
        warn(result.warnings)
    text = (
        json.dumps(result.to_json(), indent=2, ensure_ascii=False) + "\n"
        if json_out
        else result.markdown
    )
    if out is not None:
        out.write_text(text, encoding="utf-8")
        info(f"wrote {out}")
    elif json_out:
        emit_json(result.to_json())
    else:
        typer.echo(text, nl=False)


@app.command("ask")
def ask_cmd(
    question: Annotated[str, typer.Argument(help="What you want to know from the interviews.")],
    k: Annotated[int, typer.Option("-k", min=1, help="Passages given to the model.")] = 8,
    company: F.Company = None,
    industry: F.Industry = None,
    segment: F.Segment = None,
    role: F.Role = None,
    tag: F.Tag = None,
    budget: BudgetOption = None,
    json_out: JsonOption = False,
) -> None:
    """Answer a question from participant quotes; every citation checked against its transcript."""
    from assistant.ask import QUOTES_ONLY, answer_question
    from assistant.selection import select_interviews

    ws = open_workspace()
    flt = F.make_filter(company, industry, segment, role, tag)
    interviews = set(select_interviews(ws, flt)) if flt.active else None
    if flt.active:
        info(f"asking {count(len(interviews or ()), 'interview')} matching {flt.describe()}")
    answer = answer_question(ws, llm_settings(ws, budget), question, k, interviews=interviews)
    if answer.quotes_only:
        answer = dataclasses.replace(answer, quotes_only=demo_text(ws.root, answer.quotes_only))
        info(f"warning: {QUOTES_ONLY} ({answer.quotes_only})")
    if json_out:
        emit_json(answer.to_json() | {"filter": flt.describe() or None})
        return
    typer.echo(answer.text)
    for c in answer.citations:
        where = f"{c.interview_id} turn {c.turn}" if c.turn is not None else (c.interview_id or "?")
        why = f" — {c.reason}" if c.reason else ""
        typer.echo(
            f'  [{c.number}] {EVIDENCE_MARKS.get(c.status, "?")} {c.status}: "{c.quote}" ({where}){why}'
        )
    if not answer.quotes_only:
        info(
            f"{answer.verified} verified, {answer.unverified} unverified citations; "
            f"model {answer.model}"
        )
