"""`persona review ...`: list, show, edit and approve drafts; accept or keep regenerations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from assistant.cli.root import JsonOption, app, emit_json, info, open_workspace

if TYPE_CHECKING:
    from assistant.review import PendingChanges, ReviewItem

review_app = typer.Typer(
    name="review",
    help="Review drafts: list, show, edit claims, approve or reject, history.",
    no_args_is_help=True,
)
app.add_typer(review_app)

ItemId = Annotated[str, typer.Argument(metavar="ID", help="Item id (see `persona review list`).")]


def _print_pending(pending: PendingChanges) -> None:
    typer.echo(f"\npending regeneration by {pending.author} ({pending.created_at}):")
    if pending.title_before != pending.title_after:
        typer.echo(f"  title: {pending.title_before!r} -> {pending.title_after!r}")
    for c in pending.changes:
        kept = " (your text is kept)" if c.user_owned else ""
        if c.change == "added":
            typer.echo(f"  + [{c.field}] {c.after}")
        elif c.change == "removed":
            typer.echo(f"  - [{c.field}] {c.claim_id}: {c.before}")
        else:
            typer.echo(f"  ~ [{c.field}] {c.claim_id}: {c.before!r} -> {c.after!r}{kept}")
    typer.echo(
        "run `persona review accept ID` to take it or `persona review keep ID` to discard it"
    )


def _print_item(item: ReviewItem) -> None:
    typer.echo(f"{item.id} [{item.kind}, {item.status}] {item.title}")
    for field, claims in item.fields.items():
        typer.echo(f"\n{field}:")
        for c in claims:
            tag = {"supported": "", "secondhand": f" [{c.secondhand_label}]"}.get(
                c.status, " [assumption]"
            )
            edited = " (edited)" if c.edited_by_user else ""
            support = f"{c.support.interviews} interviews, {c.support.accounts} accounts"
            typer.echo(f"  {c.id}{tag}{edited} {c.text}  ({support})")
            for flag in c.quote_flags:
                typer.echo(f"      ! {flag}")
    if item.pending is not None:
        _print_pending(item.pending)


@review_app.command("list")
def list_cmd(
    kind: Annotated[
        str | None, typer.Option("--kind", help="theme | persona | icp | messaging")
    ] = None,
    json_out: JsonOption = False,
) -> None:
    """List review items: id, kind, title, status."""
    from assistant.review import list_items

    items = list_items(open_workspace(), kind)
    if json_out:
        emit_json([i.summary_json() for i in items])
        return
    if not items:
        info(
            "no review items yet: they appear when themes, personas, ICP or messaging are generated"
        )
        return
    for i in items:
        pending = " (regeneration pending)" if i.pending else ""
        typer.echo(f"{i.id}\t{i.kind}\t{i.status}\t{i.title}{pending}")


@review_app.command("show")
def show_cmd(item_id: ItemId, json_out: JsonOption = False) -> None:
    """Show an item: every field's claims with status, evidence and support."""
    from assistant.review import get_item

    item = get_item(open_workspace(), item_id)
    if json_out:
        emit_json(item.to_json())
    else:
        _print_item(item)


@review_app.command("edit")
def edit_cmd(
    item_id: ItemId,
    claim: Annotated[str, typer.Option("--claim", help="Claim id (or its number).")],
    text: Annotated[str, typer.Option("--text", help="The new text of the claim.")],
    expect_version: ExpectVersion = None,
    json_out: JsonOption = False,
) -> None:
    """Replace a claim's text; regenerations will never overwrite it."""
    from assistant.review import edit_claim

    edited = edit_claim(open_workspace(), item_id, claim, text, expected_version=expect_version)
    if json_out:
        emit_json(edited.to_json())
    else:
        info(f"edited {edited.id}")


ClaimId = Annotated[str, typer.Option("--claim", metavar="CID", help="Claim id (or its number).")]
ExpectVersion = Annotated[
    int | None,
    typer.Option(
        "--expect-version",
        metavar="N",
        help="Refuse if the item changed since `review show --json` said version N.",
    ),
]


@review_app.command("add")
def add_cmd(
    item_id: ItemId,
    field: Annotated[str, typer.Option("--field", help="Field to add the claim to.")],
    text: Annotated[str, typer.Option("--text", help="The claim.")],
    new_field: Annotated[
        bool, typer.Option("--new-field", help="Start a field the item does not have yet.")
    ] = False,
    json_out: JsonOption = False,
) -> None:
    """Add your own claim to a field (an assumption until evidence is linked).

    Example: persona review add persona:champion --field goals --text "Close in 3 days"
    """
    from assistant.review import add_claim

    claim = add_claim(open_workspace(), item_id, field, text, new_field=new_field)
    if json_out:
        emit_json(claim.to_json())
    else:
        info(f"added {claim.id} to {claim.field} ({claim.status})")


