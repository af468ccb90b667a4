"""Highlights and the tag codebook: core behaviour and bad inputs, on the replayed corpus."""

from __future__ import annotations

import pytest

from assistant.errors import UsageError
from assistant.extract import extract_interviews, list_insights
from assistant.highlights import add_highlight, find_passages, remove_highlight
from assistant.library import get_interview
from assistant.models import EvidenceStatus, SpeakerRole
from assistant.selection import InterviewFilter, filter_insights, select_interviews
from assistant.tags import list_tags, merge_tags, rename_tag, tagged_insights
from assistant.workspace import Workspace
from tests.support.corpus import replay_settings

IID = "northwind-cfo"
QUOTE = "Our close took nine business days."


def _turn_with(ws: Workspace, words: str) -> int:
    turns = get_interview(ws, IID).transcript.turns
    return next(t.index for t in turns if words in t.text)


def test_highlight_is_a_verified_user_insight_with_tags(extracted_ws: Workspace) -> None:
    turn = _turn_with(extracted_ws, QUOTE)
    done = add_highlight(
        extracted_ws,
        IID,
        turn=turn,
        quote=QUOTE,
        kind="pain",
        statement="Month-end close took nine days",
        tags=["close speed", "Accruals"],
    )
    ins = done.insight
    assert done.warnings == []
    assert ins.origin == "user" and ins.added_by_user and ins.model == "user"
    assert ins.id == f"{IID}:u1" and ins.kind == "pain"
    assert ins.tags == ["Accruals", "close speed"]
    [ev] = ins.evidence
    assert ev["status"] == "verified" and ev["quote"] == QUOTE and ev["turn"] == turn
    text = get_interview(extracted_ws, IID).transcript.text
    assert text[ev["start"] : ev["end"]] == QUOTE  # the transcript's own words
    assert ins.to_json()["provenance"]["origin"] == "user"
    assert ins.dmu_role == "economic_buyer"  # Dana Whitfield's role in the metadata


def test_highlight_by_offsets_and_whole_turn(extracted_ws: Workspace) -> None:
    turn = _turn_with(extracted_ws, QUOTE)
    words = get_interview(extracted_ws, IID).transcript.turns
    body = next(t.text for t in words if t.index == turn)
    at = body.index(QUOTE)
    part = add_highlight(
        extracted_ws, IID, turn=turn, start=at, end=at + 9, kind="pain", statement="x"
    )
    assert part.insight.evidence[0]["quote"] == "Our close"
    whole = add_highlight(extracted_ws, IID, turn=turn, kind="result", statement="y")
    assert whole.insight.evidence[0]["quote"] == body.strip()
    assert whole.insight.id == f"{IID}:u2"


def test_highlights_survive_re_extraction(extracted_ws: Workspace) -> None:
    turn = _turn_with(extracted_ws, QUOTE)
    add_highlight(
        extracted_ws, IID, turn=turn, quote=QUOTE, kind="pain", statement="s", tags=["close"]
    )
    before = len(list_insights(extracted_ws, IID))
    extract_interviews(extracted_ws, replay_settings(), [IID], force=True)
    after = list_insights(extracted_ws, IID)
    assert len(after) == before
    mine = [i for i in after if i.added_by_user]
    assert [(i.id, i.tags, i.evidence[0]["quote"]) for i in mine] == [
        (f"{IID}:u1", ["close"], QUOTE)
    ]


