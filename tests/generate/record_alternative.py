"""Re-create the demo's recorded alternative answer (fixtures/cassettes/alternative/).

Runs the whole `persona analyze` pipeline in record mode as
``tests.generate.record_authored`` does, but the champion persona is answered
with ``fixtures/authored/alternative/draft_personas/champion.json``; only the
``draft_personas`` cassette is kept, in ``fixtures/cassettes/alternative/``.
The app's demo replays it when personas are regenerated, so the regeneration
diff can be seen (fixtures/authored/alternative/README.md)::

    .venv/bin/python -m tests.generate.record_alternative
"""

from __future__ import annotations

import json
import re
from typing import Any

from assistant.generate import analyze
from assistant.llm.fake_server import Responder
from tests.extract.helpers import AUTHORED, CASSETTES, user_text
from tests.generate.helpers import generation_responder
from tests.support.corpus import authored_recording

ALTERNATIVE = AUTHORED / "alternative" / "draft_personas" / "champion.json"
DEST = CASSETTES / "alternative"


def responder() -> Responder:
    """The authored answers, with the alternative for the champion persona."""
    usual = generation_responder()
    alternative = json.loads(ALTERNATIVE.read_text(encoding="utf-8"))

    def respond(body: dict[str, Any]) -> dict[str, Any] | str:
        if re.search(r"^Role: champion\b", user_text(body), re.M):
            return dict(alternative)
        return usual(body)

    return respond


def main() -> None:
    with authored_recording(responder(), ["draft_personas"], dest=DEST) as run:
        analyze(run.ws, run.settings)
    print(f"wrote {DEST / 'draft_personas.json'}")


if __name__ == "__main__":
    main()
