"""The realistic set: long real interviews, several windows, long authored answers.

The interviews are read from ../shared/data at test time (skipped when
absent); the answers are ours (fixtures/realistic/, "authored"). See
tests/support/realistic.py.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from assistant.extract import extract_interviews
from assistant.llm.tokens import count_tokens
from tests.support.realistic import ANSWERS, DRIFT, INTERVIEWS, available, realistic_run

pytestmark = pytest.mark.skipif(
    not available(), reason="../shared/data/anthropic-interviewer is not present"
)


def test_every_window_is_answered_in_full_and_every_quote_verifies(tmp_path: Path) -> None:
    with realistic_run(tmp_path / "ws") as run:
        outcomes = extract_interviews(run.ws, run.settings)
        answers = sorted(ANSWERS.glob("*.json"))
        served = Counter(run.served.windows)
        # one request per window, none repeated (no re-ask, no split), every answer used
        assert sorted(f"{s}.w{n}" for s, n in served) == [p.stem for p in answers]
        assert set(served.values()) == {1}
        windows = Counter(stem for stem, _ in served)
        assert set(windows) == set(INTERVIEWS) and min(windows.values()) >= 2
        assert [o.status for o in outcomes] == ["extracted"] * len(INTERVIEWS)
        # quotes were copied exactly from the prompt: every one verifies
        assert all(o.unverified == 0 and o.verified > 30 for o in outcomes), outcomes
        stored = int(run.ws.conn.execute("SELECT COUNT(*) FROM insights").fetchone()[0])
        assert stored == sum(o.insights for o in outcomes) > 100
    sizes = [count_tokens(json.dumps(json.loads(p.read_text(encoding="utf-8")))) for p in answers]
    assert sum(s > 2048 for s in sizes) >= 5, sizes


def _insights(run_ws: object, iid: str) -> list[dict[str, object]]:
    conn = run_ws.conn  # type: ignore[attr-defined]
    rows = conn.execute(
        "SELECT statement, speaker FROM insights WHERE interview_id = ? ORDER BY position", (iid,)
    )
    return [dict(r) for r in rows]


def test_an_item_without_quotes_is_never_lost_silently(tmp_path: Path) -> None:
    """One insight of a window comes back with zero quotes, on every re-ask too."""
    stem, window = DRIFT["no-quotes"]
    clean = json.loads((ANSWERS / f"{stem}.w{window}.json").read_text(encoding="utf-8"))
    with realistic_run(tmp_path / "ws", "no-quotes") as run:
        outcomes = {o.interview_id: o for o in extract_interviews(run.ws, run.settings)}
        others = [o for iid, o in outcomes.items() if iid != stem]
        assert all(o.status == "extracted" for o in others)
        hit = outcomes[stem]
        assert hit.status == "extracted", hit.error  # the item is dropped, not the interview
        stored = [i["statement"] for i in _insights(run.ws, stem)]
        dropped = clean["insights"][4]["statement"]
        assert dropped not in stored
        assert all(i["statement"] in stored for i in clean["insights"] if i["statement"] != dropped)
        (warning,) = [w for w in hit.warnings if w.startswith("dropped insights[4]")]
        assert "got 0" in warning and dropped[:40] in warning, warning
        logged = run.ws.conn.execute(
            "SELECT message FROM run_warnings WHERE step = 'extract' AND subject = ?", (stem,)
        ).fetchall()
        assert warning in [r[0] for r in logged]  # kept with the run (persona runs, the app)


def test_a_speaker_label_in_another_case_is_repaired_or_reported(tmp_path: Path) -> None:
    """One insight says speaker "user" where the transcript's label is "User"."""
    stem, _ = DRIFT["speaker-case"]
    with realistic_run(tmp_path / "ws", "speaker-case") as run:
        outcomes = {o.interview_id: o for o in extract_interviews(run.ws, run.settings)}
        assert outcomes[stem].status == "extracted"
        speakers = {str(i["speaker"]) for i in _insights(run.ws, stem)}
        assert speakers == {"User"}  # repaired to the transcript's label
        assert 'speaker "user" read as "User"' in " ".join(outcomes[stem].warnings)


def test_a_buying_role_nobody_asked_for_is_never_dropped_silently(tmp_path: Path) -> None:
    """One insight names a buying role outside the schema's ("procurement_lead")."""
    stem, window = DRIFT["role-not-requested"]
    clean = json.loads((ANSWERS / f"{stem}.w{window}.json").read_text(encoding="utf-8"))
    with realistic_run(tmp_path / "ws", "role-not-requested") as run:
        outcomes = {o.interview_id: o for o in extract_interviews(run.ws, run.settings)}
        hit = outcomes[stem]
        assert hit.status == "extracted", hit.error
        warnings = " ".join(hit.warnings)
        assert "procurement_lead" in warnings, hit.warnings
        assert "dmu_role empty" in warnings  # the role is left out, the insight kept
        stored = [i["statement"] for i in _insights(run.ws, stem)]
        assert clean["insights"][2]["statement"] in stored
