"""Re-create the authored cassette fixtures/cassettes/echo_task.json.

We have no model API here, so this cassette is *authored*: the exchange is
recorded through the app's real record mode against the fake server, which
answers with our hand-written object and ``"model": "authored-fixture"``.

    .venv/bin/python -m tests.llm.record_authored
"""

from __future__ import annotations

import asyncio
import os

from assistant.llm.fake_server import FakeLlmServer
from assistant.llm.tasks import run_structured
from assistant.settings import load_settings
from tests.llm.helpers import CASSETTES, ECHO_PROMPT, EchoOut, echo_object

AUTHORED_INPUT = {"text": "Hello there, and thank you for joining the interview."}


def main() -> None:
    with FakeLlmServer(model="authored-fixture", responder=echo_object) as server:
        os.environ["OPENAI_API_KEY"] = "authoring-placeholder"
        settings = load_settings(
            {
                "llm": {
                    "base_url": server.base_url,
                    "server": "openai",
                    "mode": "record",
                    "cassette_dir": str(CASSETTES),
                }
            }
        )
        value, usage = asyncio.run(
            run_structured("echo_task", ECHO_PROMPT, AUTHORED_INPUT, EchoOut, settings=settings)
        )
    print(f"recorded {value!r} ({usage.input_tokens}+{usage.output_tokens} tokens) in {CASSETTES}")


if __name__ == "__main__":
    main()
