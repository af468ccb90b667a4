"""`persona highlight` (a passage made an insight added by you) and `persona tags` (the codebook)."""

from __future__ import annotations

from typing import Annotated

import typer

from assistant.cli.evidence_text import evidence_line
from assistant.cli.root import JsonOption, app, emit_json, info, open_workspace


@app.command("highlight")
def highlight_cmd(
    interview: Annotated[str, typer.Argument(metavar="INTERVIEW", help="Interview id.")],
    turn: Annotated[
        int, typer.Option("--turn", metavar="N", help="The turn the passage is in (see `show`).")
    ],
    kind: Annotated[
        str, typer.Option("--kind", metavar="KIND", help="pain, goal, trigger, result, ...")
    ],
    statement: Annotated[
        str, typer.Option("--statement", metavar="TEXT", help="What the passage shows.")
    ],
    start: Annotated[
        int | None,
        typer.Option(
            "--start", metavar="CHARS", help="First character inside the turn (default 0)."
        ),
    ] = None,
    end: Annotated[
        int | None,
        typer.Option("--end", metavar="CHARS", help="Character after the passage (turn's end)."),
    ] = None,
    quote: Annotated[
        str | None,
        typer.Option("--quote", metavar="TEXT", help="The words to highlight, found in the turn."),
    ] = None,
    tag: Annotated[
        list[str] | None,
        typer.Option("--tag", metavar="TAG", help="A codebook tag (repeat for more)."),
    ] = None,
    json_out: JsonOption = False,
) -> None:
    """Make a passage of one turn an insight added by you, its quote checked.

    Example: persona highlight acme-cfo --turn 7 --quote "we lost a week" --kind pain
    --statement "Month-end close is slow" --tag close
    """
    from assistant.highlights import add_highlight

    done = add_highlight(
        open_workspace(),
        interview,
        turn=turn,
        kind=kind,
        statement=statement,
        start=start,
        end=end,
        quote=quote,
        tags=tag or [],
    )
    for warning in done.warnings:
        info(f"warning: {warning}")
    if json_out:
        emit_json(done.to_json())
        return
    ins = done.insight
    tags = f" tags: {', '.join(ins.tags)}" if ins.tags else ""
    info(f"added {ins.id} [{ins.kind}] (added by you){tags}")
    for e in ins.evidence:
        typer.echo("    " + evidence_line(e))


@app.command("unhighlight")
def unhighlight_cmd(
    insight: Annotated[str, typer.Argument(metavar="INSIGHT", help="Insight id (…:uN).")],
    json_out: JsonOption = False,
) -> None:
    """Remove an insight you added with `persona highlight`.

    Example: persona unhighlight acme-cfo:u1
    """
    from assistant.highlights import remove_highlight

    removed = remove_highlight(open_workspace(), insight)
    if json_out:
        emit_json(removed.to_json())
    else:
        info(f"removed {removed.id}: {removed.statement}")


tags_app = typer.Typer(
    name="tags",
    help="Your codebook: tags with counts; rename, merge, quotes per tag.",
    invoke_without_command=True,
)
app.add_typer(tags_app)


@tags_app.callback()
def tags_list(ctx: typer.Context, json_out: JsonOption = False) -> None:
    """List every tag with its insights, verified quotes and interviews.

    Example: persona tags
    """
    if ctx.invoked_subcommand is not None:
        return
    from assistant.tags import list_tags

    counts = list_tags(open_workspace())
    if json_out:
        emit_json([c.to_json() for c in counts])
        return
    if not counts:
        info("no tags yet: give --tag to `persona highlight`, or tag a passage in the app")
        return
    for c in counts:
        typer.echo(
            f"{c.tag}\t{c.insights} insight{'s' * (c.insights != 1)}\t"
            f"{c.quotes} verified quote{'s' * (c.quotes != 1)}\t"
            f"{c.interviews} interview{'s' * (c.interviews != 1)}"
        )


@tags_app.command("rename")
def tags_rename(
    old: Annotated[str, typer.Argument(metavar="TAG")],
    new: Annotated[str, typer.Argument(metavar="NEW")],
    json_out: JsonOption = False,
) -> None:
    """Rename a tag everywhere.

    Example: persona tags rename pricing "pricing pressure"
    """
    from assistant.tags import rename_tag

    count = rename_tag(open_workspace(), old, new)
    if json_out:
        emit_json(count.to_json())
    else:
        info(f"renamed {old!r} to {count.tag!r} ({count.insights} insights)")


@tags_app.command("merge")
def tags_merge(
    sources: Annotated[list[str], typer.Argument(metavar="TAG...", help="Tags to fold in.")],
    into: Annotated[str, typer.Option("--into", metavar="TAG", help="The tag that stays.")],
    json_out: JsonOption = False,
) -> None:
    """Merge tags into one; the merged tags disappear.

    Example: persona tags merge price cost --into pricing
    """
    from assistant.tags import merge_tags

    count = merge_tags(open_workspace(), sources, into)
    if json_out:
        emit_json(count.to_json())
    else:
        info(f"merged {', '.join(sources)} into {count.tag!r} ({count.insights} insights)")


@tags_app.command("quotes")
def tags_quotes(
    tag: Annotated[str, typer.Argument(metavar="TAG")],
    json_out: JsonOption = False,
) -> None:
    """Show the insights and quotes a tag marks.

    Example: persona tags quotes pricing
    """
    from assistant.tags import tagged_insights

    items = tagged_insights(open_workspace(), tag)
    if json_out:
        emit_json([i.to_json() for i in items])
        return
    for ins in items:
        who = " (added by you)" if ins.added_by_user else ""
        typer.echo(f"{ins.id}  [{ins.kind}] {ins.statement}{who}")
        for e in ins.evidence:
            typer.echo("    " + evidence_line(e))
