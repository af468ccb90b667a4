"""`persona accounts` (buying committees, merge, unmerge), `persona segments`, `persona sizing`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from assistant.cli.root import JsonOption, app, emit_json, info, open_workspace
from assistant.models import EvidenceStatus
from assistant.wording import count

accounts_app = typer.Typer(
    name="accounts",
    help="Accounts (companies) with their interviews, firmographics and buying committee.",
    invoke_without_command=True,
)
app.add_typer(accounts_app)


@accounts_app.callback()
def accounts_cmd(ctx: typer.Context, json_out: JsonOption = False) -> None:
    """List every account: interviews, firmographics and the buying committee (DMU)."""
    if ctx.invoked_subcommand is not None:
        return
    from assistant.accounts import load_identity
    from assistant.committee import account_overviews

    ws = open_workspace()
    overviews = account_overviews(ws)
    identity = load_identity(ws.conn)
    if json_out:
        emit_json(
            {
                "accounts": [o.to_json() for o in overviews],
                "interviews": sum(len(o.record.interviews) for o in overviews),
                "merges": identity.merges,
                "warnings": identity.warnings,
            }
        )
        return
    if not overviews:
        info("no interviews yet: run `persona ingest PATH`")
        return
    for o in overviews:
        r = o.record
        firmo = [
            x
            for x in (
                r.industry,
                r.employees and f"{r.employees.describe()} employees",
                r.revenue and f"revenue {r.revenue.describe()}",
                r.region,
                r.segment and f"segment {r.segment}",
            )
            if x
        ]
        typer.echo(
            f"{r.company}  ({count(len(r.interviews), 'interview')}: {', '.join(r.interviews)})"
        )
        if firmo:
            typer.echo("  " + "; ".join(firmo))
        for m in o.committee:
            role = m.dmu_role.replace("_", " ")
            if m.interviewed:
                typer.echo(f"  {role}: {m.name} (interviewed)")
                continue
            typer.echo(f"  {role}: {m.name}")
            for mention in m.mentions:
                quote = next(
                    (e for e in mention.evidence if e.get("status") == EvidenceStatus.verified),
                    None,
                )
                said = f' — "{quote["quote"]}"' if quote else " (no verified quote)"
                typer.echo(f"      {mention.attribution} in {mention.interview_id}{said}")
        for w in r.warnings:
            info(f"warning: {w}")
    for w in identity.warnings:
        info(f"warning: {w}")
    info(
        f"{count(len(overviews), 'account')}, {sum(len(o.record.interviews) for o in overviews)} interviews"
    )


@accounts_app.command("merge")
def merge_cmd(
    source: Annotated[str, typer.Argument(metavar="A", help="Account to merge (any spelling).")],
    target: Annotated[str, typer.Argument(metavar="B", help="Account it is part of.")],
    json_out: JsonOption = False,
) -> None:
    """Count account A as part of account B everywhere (claims, themes, ICP, exports)."""
    from assistant.accounts import merge_accounts

    src, dst = merge_accounts(open_workspace(), source, target)
    if json_out:
        emit_json({"merged": src, "into": dst})
        return
    info(f"merged {source!r} into {target!r}; undo with: persona accounts unmerge {source!r}")


@accounts_app.command("unmerge")
def unmerge_cmd(
    name: Annotated[str, typer.Argument(metavar="A", help="An account that was merged.")],
    json_out: JsonOption = False,
) -> None:
    """Undo the merges of account A (into or out of it)."""
    from assistant.accounts import unmerge_account

    freed = unmerge_account(open_workspace(), name)
    if json_out:
        emit_json({"unmerged": freed})
        return
    info(f"unmerged {', '.join(freed)}")


@app.command("segments")
def segments_cmd(json_out: JsonOption = False) -> None:
    """Market segments: the user's (`segment:` metadata or tag) or a deterministic proposal.

    Per segment: accounts, interviews, top pains (accounts, interviews, intensity),
    value metrics and how many accounts fit the ICP draft.
    """
    from assistant.segments import compute_segments

    seg = compute_segments(open_workspace())
    if json_out:
        emit_json(seg.to_json())
        return
    if not seg.segments:
        info("no interviews yet: run `persona ingest PATH`")
        return
    info(
        "segments given by the user"
        if seg.source == "user"
        else "segments proposed from shared themes and firmographics (deterministic)"
    )
    home = seg.icp_home()
    for s in seg.segments:
        fit = "" if s.fit is None else f"; {s.fit[0]} of {s.fit[1]} accounts fit the ICP"
        mark = " (the ICP sits here)" if s.name == home else ""
        typer.echo(
            f"\n{s.name}{mark}: {count(len(s.accounts), 'account')}, {count(len(s.interviews), 'interview')}{fit}"
        )
        typer.echo("  accounts: " + ", ".join(a.company for a in s.accounts))
        if s.features:
            typer.echo("  shared: " + ", ".join(s.features))
        for p in s.pains:
            level = ", ".join(f"{k} {v}" for k, v in p.intensity.items())
            typer.echo(
                f"  pain: {p.label} — {p.accounts}/{count(len(s.accounts), 'account')}, "
                f"{count(p.interviews, 'interview')} ({level})"
            )
        m = s.value_metrics()
        if m["accounts_with_metrics"]:
            arr = "—" if m["arr_total"] is None else f"${m['arr_total']:,.0f}"
            tenure = m["tenure_months_median"]
            typer.echo(
                f"  value: ARR total {arr}, median tenure "
                f"{'—' if tenure is None else f'{tenure:g} months'}, "
                f"{m['expanded']} expanded, {m['referred']} referred "
                f"({m['accounts_with_metrics']} with metrics)"
            )
    for w in seg.warnings:
        info(f"warning: {w}")


@app.command("sizing")
def sizing_cmd(
    file: Annotated[
        Path | None, typer.Argument(metavar="[FILE]", help="Sizing worksheet (YAML).")
    ] = None,
    companies: Annotated[
        int | None, typer.Option("--companies", help="Companies in the segment (your count).")
    ] = None,
    acv: Annotated[
        str | None, typer.Option("--acv", help='Average contract value per year, e.g. "$9k".')
    ] = None,
    share: Annotated[
        str | None,
        typer.Option("--share", help="Share of the serviceable market you can win, e.g. 5%."),
    ] = None,
    segment: Annotated[
        str | None, typer.Option("--segment", help="Segment the flags describe (default: all).")
    ] = None,
    save: Annotated[
        bool, typer.Option("--save/--no-save", help="Keep it for the export's ICP one-pager.")
    ] = True,
    json_out: JsonOption = False,
) -> None:
    """TAM, SAM and SOM from your counts and contract values and the ICP's fit rate.

    Give a YAML worksheet (see docs/cli.md) or --companies, --acv and --share.
    Every assumption is printed beside the number it feeds.
    """
    from assistant.errors import UsageError
    from assistant.sizing import compute_sizing, parse_input, read_input, save_input, to_json

    flags = [x is not None for x in (companies, acv, share)]
    if file is not None and any(flags):
        raise UsageError("give a worksheet FILE or the flags --companies --acv --share, not both")
    if file is not None:
        inputs = read_input(file)
    elif any(flags):
        data = {
            "segments": [{"name": segment or "all", "companies": companies, "acv": acv}],
            "obtainable_share": share,
        }
        inputs = parse_input(data, "flags")
    else:
        raise UsageError("give a worksheet FILE or --companies N --acv AMOUNT --share PCT")
    ws = open_workspace()
    result = compute_sizing(ws, inputs)
    if save:
        save_input(ws, inputs)
    if json_out:
        emit_json(to_json(result))
        return
    for line in result.lines():
        typer.echo(line)
    if save:
        info("saved: `persona export` prints this worksheet with the ICP one-pager")
