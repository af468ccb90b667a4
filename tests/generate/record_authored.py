"""Re-create the authored generation cassettes (themes, personas, ICP, messaging).

The sample interviews are ingested into a temporary workspace and the whole
`persona analyze` pipeline runs in record mode against the fake server, which
answers with the hand-written objects in ``fixtures/authored/<task>/`` and
reports the model ``authored-fixture``. Writes ``fixtures/cassettes/<task>.json``
for the four generation tasks (extraction's cassettes are left as they are).

Re-run whenever a generation input changes (prompt variables, clustering,
the extraction fixtures, the embedding model)::

    .venv/bin/python -m tests.generate.record_authored
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from assistant.generate import analyze
from assistant.llm.fake_server import FakeLlmServer
from assistant.settings import load_settings
from assistant.workspace import init_workspace
from tests.extract.helpers import ingest_samples
from tests.generate.helpers import CASSETTES, TASKS, generation_responder


def main() -> None:
    with (
        tempfile.TemporaryDirectory() as tmp,
        FakeLlmServer(model="authored-fixture", responder=generation_responder()) as server,
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
            report = analyze(ws, settings)
        finally:
            ws.close()
        for task in TASKS:
            shutil.copyfile(recorded / f"{task}.json", CASSETTES / f"{task}.json")
    print(json.dumps([s.to_json() | {"changes": len(s.changes)} for s in report.steps], indent=1))


if __name__ == "__main__":
    main()
