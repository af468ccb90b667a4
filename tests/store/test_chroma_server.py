"""Ingest and search against a real Chroma server (`chroma run` on 127.0.0.1)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.library import ingest_paths
from assistant.search import search
from assistant.workspace import init_workspace
from tests.support.store import CountingEmbedder, HashEmbedder

pytestmark = [pytest.mark.chroma_server, pytest.mark.slow]


def chroma_executable() -> str | None:
    local = Path(sys.executable).parent / "chroma"
    return str(local) if local.exists() else shutil.which("chroma")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[int]:
    exe = chroma_executable()
    if exe is None:
        pytest.skip("the `chroma` executable is not installed")
    port = free_port()
    proc = subprocess.Popen(
        [
            exe,
            "run",
            "--path",
            str(tmp_path / "server"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 90  # start-up wait on a loaded machine, not a speed claim
        while True:
            try:
                url = f"http://127.0.0.1:{port}/api/v2/heartbeat"
                with urllib.request.urlopen(url, timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"chroma run did not start (exit code {proc.poll()})")
            time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_ingest_and_search_through_a_chroma_server(
    chroma_server: int, sample_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("CHROMA_PORT", str(chroma_server))
    ws = init_workspace(tmp_path / "ws")
    embedder = CountingEmbedder(HashEmbedder())
    results = ingest_paths(ws, [sample_dir], embedder=embedder)
    assert {r.status for r in results} == {"ingested"}
    # Nothing was written to the embedded store: the vectors live on the server.
    assert not any((ws.chroma_dir).iterdir())
    stored = embedder.texts
    hits = search(ws, "NetSuite integration day one", k=2, role="participant", embedder=embedder)
    assert hits[0].interview_id == "acme-cfo"
    assert "NetSuite" in hits[0].text

    import chromadb
    from chromadb.config import Settings

    client = chromadb.HttpClient(
        host="127.0.0.1", port=chroma_server, settings=Settings(anonymized_telemetry=False)
    )
    collection = client.get_collection("chunks", embedding_function=None)
    assert collection.count() == stored
    function = collection.configuration["embedding_function"]
    assert function is not None and function.name() == "persona"