def test_bad_highlights_are_refused_and_store_nothing(extracted_ws: Workspace) -> None:
    transcript = get_interview(extracted_ws, IID).transcript
    turn = _turn_with(extracted_ws, QUOTE)
    body = next(t for t in transcript.turns if t.index == turn)
    nxt = next(t for t in transcript.turns if t.index == turn + 1)
    count = len(list_insights(extracted_ws))
    # across two speakers' turns: by offsets past the turn, and by a quote spanning both
    with pytest.raises(UsageError, match="one turn per quote") as err:
        add_highlight(
            extracted_ws,
            IID,
            turn=turn,
            start=0,
            end=len(body.text) + 20,
            kind="pain",
            statement="s",
        )
    assert nxt.speaker in str(err.value)
    spanning = " ".join(body.text.split()[-4:] + nxt.text.split()[:4])
    with pytest.raises(UsageError, match="one turn per quote"):
        add_highlight(extracted_ws, IID, turn=turn, quote=spanning, kind="pain", statement="s")
    interviewer = next(t for t in transcript.turns if t.role == "interviewer")
    with pytest.raises(UsageError, match="interviewer's"):
        add_highlight(extracted_ws, IID, turn=interviewer.index, kind="pain", statement="s")
    with pytest.raises(UsageError, match="unknown kind"):
        add_highlight(extracted_ws, IID, turn=turn, kind="painful", statement="s")
    with pytest.raises(UsageError, match="statement"):
        add_highlight(extracted_ws, IID, turn=turn, kind="pain", statement="  ")
    with pytest.raises(UsageError, match="name of an insight kind"):
        add_highlight(extracted_ws, IID, turn=turn, kind="pain", statement="s", tags=["Pain"])
    with pytest.raises(UsageError, match="no turn 999"):
        add_highlight(extracted_ws, IID, turn=999, kind="pain", statement="s")
    with pytest.raises(UsageError, match="does not contain"):
        add_highlight(
            extracted_ws, IID, turn=turn, quote="words nobody said here", kind="pain", statement="s"
        )
    with pytest.raises(UsageError, match="empty"):
        add_highlight(extracted_ws, IID, turn=turn, start=5, end=5, kind="pain", statement="s")
    assert len(list_insights(extracted_ws)) == count


def test_remove_only_user_insights(extracted_ws: Workspace) -> None:
    turn = _turn_with(extracted_ws, QUOTE)
    done = add_highlight(extracted_ws, IID, turn=turn, quote=QUOTE, kind="pain", statement="s")
    model = next(i for i in list_insights(extracted_ws, IID) if not i.added_by_user)
    with pytest.raises(UsageError, match="extracted by the model"):
        remove_highlight(extracted_ws, model.id)
    remove_highlight(extracted_ws, done.insight.id)
    assert not [i for i in list_insights(extracted_ws, IID) if i.added_by_user]
    count = extracted_ws.conn.execute(
        "SELECT COUNT(*) FROM evidence WHERE owner_id = ?", (done.insight.id,)
    ).fetchone()[0]
    assert count == 0


def test_codebook_counts_rename_merge_and_filters(extracted_ws: Workspace) -> None:
    turn = _turn_with(extracted_ws, QUOTE)
    a = add_highlight(
        extracted_ws, IID, turn=turn, quote=QUOTE, kind="pain", statement="a", tags=["close"]
    )
    add_highlight(
        extracted_ws, IID, turn=turn, quote="Nine.", kind="pain", statement="b", tags=["speed"]
    )
    # a later tag spelled differently joins the codebook's spelling
    add_highlight(
        extracted_ws, IID, turn=turn, quote=QUOTE, kind="result", statement="c", tags=["CLOSE"]
    )
    counts = {c.tag: (c.insights, c.quotes, c.interviews) for c in list_tags(extracted_ws)}
    assert counts == {"close": (2, 2, 1), "speed": (1, 1, 1)}
    with pytest.raises(UsageError, match="already exists"):
        rename_tag(extracted_ws, "speed", "Close")
    with pytest.raises(UsageError, match="name of an insight kind"):
        rename_tag(extracted_ws, "speed", "goal")
    with pytest.raises(UsageError, match="no tag 'nope'"):
        rename_tag(extracted_ws, "nope", "x")
    rename_tag(extracted_ws, "speed", "pace")
    with pytest.raises(UsageError, match="into itself"):
        merge_tags(extracted_ws, ["pace"], "PACE")
    merged = merge_tags(extracted_ws, ["pace"], "close")
    assert (merged.tag, merged.insights) == ("close", 3)
    assert [c.tag for c in list_tags(extracted_ws)] == ["close"]
    assert a.insight.id in {i.id for i in tagged_insights(extracted_ws, "Close")}
    # the tag filter: interviews holding a tagged insight; insights the tag marks
    flt = InterviewFilter(tag="close")
    assert select_interviews(extracted_ws, flt) == [IID]
    kept = filter_insights(extracted_ws, flt, list_insights(extracted_ws))
    assert {i.id for i in kept} == {i.id for i in tagged_insights(extracted_ws, "close")}
    # the app's Library filter finds the interview by the codebook tag
    from assistant.library.overview import filter_rows, load_rows

    assert IID in [r.id for r in filter_rows(load_rows(extracted_ws.conn), "close")]
    rename_tag(extracted_ws, "close", "zebra codebook")
    assert [r.id for r in filter_rows(load_rows(extracted_ws.conn), "zebra codebook")] == [IID]
    rename_tag(extracted_ws, "zebra codebook", "close")
    # a metadata tag still keeps every insight of its interviews
    meta = filter_insights(
        extracted_ws, InterviewFilter(tag="why-we-bought"), list_insights(extracted_ws)
    )
    assert IID in {i.interview_id for i in meta} and len(meta) > 3