@review_app.command("delete")
def delete_cmd(
    item_id: ItemId,
    claim: ClaimId,
    expect_version: ExpectVersion = None,
    json_out: JsonOption = False,
) -> None:
    """Delete a claim (the history keeps what it said).

    Example: persona review delete persona:champion --claim 3
    """
    from assistant.review import remove_claim

    removed = remove_claim(open_workspace(), item_id, claim, expected_version=expect_version)
    if json_out:
        emit_json(removed.to_json())
    else:
        info(f"deleted {removed.id}: {removed.text} (`persona review history` keeps it)")


@review_app.command("link")
def link_cmd(
    item_id: ItemId,
    claim: ClaimId,
    insight: Annotated[
        list[str] | None,
        typer.Option("--insight", metavar="INSIGHT", help="Link this insight's quotes (repeat)."),
    ] = None,
    interview: Annotated[
        str | None,
        typer.Option("--interview", metavar="INTERVIEW", help="Link a passage of this interview."),
    ] = None,
    turn: Annotated[
        int | None, typer.Option("--turn", metavar="N", help="The passage's turn.")
    ] = None,
    quote: Annotated[
        str | None, typer.Option("--quote", metavar="TEXT", help="The passage's words.")
    ] = None,
    start: Annotated[
        int | None, typer.Option("--start", metavar="CHARS", help="Passage start in the turn.")
    ] = None,
    end: Annotated[
        int | None, typer.Option("--end", metavar="CHARS", help="Passage end in the turn.")
    ] = None,
    json_out: JsonOption = False,
) -> None:
    """Link quotes to a claim: supported once one is a verified participant quote.

    Example: persona review link persona:champion --claim 2 --insight northwind-cfo:i3
    """
    from assistant.errors import UsageError
    from assistant.review import EvidenceLink, insight_links, link_evidence

    ws = open_workspace()
    links: list[EvidenceLink] = []
    for ref in insight or []:
        links += insight_links(ws, ref)
    if interview is not None or turn is not None:
        if interview is None or turn is None:
            raise UsageError("a passage needs both --interview and --turn")
        from assistant.highlights import locate_passage

        passage = locate_passage(ws, interview, turn, start=start, end=end, quote=quote)
        links.append(passage.evidence_link())
    done = link_evidence(ws, item_id, claim, links)
    for warning in done.warnings:
        info(f"warning: {warning}")
    if json_out:
        emit_json(done.claim.to_json())
    else:
        n = done.added
        info(f"linked {n} quote{'s' * (n != 1)} to {done.claim.id} ({done.claim.status})")


def _set(item_id: str, status: str, json_out: bool, allow_assumptions: bool = True) -> None:
    from assistant.review import set_status

    item = set_status(
        open_workspace(),
        item_id,
        status,  # type: ignore[arg-type]
        allow_assumptions=allow_assumptions,
    )
    if json_out:
        emit_json(item.summary_json())
    else:
        info(f"{item.id} is {item.status}")


@review_app.command("approve")
def approve_cmd(
    item_id: ItemId,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Approve even when assumptions remain.")
    ] = False,
    json_out: JsonOption = False,
) -> None:
    """Approve an item; asks first when claims are still assumptions.

    Example: persona review approve persona:champion --yes
    """
    import sys

    from assistant.review import get_item

    if not yes:
        item = get_item(open_workspace(), item_id)
        left = item.assumptions()
        if left and item.status != "approved" and sys.stdin.isatty():
            n = len(left)
            yes = typer.confirm(
                f"{item.id} has {n} claim{'s' * (n != 1)} with no verified quote "
                f"(assumption{'s' * (n != 1)}). Approve anyway?",
                default=False,
            )
            if not yes:
                info("not approved: nothing changed")
                raise typer.Exit(1)
    _set(item_id, "approved", json_out, allow_assumptions=yes)


@review_app.command("unapprove")
def unapprove_cmd(item_id: ItemId, json_out: JsonOption = False) -> None:
    """Move an approved (or rejected) item back to draft.

    Example: persona review unapprove persona:champion
    """
    _set(item_id, "draft", json_out)


@review_app.command("reject")
def reject_cmd(item_id: ItemId, json_out: JsonOption = False) -> None:
    """Reject an item."""
    _set(item_id, "rejected", json_out)


