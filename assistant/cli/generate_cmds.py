"""`persona themes`, `personas`, `icp`, `messaging` and `analyze`: evidence-backed drafts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Annotated

import typer

from assistant.cli.llm_cmds import BudgetOption, llm_settings
from assistant.cli.root import (
    JsonOption,
    NoRedactOption,
    NoWaitOption,
    app,
    emit_json,
    info,
    open_workspace,
    state,
    warn,
)
from assistant.wording import count

if TYPE_CHECKING:
    from assistant.generate.analyze import AnalyzeReport
    from assistant.llm.budget import Estimate
    from assistant.settings import Settings
    from assistant.workspace import Workspace


def _progress(done: int, total: int, label: str) -> None:
    info(f"[{done}/{total}] {label}")


@app.command("themes")
def themes_cmd(
    budget: BudgetOption = None,
    json_out: JsonOption = False,
    force: Annotated[
        bool, typer.Option("--force", help="Name the themes again even when nothing changed.")
    ] = False,
) -> None:
    """Cluster insights across interviews into themes, name them, store them for review.

    Makes no model call when nothing changed since the last complete naming.
    """
    from assistant.generate import generate_themes

    ws = open_workspace()
    result = generate_themes(ws, llm_settings(ws, budget), progress=_progress, force=force)
    if json_out:
        emit_json(result.to_json())
        return
    if not result.named:
        info("themes unchanged since the last naming: no model call (--force names them again)")
    warn(result.warnings)
    for t in result.themes:
        roles = ", ".join(f"{r} {n}" for r, n in t.by_role.items())
        typer.echo(
            f"{t.item_id}  [{t.kind}] {t.label}: {count(len(t.interviews), 'interview')} "
            f"({t.share:.0%}), {count(len(t.accounts), 'account')}; roles: {roles}"
        )
    typer.echo("saturation (new themes per interview, by date):")
    for s in result.saturation:
        typer.echo(
            f"  {s['date'] or '—'} {s['interview_id']}: +{s['new_themes']} = {s['total_themes']}"
        )
    if result.unsupported:
        typer.echo(
            f"{count(len(result.unsupported), 'insight')} without a verified quote were not clustered"
        )


def _warn_notes(notes: Iterable[str]) -> None:
    """What a prompt left out to fit the token budget, on stderr (each once)."""
    warn(notes)


@app.command("personas")
def personas_cmd(budget: BudgetOption = None, json_out: JsonOption = False) -> None:
    """Draft one buyer persona per DMU role from insights and themes; store them for review."""
    from assistant.generate import generate_personas

    ws = open_workspace()
    outcomes = generate_personas(ws, llm_settings(ws, budget), progress=_progress)
    _warn_notes(n for o in outcomes for n in o.prompt_notes)
    if not json_out:
        warn(w for o in outcomes for w in o.run_warnings)
    if json_out:
        emit_json([o.to_json() for o in outcomes])
        return
    for o in outcomes:
        data = o.to_json()
        typer.echo(
            f"{o.item.id}  {o.item.title}: {data['claims']} claims, {data['assumptions']} "
            f"assumptions, {count(len(o.group.interviews), 'interview')} ({o.action})"
        )


@app.command("icp")
def icp_cmd(budget: BudgetOption = None, json_out: JsonOption = False) -> None:
    """Draft the ICP beside code-computed statistics, caveats and the fit count."""
    from assistant.generate import generate_icp

    ws = open_workspace()
    outcome = generate_icp(ws, llm_settings(ws, budget), progress=_progress)
    _warn_notes(outcome.prompt_notes)
    if not json_out:
        warn(outcome.warnings)
    from assistant.segments import compute_segments

    seg = compute_segments(ws)
    by_segment = {s.name: {"fit": s.fit[0], "accounts": s.fit[1]} for s in seg.segments if s.fit}
    if json_out:
        emit_json(outcome.to_json() | {"segment": seg.icp_home(), "fit_by_segment": by_segment})
        return
    typer.echo(f"{outcome.item.id}  {outcome.item.title} ({outcome.action})")
    for field, claims in outcome.item.fields.items():
        typer.echo(f"{field}:")
        for c in claims:
            mark = {"supported": "", "secondhand": f" [{c.secondhand_label}]"}.get(
                c.status, " [assumption]"
            )
            typer.echo(
                f"  - {c.text} ({count(c.support.interviews, 'interview')}, "
                f"{count(c.support.accounts, 'account')}){mark}"
            )
    typer.echo(f"fit: {outcome.fit_text} (criteria: {outcome.criteria})")
    typer.echo(f"segment: the ICP sits in {seg.icp_home() or 'no segment (no account fits)'}")
    for name, fit in by_segment.items():
        typer.echo(f"  {name}: {fit['fit']} of {fit['accounts']} interviewed accounts fit")
    typer.echo(outcome.statistics.to_markdown())


@app.command("messaging")
def messaging_cmd(
    persona: Annotated[
        str | None, typer.Option("--persona", help="Persona key, id or part of its name.")
    ] = None,
    role: Annotated[str | None, typer.Option("--role", help="Write for this DMU role.")] = None,
    budget: BudgetOption = None,
    json_out: JsonOption = False,
) -> None:
    """Draft messaging per persona and DMU role; messages citing no insight are flagged.

    With --persona and --role, drafts one cell of the grid, any role for any
    persona. The estimate is printed first; over --budget nothing is called.
    """
    from assistant.generate import generate_messaging
    from assistant.generate.messaging import estimate_messaging
    from assistant.llm.budget import estimate_lines

    ws = open_workspace()
    settings = llm_settings(ws, budget)
    info("estimate:")
    for line in estimate_lines(estimate_messaging(ws, settings, persona, role)):
        info(f"  {line}")
    outcomes = generate_messaging(ws, settings, persona=persona, role=role, progress=_progress)
    _warn_notes(n for o in outcomes for n in o.prompt_notes)
    if not json_out:
        warn(w for o in outcomes for w in o.warnings)
    if json_out:
        emit_json([o.to_json() for o in outcomes])
        return
    for o in outcomes:
        typer.echo(f"{o.item.id}  {o.item.title} ({o.action})")
        for text in o.flagged:
            typer.echo(f"  flagged (cites no insight): {text[:100]}")


@app.command("analyze")
def analyze_cmd(
    force: Annotated[
        bool, typer.Option("--force", help="Re-run every generation step even when unchanged.")
    ] = False,
    batch: Annotated[
        bool,
        typer.Option(
            "--batch",
            help="Extract through the provider's Batch API (half price, within 24 h); run "
            "again to collect it and continue with themes, personas, ICP and messaging.",
        ),
    ] = False,
    no_retry: Annotated[
        bool,
        typer.Option(
            "--no-retry", help="With --batch: report failed batch lines instead of retrying them."
        ),
    ] = False,
    budget: BudgetOption = None,
    json_out: JsonOption = False,
    no_wait: NoWaitOption = False,
    no_redact: NoRedactOption = False,
) -> None:
    """Run extract → themes → personas → ICP → messaging, only what changed, within budget.

    The estimate of every step comes first; over --budget nothing is called.
    Approved or edited review items are never overwritten: see `persona review list`.
    """
    from assistant.generate import analyze, estimate_pipeline
    from assistant.generate.analyze import ThemePlans

    if no_wait:
        state.no_wait = True
    state.no_redact = state.no_redact or no_redact
    ws = open_workspace()
    settings = llm_settings(ws, budget)
    if batch:
        _analyze_batch(ws, settings, force, not no_retry, json_out)
        return
    from assistant.generate.analyze_batch import pending_batches

    for b in pending_batches(ws):
        info(
            f"warning: batch {b.id} ({len(b.custom_ids)} extraction requests) is not collected: "
            "interviews it covers are extracted again now; `persona analyze --batch` collects it"
        )
    plans = ThemePlans(None)
    est = estimate_pipeline(ws, settings, force, plans=plans)
    _print_estimate(est)
    report = analyze(ws, settings, force=force, progress=_progress, plans=plans)
    if json_out:
        _warn_notes(n for s in report.steps for n in s.notes)
        emit_json(report.to_json())
    else:
        _print_report(report)


def _print_estimate(est: Estimate, at_batch_price: bool = False) -> None:
    from assistant.llm.budget import estimate_lines

    info(
        "estimate of the steps that will run"
        + (" (extraction at the batch price):" if at_batch_price else ":")
    )
    for line in estimate_lines(est):
        info("  " + line)


def _print_report(report: AnalyzeReport) -> None:
    _warn_notes(n for s in report.steps for n in s.notes)
    warn(report.warnings)
    for s in report.steps:
        counts: dict[str, int] = {}
        for action in s.changes.values():
            counts[action] = counts.get(action, 0) + 1
        summary = ", ".join(f"{n} {a}" for a, n in sorted(counts.items())) or "nothing changed"
        warned = f"; {count(len(s.warnings), 'warning')}" if s.warnings else ""
        typer.echo(f"{s.step}: {s.status}, {count(s.calls, 'call')}; {summary}{warned}")
        if not s.complete:
            typer.echo(f"  {s.step} is incomplete: run `persona analyze` again to retry it")
    pending = [k for s in report.steps for k, a in s.changes.items() if a == "pending"]
    if pending:
        typer.echo(
            f"{len(pending)} reviewed items have a new version waiting: "
            "`persona review show ID`, then `accept` or `keep`"
        )


def _analyze_batch(
    ws: Workspace, settings: Settings, force: bool, retry: bool, json_out: bool
) -> None:
    """`analyze --batch`: wait for, collect or submit the extraction batch, or run the rest."""
    from assistant.generate.analyze_batch import analyze_batch

    result = analyze_batch(ws, settings, force=force, retry=retry, progress=_progress)
    _warn_notes(result.notes)
    if result.estimate is not None:
        _print_estimate(result.estimate, at_batch_price=True)
    if json_out:
        if result.report is not None:
            _warn_notes(n for s in result.report.steps for n in s.notes)
        emit_json(result.to_json())
    elif result.report is not None:
        _print_report(result.report)
    again = "run `persona analyze --batch` again once it is completed"
    for b in result.batches:
        counts = ", ".join(f"{k} {v}" for k, v in b.counts.items())
        verb = {"submitted": "submitted", "done": "collected"}.get(result.state, b.status)
        if not json_out:
            typer.echo(f"batch {b.id}: {len(b.custom_ids)} extraction requests {verb} ({counts})")
        if result.state != "done":
            info(
                f"follow it with `persona batch status {b.id}`; {again}: it collects the results "
                "and runs themes, personas, ICP and messaging"
            )
