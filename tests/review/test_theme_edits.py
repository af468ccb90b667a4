"""Theme edits (merge, move, split, rename, approve) and claim edits (delete, link, field
check, approve with assumptions, unapprove, concurrent edits), kept across re-runs."""

from __future__ import annotations

import pytest

from assistant.errors import UsageError
from assistant.generate.theme_edits import members, merge_themes, move_insights
from assistant.generate.themes import current_theme_keys, generate_themes
from assistant.highlights import locate_passage
from assistant.library import get_interview
from assistant.review import (
    AssumptionsRemainError,
    ConflictError,
    ReviewItem,
    add_claim,
    edit_claim,
    get_item,
    history,
    insight_links,
    link_evidence,
    list_items,
    remove_claim,
    rename_item,
    set_status,
)
from assistant.workspace import Workspace
from tests.support.corpus import replay_settings


def _two_of_a_kind(ws: Workspace) -> tuple[ReviewItem, ReviewItem]:
    keys = current_theme_keys(ws)
    themes = [get_item(ws, k) for k in keys]
    by_kind: dict[str, list[ReviewItem]] = {}
    for t in themes:
        by_kind.setdefault(t.key.split(":")[1], []).append(t)
    pair = next(ts for ts in by_kind.values() if len(ts) >= 2 and len(members(ts[1])) >= 2)
    return pair[0], pair[1]


def test_merge_rename_and_split_survive_regeneration(generated_ws: Workspace) -> None:
    a, b = _two_of_a_kind(generated_ws)
    union = set(members(a)) | set(members(b))
    with pytest.raises(UsageError, match="into itself"):
        merge_themes(generated_ws, a.id, a.key)
    other = next(
        get_item(generated_ws, k)
        for k in current_theme_keys(generated_ws)
        if k.split(":")[1] != a.key.split(":")[1]
    )
    with pytest.raises(UsageError, match="merge themes of one kind"):
        merge_themes(generated_ws, a.id, other.id)
    merged = merge_themes(generated_ws, a.id, b.id)
    assert set(members(merged)) == union
    assert get_item(generated_ws, a.id).status == "rejected"
    assert a.key not in current_theme_keys(generated_ws)
    assert history(generated_ws, a.id)[-1].action == "merged_into"
    with pytest.raises(UsageError, match="already merged"):
        merge_themes(generated_ws, a.id, b.id)
    rename_item(generated_ws, b.id, "Our name for it")
    # split: move one insight of the merged theme into a new theme
    moved = members(merged)[0]
    source, split = move_insights(generated_ws, b.id, [moved], title="Split by hand")
    assert moved not in members(source) and members(split) == [moved]
    assert split.title == "Split by hand" and split.key.startswith("theme:")
    with pytest.raises(UsageError, match="every insight"):
        move_insights(generated_ws, split.id, [moved], target=b.id)
    with pytest.raises(UsageError, match="does not hold"):
        move_insights(generated_ws, b.id, ["nope:i1"], target=split.id)
    # the themes step again (clustering and naming from scratch; personas are not re-drafted)
    result = generate_themes(generated_ws, replay_settings())
    assert result.notes == []
    keys = current_theme_keys(generated_ws)
    assert a.key not in keys and b.key in keys and split.key in keys
    after_b, after_split = get_item(generated_ws, b.id), get_item(generated_ws, split.id)
    assert set(members(after_b)) == union - {moved}
    assert members(after_split) == [moved]
    assert after_b.title == "Our name for it"
    assert get_item(generated_ws, a.id).status == "rejected"
    assert result.changes[split.key] == "unchanged"


def test_claim_delete_link_fields_approve_unapprove(generated_ws: Workspace) -> None:
    persona = next(i for i in list_items(generated_ws, "persona") if i.assumptions())
    field = next(iter(persona.fields))
    # a field typo is refused with a did-you-mean; --new-field starts one
    with pytest.raises(UsageError, match=f"did you mean '{field}'"):
        add_claim(generated_ws, persona.id, field[:-1], "typo")
    fresh = add_claim(generated_ws, persona.id, "extra notes", "Ours", new_field=True)
    assert fresh.field == "extra notes"
    # approving with assumptions asks first
    with pytest.raises(AssumptionsRemainError, match="assumption"):
        set_status(generated_ws, persona.id, "approved", allow_assumptions=False)
    assert get_item(generated_ws, persona.id).status == "draft"
    # link: an insight's verified quotes make the claim supported
    insight = generated_ws.conn.execute(
        "SELECT owner_id FROM evidence WHERE owner_type = 'insight' AND status = 'verified' LIMIT 1"
    ).fetchone()[0]
    linked = link_evidence(generated_ws, persona.id, fresh.id, insight_links(generated_ws, insight))
    assert linked.claim.status == "supported" and linked.claim.edited_by_user
    with pytest.raises(UsageError, match="already links"):
        link_evidence(generated_ws, persona.id, fresh.id, insight_links(generated_ws, insight))
    # link: a passage of a transcript turn
    turns = get_interview(generated_ws, "northwind-cfo").transcript.turns
    turn = next(t for t in turns if "nine business days" in t.text)
    passage = locate_passage(
        generated_ws, "northwind-cfo", turn.index, quote="Our close took nine business days."
    )
    claim = persona.assumptions()[0]
    done = link_evidence(generated_ws, persona.id, claim.id, [passage.evidence_link()])
    assert done.claim.status == "supported" and done.warnings == []
    # delete, recorded in the history
    removed = remove_claim(generated_ws, persona.id, fresh.id)
    assert get_item(generated_ws, persona.id).claim(fresh.id) is None
    last = history(generated_ws, persona.id)[-1]
    assert (last.action, last.claim_id, last.before["text"]) == ("remove_claim", removed.id, "Ours")
    # approve then back to draft
    item = set_status(generated_ws, persona.id, "approved")
    assert item.status == "approved"
    assert set_status(generated_ws, persona.id, "draft").status == "draft"


