"""Review store: create, edit, approve, history, regeneration rules."""

from __future__ import annotations

import sqlite3

import pytest

from assistant import review as r
from assistant.errors import UsageError
from assistant.workspace import Workspace

M1 = r.Provenance(model="m1", prompt_version="v1")
M2 = r.Provenance(model="m2", prompt_version="v2")
EV = r.EvidenceLink(interview_id="acme-cfo", quote="we closed in four days", start=10, end=32)


def _gen(ws: Workspace, goals: list[r.ClaimDraft | str], prov: r.Provenance = M1) -> r.ReviewItem:
    return r.upsert_generated(
        ws, "persona", "persona:champion", "Champion Chris", {"goals": goals, "quotes": []}, prov
    )


def test_create_edit_approve_history(workspace: Workspace) -> None:
    item = _gen(workspace, [r.ClaimDraft(text="Close faster", evidence=[EV]), "Fewer errors"])
    assert item.status == "draft"
    supported, assumed = item.fields["goals"]
    assert (supported.status, assumed.status) == ("supported", "assumption")
    assert supported.support.interviews == 1 and supported.support.accounts == 1
    assert list(item.fields) == ["goals", "quotes"]

    r.edit_claim(workspace, item.id, assumed.id, "Fewer duplicate payments")
    added = r.add_claim(workspace, item.id, "goals", "Pass the audit")
    assert added.status == "assumption" and added.origin.source == "user"
    r.set_status(workspace, item.id, "approved")

    got = r.get_item(workspace, item.id)
    assert got.status == "approved"
    assert [c.text for c in got.fields["goals"]] == [
        "Close faster",
        "Fewer duplicate payments",
        "Pass the audit",
    ]
    assert got.fields["goals"][1].edited_by_user
    revs = r.history(workspace, item.id)
    assert [v.action for v in revs] == [
        "create",
        "create",
        "create",
        "edit_claim",
        "add_claim",
        "set_status",
    ]
    assert revs[0].author == "model:m1@v1" and revs[3].author == "user"
    assert (
        revs[3].before["text"] == "Fewer errors"
        and revs[3].after["text"] == "Fewer duplicate payments"
    )
    assert revs[5].after["status"] == "approved"
    assert r.get_item(workspace, "persona:champion").id == item.id  # by key too


def test_untouched_draft_is_updated_in_place(workspace: Workspace) -> None:
    item = _gen(workspace, ["Close faster", "Fewer errors"])
    again = _gen(workspace, ["Close faster", "Audit trail"], M2)
    assert again.pending is None
    assert [c.text for c in again.fields["goals"]] == ["Close faster", "Audit trail"]
    assert again.fields["goals"][0].id == item.fields["goals"][0].id
    assert again.origin.model == "m2"
    same = _gen(workspace, ["Close faster", "Audit trail"], M2)
    assert len(r.history(workspace, item.id)) == len(r.history(workspace, same.id))


def test_regenerate_after_edit_keeps_edit_and_shows_pending(workspace: Workspace) -> None:
    item = _gen(workspace, ["Close faster", "Fewer errors"])
    first, second = item.fields["goals"]
    r.edit_claim(workspace, item.id, second.id.rsplit(".", 1)[1], "Fewer duplicate payments")

    regen = _gen(workspace, ["Close month-end faster", "Fewer errors", "Audit trail"], M2)
    assert [c.text for c in regen.fields["goals"]] == ["Close faster", "Fewer duplicate payments"]
    pending = r.pending_changes(workspace, item.id)
    assert pending is not None and pending.author == "model:m2@v2"
    kinds = {(c.change, c.before, c.after) for c in pending.changes}
    assert ("added", None, "Audit trail") in kinds
    assert ("added", None, "Close month-end faster") in kinds
    assert ("removed", "Close faster", None) in kinds
    # the edited claim matched by the model's old text: not reported as changed
    assert all(c.claim_id != second.id for c in pending.changes)

    accepted = r.accept_pending(workspace, item.id)
    texts = [c.text for c in accepted.fields["goals"]]
    assert texts == ["Close month-end faster", "Fewer duplicate payments", "Audit trail"]
    assert accepted.fields["goals"][1].id == second.id
    assert accepted.pending is None
    assert first.id not in {c.id for c in accepted.claims()}
    assert r.history(workspace, item.id)[-4].action == "accept_pending"


def test_keep_current_discards_pending(workspace: Workspace) -> None:
    item = _gen(workspace, ["Close faster"])
    r.set_status(workspace, item.id, "approved")
    _gen(workspace, ["Something else entirely"], M2)
    kept = r.keep_current(workspace, item.id)
    assert kept.pending is None
    assert [c.text for c in kept.claims()] == ["Close faster"]
    assert kept.status == "approved"
    assert r.history(workspace, item.id)[-1].action == "keep_current"
    with pytest.raises(UsageError, match="no pending"):
        r.accept_pending(workspace, item.id)


def test_rejected_item_is_not_overwritten(workspace: Workspace) -> None:
    item = _gen(workspace, ["Close faster"])
    r.set_status(workspace, item.id, "rejected")
    again = _gen(workspace, ["Other"], M2)
    assert [c.text for c in again.claims()] == ["Close faster"]
    assert again.pending is not None


def test_evidence_overlap_keeps_claim_identity(workspace: Workspace) -> None:
    item = _gen(workspace, [r.ClaimDraft(text="Close faster", evidence=[EV])])
    cid = item.claims()[0].id
    again = _gen(workspace, [r.ClaimDraft(text="Shorter month-end close", evidence=[EV])], M2)
    assert again.claims()[0].id == cid
    assert again.claims()[0].text == "Shorter month-end close"


def test_unknown_ids_and_history_is_append_only(workspace: Workspace) -> None:
    item = _gen(workspace, ["Close faster"])
    with pytest.raises(UsageError, match="persona review list"):
        r.get_item(workspace, "nope")
    with pytest.raises(UsageError, match="persona review show"):
        r.edit_claim(workspace, item.id, "99", "x")
    with pytest.raises(UsageError, match="unknown kind"):
        r.list_items(workspace, "widget")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        workspace.conn.execute("UPDATE review_revisions SET author = 'x'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        workspace.conn.execute("DELETE FROM review_revisions")


def test_support_counts_accounts_from_interview_metadata(workspace: Workspace) -> None:
    conn = workspace.conn
    for iid, company in (("a1", "Acme"), ("a2", "Acme"), ("b1", "Beta")):
        conn.execute(
            "INSERT INTO interviews(id, source_path, content_hash, title, format, verbatim, text, "
            "meta_json, role_confidence, role_method, ingested_at, updated_at) "
            "VALUES (?, ?, 'h', 't', 'txt', 1, '', ?, 1, 'label', 'now', 'now')",
            (iid, f"/{iid}.txt", f'{{"account": {{"company": "{company}"}}}}'),
        )
    links = [
        r.EvidenceLink(interview_id=i, quote="q", start=n, end=n + 1)
        for n, i in enumerate(("a1", "a2", "b1"))
    ]
    links.append(r.EvidenceLink(interview_id="c9", quote="unverified", status="unverified"))
    item = _gen(workspace, [r.ClaimDraft(text="Close faster", evidence=links)])
    assert item.claims()[0].support == r.Support(interviews=3, accounts=2)
