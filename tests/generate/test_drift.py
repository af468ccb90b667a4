"""Echo drift in generation: ids and roles the model writes back differently, never silent.

The fake server (real HTTP on 127.0.0.1) answers the naming and messaging
requests the way a drifting model would; the CLI tests run `persona` in a
subprocess on replayed cassettes.
"""

from __future__ import annotations

import json
import math
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from assistant.generate import generate_messaging
from assistant.generate.common import stored_step_hash
from assistant.generate.themes import BATCH_SIZE, generate_themes
from assistant.llm.fake_server import FakeLlmServer
from assistant.review import list_items
from assistant.settings import Settings, load_settings
from assistant.workspace import Workspace
from tests.extract.helpers import user_text
from tests.generate.helpers import AUTHORED
from tests.llm.helpers import TEST_KEY
from tests.support.cli import run_cli
from tests.support.paths import FIXTURES

CASSETTES = FIXTURES / "cassettes"


def live(server: FakeLlmServer, **llm: Any) -> Settings:
    """Live settings against the fake server; a model of its own, so no kept answer is reused."""
    return load_settings(
        {
            "llm": {
                "base_url": server.base_url,
                "server": "openai",
                "model": "drift-model",
                "retry_base_s": 0.01,
                **llm,
            },
            "privacy": {"redact": False},
        }
    )


def asks(body: dict[str, Any]) -> int:
    """1 for a first request, 2 for its re-ask (the user messages of the conversation)."""
    return sum(m.get("role") == "user" for m in body["messages"])


def names_for(ids: list[str]) -> list[dict[str, str]]:
    return [
        {"theme_id": i, "label": f"Theme {i[-6:]}", "description": "What they said."} for i in ids
    ]


def test_theme_ids_repaired_reasked_and_an_unnamed_theme_retried(
    extracted_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", TEST_KEY)
    first_batch: list[str] = []

    def drifting(body: dict[str, Any]) -> dict[str, Any]:
        ids = re.findall(r'<theme id="([^"]+)"', user_text(body))
        if not first_batch:
            first_batch.extend(ids)
        if ids != first_batch:
            return {"themes": names_for(ids)}
        a, b, _never, *rest = ids
        named = names_for([a.upper(), b if asks(body) > 1 else "theme:unknown:nope", *rest])
        return {"themes": named}  # the third is never named

    with FakeLlmServer(responder=drifting) as server:
        settings = live(server)
        result = generate_themes(extracted_ws, settings)
        a, b, c = first_batch[:3]
        batches = math.ceil(len(result.themes) / BATCH_SIZE)
        assert server.request_count == batches + 1  # one re-ask, for the first batch only
        (reask,) = [user_text(r.body) for r in server.requests if asks(r.body) > 1]
        assert '"theme:unknown:nope"' in reask and f'"{c}"' in reask  # with the valid ids
        labels = {t.key: t.label for t in result.themes}
        assert labels[a] == f"Theme {a.upper()[-6:]}"  # the id in another case was repaired
        assert labels[b] == f"Theme {b[-6:]}"  # named after the re-ask
        assert labels[c].startswith("Unnamed ")  # stored, and said
        text = [w.message for w in result.warnings]
        assert f'theme id "{a.upper()}" read as "{a}"' in text
        (unnamed,) = [w for w in result.warnings if w.incomplete]
        assert unnamed.subject == c and "the model gave no name" in unnamed.message
        assert not result.complete and stored_step_hash(extracted_ws, "themes") is None
        logged = extracted_ws.conn.execute("SELECT COUNT(*) FROM run_warnings").fetchone()[0]
        assert logged == len(result.warnings)

        # the next run retries: only the incomplete batch is asked again (the rest were kept)
        server.responder = lambda body: {
            "themes": names_for(re.findall(r'<theme id="([^"]+)"', user_text(body)))
        }
        before = server.request_count
        again = generate_themes(extracted_ws, settings)
        assert server.request_count == before + 1
        assert again.complete and not again.warnings
        assert {t.key: t.label for t in again.themes}[c] == f"Theme {c[-6:]}"
        assert stored_step_hash(extracted_ws, "themes") is not None

        # nothing changed since: no call at all, the stored names are shown
        before = server.request_count
        third = generate_themes(extracted_ws, settings)
        assert server.request_count == before
        assert not third.named and set(third.changes.values()) == {"unchanged"}
        assert [t.label for t in third.themes] == [t.label for t in again.themes]


def test_messaging_role_is_set_by_code_and_a_role_the_model_adds_is_ignored(
    generated_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", TEST_KEY)
    answer = json.loads((AUTHORED / "draft_messaging" / "champion.json").read_text("utf-8"))
    answer["dmu_role"] = "economic_buyer"  # a role that was not requested
    with FakeLlmServer(responder=lambda body: answer) as server:
        (outcome,) = generate_messaging(
            generated_ws, live(server, max_reasks=1), persona="persona:champion"
        )
        schema = server.requests[0].body["response_format"]["json_schema"]["schema"]
        assert "dmu_role" not in json.dumps(schema) and "roles" not in schema["properties"]
        assert server.request_count == 2  # rejected once, then what is valid is kept
    assert outcome.role == "champion"
    assert outcome.item.key == "messaging:persona:champion:champion"
    assert 'ignored the unknown field "dmu_role" in (reply)' in [
        w.message for w in outcome.warnings
    ]
    stored = {i.key: i for i in list_items(generated_ws, "messaging")}
    value = stored["messaging:persona:champion:champion"].fields["value_proposition"][0]
    assert value.text == answer["value_proposition"]["text"]
    assert not any(k.endswith(":economic_buyer") and "champion" in k for k in stored)


def test_cited_ids_in_another_case_are_repaired(
    generated_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", TEST_KEY)
    answer = json.loads((AUTHORED / "draft_messaging" / "champion.json").read_text("utf-8"))
    cited = answer["value_proposition"]["evidence_ids"][0]
    answer["value_proposition"]["evidence_ids"][0] = cited.upper()
    with FakeLlmServer(responder=lambda body: answer) as server:
        (outcome,) = generate_messaging(generated_ws, live(server), persona="persona:champion")
        assert server.request_count == 1
    assert f'cited id "{cited.upper()}" read as "{cited}"' in [w.message for w in outcome.warnings]
    links = outcome.item.fields["value_proposition"][0].evidence
    assert cited in {e.insight_id for e in links}


BLOCKED = {
    "PERSONA_LLM_MODE": "replay",
    "OPENAI_BASE_URL": "http://127.0.0.1:9/v1",
    "HF_HUB_OFFLINE": "1",
}


def test_json_on_failure_prints_one_document_with_errors(
    extracted_template: Path, tmp_path: Path
) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(extracted_template, ws)
    only_extraction = tmp_path / "cassettes"
    only_extraction.mkdir()
    shutil.copy(CASSETTES / "extract_interview.json", only_extraction)
    env = {**BLOCKED, "PERSONA_CASSETTE_DIR": str(only_extraction)}
    res = run_cli("-w", str(ws), "analyze", "--json", env=env)
    assert res.code == 1, res.stderr
    data = res.json()  # one JSON document on stdout, also when a step fails
    assert [(s["step"], s["status"]) for s in data["steps"]] == [
        ("extract", "skipped"),
        ("themes", "failed"),
    ]
    (error,) = data["errors"]
    assert (
        error["message"].startswith("themes: ") and "no recorded LLM response" in error["message"]
    )
    assert "error: themes:" in res.stderr

    res = run_cli("-w", str(ws), "themes", "--json", env=env)
    assert res.code == 1
    assert "no recorded LLM response" in res.json()["errors"][0]["message"]