def test_delete_after_another_process_edited_is_refused(generated_ws: Workspace) -> None:
    persona = list_items(generated_ws, "persona")[0]
    claim = persona.claims()[0]
    seen = persona.version
    # another process (another connection) edits the claim meanwhile
    other = Workspace(generated_ws.root)
    try:
        edit_claim(other, persona.id, claim.id, "Edited elsewhere")
    finally:
        other.close()
    with pytest.raises(ConflictError, match="changed after you opened it") as err:
        remove_claim(generated_ws, persona.id, claim.id, expected_version=seen)
    assert "edit claim" in str(err.value) and "nothing is lost" in str(err.value)
    kept = get_item(generated_ws, persona.id).claim(claim.id)
    assert kept is not None and kept.text == "Edited elsewhere"
    fresh = get_item(generated_ws, persona.id)
    remove_claim(generated_ws, persona.id, claim.id, expected_version=fresh.version)
    assert get_item(generated_ws, persona.id).claim(claim.id) is None


def test_review_cli_claim_and_theme_verbs(generated_ws: Workspace) -> None:
    from tests.support.cli import run_cli

    ws = ["--workspace", str(generated_ws.root)]
    persona = next(i for i in list_items(generated_ws, "persona") if i.assumptions())
    field = next(iter(persona.fields))
    typo = run_cli(*ws, "review", "add", persona.id, "--field", field[:-1], "--text", "x")
    assert typo.code == 2 and f"did you mean '{field}'" in typo.stderr
    # approving with assumptions, not on a terminal: refused until --yes
    refused = run_cli(*ws, "review", "approve", persona.id)
    assert refused.code == 2 and "--yes" in refused.stderr
    assert get_item(generated_ws, persona.id).status == "draft"
    ok = run_cli(*ws, "review", "approve", persona.id, "--yes", "--json")
    assert ok.code == 0 and ok.json()["status"] == "approved"
    back = run_cli(*ws, "review", "unapprove", persona.id, "--json")
    assert back.json()["status"] == "draft"
    claim = persona.assumptions()[0]
    linked = run_cli(
        *ws, "review", "link", persona.id, "--claim", claim.id, "--interview", "northwind-cfo",
        "--turn", "3", "--quote", "Our close took nine business days.", "--json",
    )  # fmt: skip
    assert linked.code == 0, linked.stderr
    assert linked.json()["status"] == "supported"
    seen = run_cli(*ws, "review", "show", persona.id, "--json").json()["version"]
    run_cli(*ws, "review", "edit", persona.id, "--claim", claim.id, "--text", "Reworded")
    stale = run_cli(
        *ws, "review", "delete", persona.id, "--claim", claim.id, "--expect-version", str(seen)
    )
    assert stale.code == 2 and "changed after you opened it" in stale.stderr
    assert get_item(generated_ws, persona.id).claim(claim.id) is not None
    gone = run_cli(*ws, "review", "delete", persona.id, "--claim", claim.id)
    assert gone.code == 0 and "history" in gone.stderr
    assert get_item(generated_ws, persona.id).claim(claim.id) is None
    hist = run_cli(*ws, "review", "history", persona.id, "--json").json()
    assert [h["action"] for h in hist][-3:] == ["link_evidence", "edit_claim", "remove_claim"]
    a, b = _two_of_a_kind(generated_ws)
    self_merge = run_cli(*ws, "review", "merge", a.id, "--into", a.id)
    assert self_merge.code == 2 and "into itself" in self_merge.stderr
    merged = run_cli(*ws, "review", "merge", a.id, "--into", b.id, "--json")
    assert merged.code == 0, merged.stderr
    renamed = run_cli(*ws, "review", "rename", b.id, "--title", "Mine", "--json")
    assert renamed.json()["title"] == "Mine"
    first = members(get_item(generated_ws, b.id))[0]
    split = run_cli(*ws, "review", "split", b.id, "--insight", first, "--title", "Apart", "--json")
    assert split.code == 0, split.stderr
    assert split.json()["to"]["title"] == "Apart"
