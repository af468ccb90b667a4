"""`persona accounts` (buying committees, merge, unmerge) and `persona segments`."""

from __future__ import annotations

from typing import Annotated

import typer

from assistant.cli.root import JsonOption, app, emit_json, info, open_workspace

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
        typer.echo(f"{r.company}  ({len(r.interviews)} interviews: {', '.join(r.interviews)})")
        if firmo:
            typer.echo("  " + "; ".join(firmo))
        for m in o.committee:
            role = m.dmu_role.replace("_", " ")
            if m.interviewed:
                typer.echo(f"  {role}: {m.name} (interviewed)")
                continue
            typer.echo(f"  {role}: {m.name}")
            for mention in m.mentions:
                quote = next((e for e in mention.evidence if e.get("status") == "verified"), None)
                said = f' — "{quote["quote"]}"' if quote else " (no verified quote)"
                typer.echo(f"      {mention.attribution} in {mention.interview_id}{said}")
        for w in r.warnings:
            info(f"warning: {w}")
    for w in identity.warnings:
        info(f"warning: {w}")
    info(
        f"{len(overviews)} accounts, {sum(len(o.record.interviews) for o in overviews)} interviews"
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
            f"\n{s.name}{mark}: {len(s.accounts)} accounts, {len(s.interviews)} interviews{fit}"
        )
        typer.echo("  accounts: " + ", ".join(a.company for a in s.accounts))
        if s.features:
            typer.echo("  shared: " + ", ".join(s.features))
        for p in s.pains:
            level = ", ".join(f"{k} {v}" for k, v in p.intensity.items())
            typer.echo(
                f"  pain: {p.label} — {p.accounts}/{len(s.accounts)} accounts, "
                f"{p.interviews} interviews ({level})"
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
