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
    json_out: JsonOption = False,
) -> None:
    """Replace a claim's text; regenerations will never overwrite it."""
    from assistant.review import edit_claim

    edited = edit_claim(open_workspace(), item_id, claim, text)
    if json_out:
        emit_json(edited.to_json())
    else:
        info(f"edited {edited.id}")


@review_app.command("add")
def add_cmd(
    item_id: ItemId,
    field: Annotated[str, typer.Option("--field", help="Field to add the claim to.")],
    text: Annotated[str, typer.Option("--text", help="The claim.")],
    json_out: JsonOption = False,
) -> None:
    """Add your own claim to a field (an assumption until evidence is linked)."""
    from assistant.review import add_claim

    claim = add_claim(open_workspace(), item_id, field, text)
    if json_out:
        emit_json(claim.to_json())
    else:
        info(f"added {claim.id} to {field} ({claim.status})")


def _set(item_id: str, status: str, json_out: bool) -> None:
    from assistant.review import set_status

    item = set_status(open_workspace(), item_id, status)  # type: ignore[arg-type]
    if json_out:
        emit_json(item.summary_json())
    else:
        info(f"{item.id} is {item.status}")


@review_app.command("approve")
def approve_cmd(item_id: ItemId, json_out: JsonOption = False) -> None:
    """Approve an item."""
    _set(item_id, "approved", json_out)


@review_app.command("reject")
def reject_cmd(item_id: ItemId, json_out: JsonOption = False) -> None:
    """Reject an item."""
    _set(item_id, "rejected", json_out)


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
