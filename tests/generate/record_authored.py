"""Re-create the authored generation cassettes (themes, personas, ICP, messaging).

The sample interviews are ingested into a temporary workspace and the whole
`persona analyze` pipeline runs in record mode against the fake server, which
answers with the hand-written objects in ``fixtures/authored/<task>/`` and
reports the model ``authored-fixture``. Writes ``fixtures/cassettes/<task>.json``
for the four generation tasks (extraction's cassettes are left as they are).

Re-run whenever a generation input changes (prompt variables, clustering,
the extraction fixtures, the embedding model)::

    .venv/bin/python -m tests.generate.record_authored
    .venv/bin/python -m tests.generate.record_alternative   # the demo's alternative persona
"""

from __future__ import annotations

import json

from assistant.generate import analyze
from tests.generate.helpers import TASKS, generation_responder
from tests.support.corpus import authored_recording


def main() -> None:
    with authored_recording(generation_responder(), TASKS) as run:
        report = analyze(run.ws, run.settings)
    print(json.dumps([s.to_json() | {"changes": len(s.changes)} for s in report.steps], indent=1))


if __name__ == "__main__":
    main()
