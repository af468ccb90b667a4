"""The messaging grid: every persona × every role present; any cell drafted on demand."""

from __future__ import annotations

from assistant import review
from assistant.generate.messaging import estimate_messaging, messaging_grid
from assistant.llm.fake_server import FakeLlmServer
from assistant.settings import load_settings
from assistant.workspace import Workspace
from tests.generate.helpers import generation_responder
from tests.support.cli import run_cli

CELL = "messaging:persona:champion:economic_buyer"


def test_grid_has_every_persona_and_every_role_present(generated_ws: Workspace) -> None:
    grid = messaging_grid(generated_ws)
    personas = {p.key for p in grid.personas}
    assert {"persona:champion", "persona:economic_buyer", "persona:other"} <= personas
    # roles present in the sample corpus, in persona order; "other" is a column too
    assert grid.roles == ["economic_buyer", "champion", "technical_buyer", "end_user", "other"]
    champion = next(p for p in grid.personas if p.key == "persona:champion")
    assert grid.cell(champion, "champion") is not None  # analyze drafts the diagonal
    assert grid.cell(champion, "economic_buyer") is None
    other = next(p for p in grid.personas if p.key == "persona:other")
    assert grid.cell(other, "other") is not None  # the "other" persona's cell can be opened


def test_a_stored_persona_role_is_a_column_even_when_no_insight_has_it(
    generated_ws: Workspace,
) -> None:
    """Insights naming only champions: the stored persona:other and its draft keep "other"."""
    generated_ws.conn.execute("UPDATE insights SET dmu_role = 'champion'")
    generated_ws.conn.commit()
    grid = messaging_grid(generated_ws)
    assert "other" in grid.roles  # the stored persona:other and its messaging keep it


def test_cli_drafts_one_off_diagonal_cell_after_printing_the_estimate(
    generated_ws: Workspace,
) -> None:
    est = estimate_messaging(generated_ws, load_settings({}), "persona:champion", "economic_buyer")
    assert est.calls == 1 and est.input_tokens > 0
    with FakeLlmServer(responder=generation_responder(), model="authored-fixture") as server:
        env = {
            "OPENAI_BASE_URL": server.base_url,
            "OPENAI_API_KEY": "test-key-not-secret",
            "PERSONA_MAX_OUTPUT_TOKENS": "16000",
        }
        args = ("messaging", "--persona", "persona:champion", "--role", "economic_buyer")
        res = run_cli("-w", str(generated_ws.root), *args, env=env)
        assert res.code == 0, res.stderr
        assert "estimate:" in res.stderr and "total" in res.stderr
        assert server.request_count == 1
    generated_ws.conn.rollback()
    item = review.get_item(generated_ws, CELL)
    assert item.key == CELL and any(c.evidence for c in item.claims())


def test_unknown_role_is_refused_before_any_call(generated_ws: Workspace) -> None:
    res = run_cli(
        "-w",
        str(generated_ws.root),
        "messaging",
        "--persona",
        "persona:champion",
        "--role",
        "procurement",
    )
    assert res.code == 2
    assert "unknown role 'procurement'" in res.stderr
