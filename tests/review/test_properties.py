"""Random sequences of edits, approvals and regenerations never lose user work."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from assistant import review as r
from assistant.workspace import Workspace, init_workspace

WORDS = ["close", "faster", "audit", "fewer", "errors", "approvals", "netsuite", "fraud"]
texts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join)
generated = st.lists(texts, max_size=4)


class ReviewMachine(RuleBasedStateMachine):
    """Drives one item through random user actions and regenerations."""

    def __init__(self) -> None:
        super().__init__()
        self.tmp = tempfile.TemporaryDirectory()
        self.ws: Workspace = init_workspace(Path(self.tmp.name) / "ws")
        self.version = 0
        item = self._regen(["close faster", "fewer errors"])
        self.item_id = item.id
        self.protected: dict[str, str] = {}  # claim id -> text the user set
        self.revisions: list[dict[str, Any]] = []

    def teardown(self) -> None:
        self.ws.close()
        self.tmp.cleanup()

    def _regen(self, claims: list[str]) -> r.ReviewItem:
        self.version += 1
        prov = r.Provenance(model="m", prompt_version=f"v{self.version}")
        return r.upsert_generated(self.ws, "persona", "persona:x", "X", {"goals": claims}, prov)

    def _item(self) -> r.ReviewItem:
        return r.get_item(self.ws, self.item_id)

    @rule(claims=generated)
    def regenerate(self, claims: list[str]) -> None:
        before = self._item()
        after = self._regen(claims)
        if before.touched:
            assert [(c.id, c.text) for c in after.claims()] == [
                (c.id, c.text) for c in before.claims()
            ]

    @precondition(lambda self: bool(self._item().claims()))
    @rule(data=st.data(), text=texts)
    def edit(self, data: st.DataObject, text: str) -> None:
        claim = data.draw(st.sampled_from(self._item().claims()))
        r.edit_claim(self.ws, self.item_id, claim.id, text)
        self.protected[claim.id] = text

    @rule(text=texts)
    def add(self, text: str) -> None:
        claim = r.add_claim(self.ws, self.item_id, "goals", text)
        self.protected[claim.id] = text

    @rule(status=st.sampled_from(["approved", "rejected", "draft"]))
    def set_status(self, status: str) -> None:
        r.set_status(self.ws, self.item_id, status)  # type: ignore[arg-type]

    @precondition(lambda self: self._item().pending is not None)
    @rule(accept=st.booleans())
    def decide(self, accept: bool) -> None:
        before = self._item()
        after = (r.accept_pending if accept else r.keep_current)(self.ws, self.item_id)
        assert after.pending is None
        if not accept:
            assert after.claims() == before.claims()

    @invariant()
    def user_text_survives(self) -> None:
        current = {c.id: c for c in self._item().claims()}
        for cid, text in self.protected.items():
            assert cid in current, f"user claim {cid} was dropped"
            assert current[cid].text == text
            assert current[cid].user_owned

    @invariant()
    def history_is_append_only_and_complete(self) -> None:
        revs = [v.model_dump() for v in r.history(self.ws, self.item_id)]
        assert revs[: len(self.revisions)] == self.revisions  # nothing rewritten
        assert [v["id"] for v in revs] == sorted(v["id"] for v in revs)
        self.revisions = revs
        # replaying the claim revisions gives the current claims' text
        replayed: dict[str, str | None] = {}
        for v in revs:
            if v["claim_id"] is not None:
                replayed[v["claim_id"]] = None if v["after"] is None else v["after"]["text"]
        current = {c.id: c.text for c in self._item().claims()}
        assert {k: t for k, t in replayed.items() if t is not None} == current
        status = next(
            (v["after"]["status"] for v in reversed(revs) if v["action"] == "set_status"), "draft"
        )
        assert self._item().status == status


ReviewMachine.TestCase.settings = settings(
    max_examples=40,
    stateful_step_count=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestReviewMachine = ReviewMachine.TestCase