@review_app.command("rename")
def rename_cmd(
    item_id: ItemId,
    title: Annotated[str, typer.Option("--title", metavar="TEXT", help="The new title.")],
    json_out: JsonOption = False,
) -> None:
    """Rename an item (a theme, a persona…); re-runs keep your title.

    Example: persona review rename theme-3fa2c1 --title "Approvals stuck on the floor"
    """
    from assistant.review import rename_item

    item = rename_item(open_workspace(), item_id, title)
    if json_out:
        emit_json(item.summary_json())
    else:
        info(f"{item.id} is now {item.title!r}")


@review_app.command("merge")
def merge_cmd(
    item_id: Annotated[str, typer.Argument(metavar="THEME", help="The theme to merge away.")],
    into: Annotated[str, typer.Option("--into", metavar="THEME", help="The theme that stays.")],
    json_out: JsonOption = False,
) -> None:
    """Merge one theme into another; re-runs keep the merge.

    Example: persona review merge theme-3fa2c1 --into theme-9bc0d4
    """
    from assistant.generate.theme_edits import merge_themes

    item = merge_themes(open_workspace(), item_id, into)
    if json_out:
        emit_json(item.to_json())
    else:
        info(f"merged {item_id} into {item.id} ({item.title!r})")


InsightIds = Annotated[
    list[str],
    typer.Option("--insight", metavar="INSIGHT", help="An insight of the theme (repeat)."),
]


@review_app.command("move")
def move_cmd(
    item_id: Annotated[str, typer.Argument(metavar="THEME", help="The theme they are in.")],
    insight: InsightIds,
    to: Annotated[str, typer.Option("--to", metavar="THEME", help="The theme they go to.")],
    json_out: JsonOption = False,
) -> None:
    """Move insights from one theme to another; re-runs keep the move.

    Example: persona review move theme-3fa2c1 --insight acme-cfo:i4 --to theme-9bc0d4
    """
    _move(item_id, insight, to, None, json_out)


@review_app.command("split")
def split_cmd(
    item_id: Annotated[str, typer.Argument(metavar="THEME", help="The theme to split.")],
    insight: InsightIds,
    title: Annotated[str, typer.Option("--title", metavar="TEXT", help="The new theme's name.")],
    json_out: JsonOption = False,
) -> None:
    """Split a theme: move insights into a new theme you name.

    Example: persona review split theme-3fa2c1 --insight acme-cfo:i4 --title "Audit pressure"
    """
    _move(item_id, insight, None, title, json_out)


def _move(item_id: str, ids: list[str], to: str | None, title: str | None, json_out: bool) -> None:
    from assistant.generate.theme_edits import members, move_insights

    source, target = move_insights(open_workspace(), item_id, ids, target=to, title=title)
    if json_out:
        emit_json({"from": source.to_json(), "to": target.to_json()})
        return
    n = len(ids)
    info(
        f"moved {n} insight{'s' * (n != 1)} from {source.id} ({len(members(source))} left) "
        f"to {target.id} {target.title!r} ({len(members(target))})"
    )


@review_app.command("accept")
def accept_cmd(item_id: ItemId, json_out: JsonOption = False) -> None:
    """Take the pending regenerated version (your edited and added claims stay)."""
    from assistant.review import accept_pending

    item = accept_pending(open_workspace(), item_id)
    if json_out:
        emit_json(item.to_json())
    else:
        info(f"{item.id}: regenerated version accepted")


@review_app.command("keep")
def keep_cmd(item_id: ItemId, json_out: JsonOption = False) -> None:
    """Discard the pending regenerated version and keep the current one."""
    from assistant.review import keep_current

    item = keep_current(open_workspace(), item_id)
    if json_out:
        emit_json(item.to_json())
    else:
        info(f"{item.id}: current version kept")


@review_app.command("history")
def history_cmd(item_id: ItemId, json_out: JsonOption = False) -> None:
    """Show every change to an item: who, when, what."""
    from assistant.review import history

    revisions = history(open_workspace(), item_id)
    if json_out:
        emit_json([r.model_dump() for r in revisions])
        return
    for r in revisions:
        target = f" {r.claim_id}" if r.claim_id else ""
        typer.echo(f"#{r.id} {r.created_at} {r.author} {r.action}{target}")
        if r.before is not None and "text" in r.before:
            typer.echo(f"    before: {r.before['text']}")
        if r.after is not None and "text" in r.after:
            typer.echo(f"    after:  {r.after['text']}")
        elif isinstance(r.after, dict) and "status" in r.after and r.claim_id is None:
            typer.echo(f"    status: {r.after['status']}  title: {r.after.get('title')}")
