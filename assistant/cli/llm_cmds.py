"""`persona config`, `persona runs`, `persona estimate`: the LLM layer's commands.

Other commands that call the LLM build their settings with :func:`llm_settings`,
which applies the global ``--record DIR`` option and a ``--budget`` override.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from assistant.cli.root import (
    JsonOption,
    NoRedactOption,
    app,
    emit_json,
    info,
    open_workspace,
    state,
)
from assistant.errors import UsageError, WorkspaceNotFoundError
from assistant.settings import Settings, load_settings
from assistant.workspace import Workspace

BudgetOption = Annotated[
    float | None,
    typer.Option("--budget", min=0, help="Budget in USD (overrides PERSONA_BUDGET_USD)."),
]


def llm_settings(ws: Workspace | None, budget: float | None = None) -> Settings:
    """Settings for an LLM command: workspace config + env (the demo's workspace: replay of
    the bundled recordings), then ``--record`` and ``--budget``."""
    from assistant.demo import demo_settings, is_demo_workspace

    settings = load_settings(ws.config_data() if ws else {})
    if ws is not None and state.record is None and is_demo_workspace(ws.root):
        settings = demo_settings(settings)  # the demo's workspace replays its recordings
    if state.record is not None:
        settings.llm.mode = "record"
        settings.llm.cassette_dir = state.record
    if budget is not None:
        settings.llm.budget_usd = budget
    if state.no_redact:
        settings.privacy.redact = False
    return settings


def _optional_workspace() -> Workspace | None:
    try:
        return open_workspace()
    except WorkspaceNotFoundError:
        if state.workspace is not None:
            raise
        return None


@app.command("config")
def config_cmd(json_out: JsonOption = False) -> None:
    """Show every effective setting and where it came from (env, persona.toml, default)."""
    from assistant.llm.pricing import PRICE_SOURCE, price_table
    from assistant.settings import explain_settings

    ws = _optional_workspace()
    data = ws.config_data() if ws else {}
    values = explain_settings(data)
    settings = llm_settings(ws)
    if state.record is not None:
        values = [v for v in values if v.key not in ("llm.mode", "llm.cassette_dir")]
        values += [
            type(values[0])("llm.mode", "record", "--record"),
            type(values[0])("llm.cassette_dir", str(state.record), "--record"),
        ]
    table = price_table(settings.llm)
    models = [settings.llm.model, *(m for m in settings.llm.prices if m != settings.llm.model)]
    prices: dict[str, Any] = {}
    for model in models:
        price = table.price(model)
        prices[model] = {
            "input": price.input if price else None,
            "output": price.output if price else None,
            "source": table.source(model),
        }
    if json_out:
        emit_json(
            {
                "workspace": str(ws.root) if ws else None,
                "settings": [
                    {"key": v.key, "value": v.value, "source": v.source}
                    for v in values
                    if v.key != "llm.prices"
                ],
                "price_source": PRICE_SOURCE,
                "price_provider": table.provider,
                "prices": prices,
            }
        )
        return
    info(f"workspace: {ws.root if ws else '(none)'}")
    width = max(len(v.key) for v in values)
    for v in values:
        if v.key == "llm.prices":
            continue
        typer.echo(f"{v.key:<{width}}  {v.value!s:<40}  {v.source}")
    typer.echo(f"prices: {PRICE_SOURCE}, provider {table.provider}; [llm.prices] overrides it")
    typer.echo("  USD per 1M tokens, input / output:")
    for model, p in prices.items():
        shown = "unknown" if p["input"] is None else f"{p['input']} / {p['output']}"
        typer.echo(f"  {model:<{width - 2}}  {shown:<30}  {p['source']}")


@app.command("runs")
def runs_cmd(
    run: Annotated[str | None, typer.Option("--run", help="Only this run id.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Newest N runs.")] = 20,
    json_out: JsonOption = False,
) -> None:
    """List LLM runs with totals and every call (retries and failures included)."""
    from assistant.llm.pricing import format_cost
    from assistant.llm.runlog import RunLog, warning_line

    ws = open_workspace()
    log = RunLog(ws.conn)
    runs = log.runs(run)[:limit]
    if run is not None and not runs:
        raise UsageError(f"no run {run!r} in this workspace: see `persona runs`")
    ids = {r["run_id"] for r in runs}
    calls = [c for c in log.calls(run) if c["run_id"] in ids]
    warnings = [w for w in log.warnings(run) if w["run_id"] in ids]
    if json_out:
        emit_json({"runs": runs, "calls": calls, "warnings": warnings})
        return
    if not runs:
        info("no LLM runs yet")
        return
    for r in runs:
        typer.echo(
            f"{r['run_id']}  {r['label']}  {r['status']}  {r['started_at']}  calls={r['calls']} "
            f"ok={r['ok_calls']}  tokens={r['input_tokens']:,}+{r['output_tokens']:,}  "
            f"cost={format_cost(r['cost_usd'])}"
            + (f" (+{r['unknown_cost_calls']} unknown)" if r["unknown_cost_calls"] else "")
            + (f"  fixtures={r['fixture_calls']}" if r["fixture_calls"] else "")
            + (f"  warnings={r['warnings']}" if r["warnings"] else "")
        )
        for w in warnings:
            if w["run_id"] == r["run_id"]:
                typer.echo(f"    warning: {warning_line(w)}")
        for c in calls:
            if c["run_id"] == r["run_id"]:
                typer.echo(
                    f"    #{c['attempt']} {c['task']}  {c['model']}  {c['status']}  "
                    f"{c['input_tokens']:,}+{c['output_tokens']:,} tok  {format_cost(c['cost_usd'])}  "
                    f"{c['latency_ms']:.0f} ms" + ("  [fixture]" if c["fixture"] else "")
                )


def plan_workspace(ws: Workspace, settings: Settings, prompt: Path | None) -> list[Any]:
    """Planned calls for extracting every interview of the workspace.

    Without ``prompt``: the calls `persona extract` would make
    (:func:`assistant.extract.plan_extraction`). With a prompt file: one call per
    interview, the interview text in the prompt's first data variable.
    """
    from assistant.llm.budget import plan_call

    if prompt is None:
        from assistant.extract import plan_extraction

        return list(plan_extraction(ws, settings))
    if not prompt.exists():
        raise UsageError(f"no prompt file {prompt}: check the path given to --prompt")
    from assistant.library import interview_ids, load_transcript
    from assistant.llm.prompts import load_prompt

    spec = load_prompt(prompt)
    var = spec.data_vars[0] if spec.data_vars else "transcript"
    return [
        plan_call(
            prompt,
            {var: load_transcript(ws.conn, iid).text},
            strict=False,
        )
        for iid in interview_ids(ws)
    ]


@app.command("estimate")
def estimate_cmd(
    budget: BudgetOption = None,
    prompt: Annotated[
        Path | None, typer.Option("--prompt", help="Prompt file to estimate with.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Estimate `persona analyze --force` (every step).")
    ] = False,
    json_out: JsonOption = False,
) -> None:
    """Estimate calls, tokens and cost per step of what `persona analyze` would run (no calls).

    Extraction windows, theme naming, personas, ICP and messaging, only the steps
    whose inputs changed. Output tokens per task come from the run log's history
    for the model, else a calibrated default (see docs/llm.md). With --prompt:
    extracting every interview with that prompt file instead.
    """
    from assistant.llm.budget import estimate_calls, estimate_lines
    from assistant.llm.pricing import format_cost

    ws = open_workspace()
    settings = llm_settings(ws, budget)
    if prompt is None:
        from assistant.generate import estimate_pipeline

        est = estimate_pipeline(ws, settings, force)
    else:
        est = estimate_calls(plan_workspace(ws, settings, prompt), settings.llm, ws.conn)
    limit = settings.llm.budget_usd
    within = None if limit is None or est.est_cost_usd is None else est.est_cost_usd <= limit
    if json_out:
        emit_json({**est.as_dict(), "budget_usd": limit, "within_budget": within})
        return
    for line in estimate_lines(est):
        typer.echo(line)
    if limit is not None:
        verdict = "unknown (no price)" if within is None else ("within" if within else "OVER")
        typer.echo(f"budget {format_cost(limit)}: {verdict}")


@app.command("eval")
def eval_cmd(
    model: Annotated[
        list[str] | None,
        typer.Option(
            "--model", help="Model to evaluate (repeat to compare); default: the configured one."
        ),
    ] = None,
    replay: Annotated[
        bool,
        typer.Option("--replay", help="Replay the bundled recorded answers (no network, no cost)."),
    ] = False,
    json_out: JsonOption = False,
) -> None:
    """Run the labelled sample set through a model and report how well it extracts.

    Per model: schema-valid answers on the first try, re-asks, truncations, quotes
    verified, reference insights found, cost and latency (docs/llm.md "Choosing a
    model"). The sample interviews are extracted in a temporary workspace; yours
    is not touched. Without --replay this calls the model and costs money.
    """
    from assistant.eval import run_eval

    ws = _optional_workspace()
    settings = llm_settings(ws)
    if ws is not None:
        ws.close()
    reports = run_eval(settings, model or [], replay=replay)
    if json_out:
        emit_json({"models": [r.to_json() for r in reports]})
        return
    for r in reports:
        for line in r.lines():
            typer.echo(line)


@app.command("preview")
def preview_cmd(
    task: Annotated[str, typer.Argument(help="extract, themes, personas, icp or messaging.")],
    ident: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="extract: an interview id; others: a call number or 'all'."
        ),
    ],
    no_redact: NoRedactOption = False,
    json_out: JsonOption = False,
) -> None:
    """Print exactly what TASK would send to the model for ID (nothing is sent).

    With `[privacy] redact` on (the default), emails, phone numbers, card and
    ID numbers, street addresses and known names show as placeholders.
    """
    from assistant.llm.preview import preview_requests

    state.no_redact = state.no_redact or no_redact
    ws = open_workspace()
    previews = preview_requests(ws, llm_settings(ws), task, ident)
    if json_out:
        emit_json([p.to_json() for p in previews])
        return
    for p in previews:
        how = f"redacted, {p.replaced} values replaced" if p.redacted else "NOT redacted"
        typer.echo(f"=== {p.label} ({p.task}, {p.method}; {how}) ===")
        typer.echo("--- system ---")
        typer.echo(p.system)
        typer.echo("--- user ---")
        typer.echo(p.user)
