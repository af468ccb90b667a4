"""Re-create the authored extraction cassettes for the sample corpus.

We have no model API here, so these cassettes are *authored*: the sample
interviews are ingested into a temporary workspace and the real extraction
and batch summary run in record mode against the fake server, which answers
with the hand-written objects in ``fixtures/authored/`` and reports the model
``authored-fixture``. Writes ``fixtures/cassettes/extract_interview.json`` and
``fixtures/cassettes/summarize_interviews.json``.

Re-run whenever the inputs of those tasks change (prompt variables, window
rendering, the summary's map step, the transcripts or their parsers)::

    .venv/bin/python -m tests.extract.record_authored
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from assistant.extract import extract_interviews, select_interviews, summarize
from assistant.llm.fake_server import FakeLlmServer
from assistant.settings import load_settings
from assistant.workspace import init_workspace
from tests.extract.helpers import CASSETTES, authored_responder, ingest_samples

TASKS = ("extract_interview", "summarize_interviews")


def main() -> None:
    with (
        tempfile.TemporaryDirectory() as tmp,
        FakeLlmServer(model="authored-fixture", responder=authored_responder()) as server,
    ):
        os.environ["OPENAI_API_KEY"] = "authoring-placeholder"
        recorded = Path(tmp) / "cassettes"
        settings = load_settings(
            {
                "llm": {
                    "base_url": server.base_url,
                    "server": "openai",
                    "mode": "record",
                    "cassette_dir": str(recorded),
                    "max_output_tokens": 16000,
                }
            }
        )
        ws = init_workspace(Path(tmp) / "ws")
        try:
            ingest_samples(ws)
            outcomes = extract_interviews(ws, settings)
            failed = [o for o in outcomes if o.status != "extracted"]
            assert not failed, failed
            result = summarize(ws, settings, select_interviews(ws))
        finally:
            ws.close()
        for task in TASKS:
            shutil.copyfile(recorded / f"{task}.json", CASSETTES / f"{task}.json")
    for o in outcomes:
        print(
            f"{o.interview_id}: {o.insights} insights, {o.verified} verified, "
            f"{o.unverified} unverified, {o.note} note"
        )
    print(f"summary: {len(result.interview_ids)} interviews; cassettes in {CASSETTES}")


if __name__ == "__main__":
    main()