def test_highlight_and_tags_cli(extracted_ws: Workspace) -> None:
    from tests.support.cli import run_cli

    ws = ["--workspace", str(extracted_ws.root)]
    turn = str(_turn_with(extracted_ws, QUOTE))
    res = run_cli(
        *ws, "highlight", IID, "--turn", turn, "--quote", QUOTE, "--kind", "pain",
        "--statement", "Close took nine days", "--tag", "close", "--json",
    )  # fmt: skip
    assert res.code == 0, res.stderr
    data = res.json()
    assert data["insight"]["provenance"]["origin"] == "user"
    assert data["insight"]["evidence"][0]["status"] == "verified"
    bad = run_cli(
        *ws, "highlight", IID, "--turn", turn, "--end", "99999", "--kind", "pain",
        "--statement", "s",
    )  # fmt: skip
    assert bad.code == 2 and "one turn per quote" in bad.stderr and "Traceback" not in bad.stderr
    clash = run_cli(
        *ws, "highlight", IID, "--turn", turn, "--kind", "pain", "--statement", "s",
        "--tag", "objection",
    )  # fmt: skip
    assert clash.code == 2 and "name of an insight kind" in clash.stderr
    listed = run_cli(*ws, "tags", "--json")
    assert listed.json() == [{"tag": "close", "insights": 1, "quotes": 1, "interviews": 1}]
    assert run_cli(*ws, "tags", "rename", "close", "month-end").code == 0
    quotes = run_cli(*ws, "tags", "quotes", "month-end")
    assert QUOTE in quotes.stdout and "added by you" in quotes.stdout
    only = run_cli(*ws, "insights", "--tag", "month-end", "--json")
    assert [i["id"] for i in only.json()] == [data["insight"]["id"]]
    removed = run_cli(*ws, "unhighlight", data["insight"]["id"])
    assert removed.code == 0, removed.stderr
    assert run_cli(*ws, "tags", "--json").json() == []


def test_find_passages_gives_participant_sentences_with_their_status(
    extracted_ws: Workspace,
) -> None:
    assert find_passages(extracted_ws, "  ") == []
    found = find_passages(extracted_ws, "the", limit=500)
    assert found and len(found) < 500
    for passage in found:
        assert passage.turn.role is not SpeakerRole.interviewer
        assert "the" in passage.words.casefold()
        assert passage.words in passage.turn.text
        transcript = get_interview(extracted_ws, passage.interview_id).transcript
        assert transcript.text[passage.start : passage.end] == passage.words
        expected = EvidenceStatus.verified if transcript.verbatim else EvidenceStatus.note
        if passage.turn.role is SpeakerRole.unknown and transcript.verbatim:
            expected = EvidenceStatus.unattributed
        assert passage.status is expected
    assert any(p.status is EvidenceStatus.verified for p in found)
    assert len({p.words for p in found if len(p.words) < len(p.turn.text)}) > 0
