"""`persona batch status|collect|cancel`: provider batches from `extract --batch` / `analyze --batch`."""

from __future__ import annotations

from typing import Annotated

import typer

from assistant.cli.llm_cmds import llm_settings
from assistant.cli.root import JsonOption, app, emit_json, info, open_workspace, warn

batch_app = typer.Typer(
    name="batch",
    help="Provider batches (Batch API): status, collect the results, cancel.",
    no_args_is_help=True,
)
app.add_typer(batch_app)
BatchId = Annotated[
    str, typer.Argument(help="The batch id `persona extract --batch` or `analyze --batch` printed.")
]


@batch_app.command("status")
def status_cmd(
    batch_id: Annotated[
        str | None, typer.Argument(help="One batch (default: every batch of this workspace).")
    ] = None,
    json_out: JsonOption = False,
) -> None:
    """The status of batches, refreshed from the provider (collected ones as kept).

    A submit that a crash interrupted is settled first: the batch the provider
    created from it is kept, or the submit is cleared when it never became one.
    """
    from assistant.llm.batch import recover, refresh, stored_batches

    ws = open_workspace()
    settings = llm_settings(ws, None)
    warn(recover(ws, settings))
    rows = [refresh(ws, settings, b.id) for b in stored_batches(ws, batch_id)]
    if json_out:
        emit_json([b.to_json() for b in rows])
        return
    if not rows:
        info("no batches in this workspace: submit one with `persona extract --all --batch`")
    for b in rows:
        counts = ", ".join(f"{k} {v}" for k, v in b.counts.items())
        typer.echo(f"{b.id}  {b.task}  {b.status}  {len(b.custom_ids)} requests ({counts})")


@batch_app.command("collect")
def collect_cmd(
    batch_id: BatchId,
    no_retry: Annotated[
        bool,
        typer.Option("--no-retry", help="Report failed lines instead of retrying them now."),
    ] = False,
    json_out: JsonOption = False,
) -> None:
    """Store a finished batch's results exactly as `persona extract` does (verified quotes)."""
    from assistant.cli.extract_cmds import report_outcomes
    from assistant.extract.batch import collect_extraction
    from assistant.llm.batch import recover

    ws = open_workspace()
    settings = llm_settings(ws, None)
    warn(recover(ws, settings))
    outcomes, notes = collect_extraction(ws, settings, batch_id, retry=not no_retry)
    for note in notes:
        info(f"warning: {note}")
    if not any(o.failed for o in outcomes):
        info("next: `persona analyze --batch` (or `persona analyze`) builds themes, personas, ICP")
    report_outcomes(outcomes, json_out)


@batch_app.command("cancel")
def cancel_cmd(batch_id: BatchId, json_out: JsonOption = False) -> None:
    """Cancel a batch at the provider; answered requests can still be collected."""
    from assistant.llm.batch import cancel

    ws = open_workspace()
    stored = cancel(ws, llm_settings(ws, None), batch_id)
    if json_out:
        emit_json(stored.to_json())
    else:
        typer.echo(f"{stored.id}: {stored.status}")
