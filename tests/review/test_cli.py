"""`persona review ...` through the real CLI: JSON shapes and exit codes."""

from __future__ import annotations

from pathlib import Path

from assistant import review as r
from assistant.workspace import init_workspace
from tests.support.cli import run_cli


def test_review_cli_round_trip(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws")
    ev = r.EvidenceLink(interview_id="i1", quote="q", start=0, end=1)
    prov = r.Provenance(model="m", prompt_version="v1")
    item = r.upsert_generated(
        ws,
        "persona",
        "persona:champion",
        "Champion Chris",
        {"goals": [r.ClaimDraft(text="Close faster", evidence=[ev]), "Fewer errors"]},
        prov,
    )
    ws.close()
    env = {"PERSONA_WORKSPACE": str(tmp_path / "ws")}

    listed = run_cli("review", "list", "--kind", "persona", "--json", env=env)
    assert listed.code == 0, listed.stderr
    assert listed.json() == [
        {"id": item.id, "kind": "persona", "title": "Champion Chris", "status": "draft"}
    ]
    assert run_cli("review", "list", "--kind", "icp", "--json", env=env).json() == []

    cid = item.fields["goals"][1].id
    assert (
        run_cli(
            "review", "edit", item.id, "--claim", cid, "--text", "Fewer duplicates", env=env
        ).code
        == 0
    )
    added = run_cli(
        "review", "add", item.id, "--field", "objections", "--text", "Price", "--new-field",
        "--json", env=env,
    )  # fmt: skip
    assert added.json()["status"] == "assumption"
    assert run_cli("review", "approve", item.id, "--yes", env=env).code == 0

    shown = run_cli("review", "show", item.id, "--json", env=env).json()
    assert shown["status"] == "approved" and shown["pending"] is None
    goal = shown["fields"]["goals"][0]
    assert set(goal) >= {"id", "text", "status", "evidence", "support"}
    assert goal["status"] == "supported"
    assert goal["support"] == {"interviews": 1, "accounts": 1}
    assert goal["evidence"][0]["quote"] == "q"
    assert shown["fields"]["goals"][1]["text"] == "Fewer duplicates"
    assert shown["fields"]["objections"][0]["status"] == "assumption"

    hist = run_cli("review", "history", item.id, "--json", env=env).json()
    assert [h["action"] for h in hist][-3:] == ["edit_claim", "add_claim", "set_status"]
    assert set(hist[0]) == {
        "id",
        "item_id",
        "claim_id",
        "action",
        "author",
        "created_at",
        "before",
        "after",
    }

    ws = init_workspace(tmp_path / "ws")
    r.upsert_generated(
        ws, "persona", "persona:champion", "Champion Chris", {"goals": ["New"]}, prov
    )
    ws.close()
    pending = run_cli("review", "show", item.id, "--json", env=env).json()["pending"]
    assert {"change": "added", "field": "goals", "after": "New"}.items() <= pending["changes"][
        0
    ].items()
    assert run_cli("review", "keep", item.id, env=env).code == 0
    assert run_cli("review", "reject", item.id, "--json", env=env).json()["status"] == "rejected"


def test_review_unknown_id_is_exit_2(tmp_path: Path) -> None:
    init_workspace(tmp_path / "ws").close()
    env = {"PERSONA_WORKSPACE": str(tmp_path / "ws")}
    res = run_cli("review", "show", "persona-nope", env=env)
    assert res.code == 2
    assert "persona review list" in res.stderr and "Traceback" not in res.stderr
    assert run_cli("review", "accept", "persona-nope", env=env).code == 2
