"""The ONNX Runtime path of the local model: fp32 gives torch's vectors, int8 close ones (a
model of its own); no torch on the query path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import cast

import numpy as np
import pytest

from assistant import db, onnx_embedder
from assistant.embeddings import (
    META_KEY,
    LocalEmbedder,
    bundled_model_path,
    for_analysis,
    make_embedder,
)
from assistant.errors import UsageError
from assistant.library import check_embedding_model, ingest_paths
from assistant.settings import EmbeddingSettings, load_settings
from assistant.workspace import Workspace, init_workspace
from tests.support.store import INTERVIEWS

TEXTS = [
    "Invoices sat in the controller's inbox for two weeks before anyone approved them.",
    "We closed the books in four days instead of eleven after the NetSuite sync went live.",
    "Honestly the pricing per invoice scared our CFO more than the rollout did.",
    "Ana Sofía said the OCR got the € amounts wrong on Spanish supplier invoices — twice.",
    "ok",
    "",
    " ".join(["The approval chain keeps growing as we acquire more dental practices."] * 40),
]

MODULES = ("chromadb", "torch", "sentence_transformers", "transformers", "onnxruntime")
PROBE = """
import json, sys
from assistant.cli.app import main
sys.argv = ["persona", *sys.argv[1:]]
code = 0
try:
    main()
except SystemExit as exc:
    code = exc.code if isinstance(exc.code, int) else 1
loaded = [m for m in {modules!r} if m in sys.modules]
sys.stderr.write("\\nPROBE " + json.dumps({{"code": code, "loaded": loaded}}) + "\\n")
"""


def _probe(ws: Workspace, *args: str) -> dict[str, object]:
    """Run `persona ARGS` in a fresh interpreter; which heavy modules did it import?"""
    env = {**os.environ, "PERSONA_WORKSPACE": str(ws.root)}
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(modules=MODULES), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        cwd=Path(__file__).resolve().parents[2],
    )
    line = next(x for x in out.stderr.splitlines() if x.startswith("PROBE "))
    result: dict[str, object] = json.loads(line.removeprefix("PROBE "))
    result["stdout"] = out.stdout
    return result


def _cosines(runtime: str) -> np.ndarray:
    a = np.asarray(LocalEmbedder(runtime=runtime).embed(TEXTS))
    b = np.asarray(LocalEmbedder(runtime="torch").embed(TEXTS))
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-4)
    cosine: np.ndarray = (a * b).sum(axis=1) / (
        np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1)
    )
    return cosine


@pytest.mark.slow
def test_onnx_and_torch_agree() -> None:
    cosine = _cosines("onnx")
    assert cosine.min() >= 0.99, cosine


@pytest.mark.slow
def test_int8_stays_close_to_torch() -> None:
    """int8 weights move vectors a little (benchmarks/RESULTS.md: mean 0.99, min 0.97 over 600
    interview turns), which is why int8 is recorded as a model of its own."""
    cosine = _cosines("onnx-int8")
    assert cosine.mean() >= 0.98 and cosine.min() >= 0.95, cosine
    assert cosine.min() < 0.9999, "int8 vectors equal fp32: the quantised file is not used"


def test_token_batches_bound_rows_times_length() -> None:
    lengths = [256, 12, 256, 30, 200, 12, 256, 256, 256, 256, 256, 256, 256, 5]
    groups = onnx_embedder.token_batches(lengths, max_rows=4, max_tokens=1024)
    assert sorted(i for g in groups for i in g) == list(range(len(lengths)))  # each once
    for g in groups:
        assert 1 <= len(g) <= 4
        assert len(g) * max(lengths[i] for i in g) <= 1024
    assert [lengths[i] for i in groups[0]] == [5, 12, 12, 30]  # shortest first, row cap
    assert onnx_embedder.token_batches([5000], 64, 2048) == [[0]]  # too long alone: alone
    assert onnx_embedder.token_batches([], 64, 2048) == []


@pytest.mark.slow
def test_vectors_do_not_depend_on_the_batching(monkeypatch: pytest.MonkeyPatch) -> None:
    """fp32: one batch per text or the token-bounded batches give the same vectors, in order."""
    texts = TEXTS * 3
    grouped = np.asarray(LocalEmbedder(runtime="onnx").embed(texts))
    monkeypatch.setattr(onnx_embedder, "TOKENS_PER_BATCH", 1)  # one text per run
    alone = np.asarray(LocalEmbedder(runtime="onnx").embed(texts))
    assert np.allclose(grouped, alone, atol=1e-5)


@pytest.mark.slow
def test_export_is_made_once_in_the_cache_folder(
    model_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model_dir = bundled_model_path("all-MiniLM-L6-v2")
    assert model_dir is not None
    LocalEmbedder().embed(["warm the cache"])
    path = onnx_embedder.cached_model_path(model_dir)
    assert path.is_file() and model_cache in path.parents
    assert path.with_name("model.int8.onnx").is_file()  # the default runtime's int8 copy

    def refuse(*_: object) -> Path:
        raise AssertionError("exported again although the cache holds the model")

    monkeypatch.setattr(onnx_embedder, "export_onnx", refuse)
    monkeypatch.setattr(onnx_embedder, "quantize_onnx", refuse)
    assert len(LocalEmbedder().embed(["from the cache"])[0]) == 384


def test_runtime_setting_and_its_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    assert make_embedder(EmbeddingSettings()).runtime == "onnx-int8"  # type: ignore[attr-defined]
    monkeypatch.setenv("PERSONA_EMBEDDINGS_RUNTIME", "torch")
    torch = make_embedder(load_settings({}).embeddings)
    assert torch.runtime == "torch" and torch.name == "local:all-MiniLM-L6-v2"  # type: ignore[attr-defined]
    with pytest.raises(UsageError, match='runtime = "torch"'):
        LocalEmbedder("some-other-model", runtime="onnx")
    with pytest.raises(UsageError, match='runtime = "torch"'):
        LocalEmbedder("some-other-model", runtime="onnx-int8")


def test_analysis_compares_with_exact_vectors() -> None:
    """Merging and clustering thresholds are set on fp32 vectors: int8 is for the store only."""
    int8 = LocalEmbedder(runtime="onnx-int8", batch_size=8, threads=1)
    exact = for_analysis(int8)
    assert isinstance(exact, LocalEmbedder)
    assert (exact.runtime, exact.name) == ("onnx", "local:all-MiniLM-L6-v2")
    assert (exact.batch_size, exact.threads) == (8, 1)
    torch = LocalEmbedder(runtime="torch")
    assert for_analysis(torch) is torch


def test_switching_to_or_from_int8_asks_for_a_reindex(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = init_workspace(tmp_path / "ws")
    db.set_meta(ws.conn, META_KEY, "local:all-MiniLM-L6-v2")  # a workspace built before int8
    check_embedding_model(ws, load_settings({"embeddings": {"runtime": "torch"}}))
    check_embedding_model(ws, load_settings({"embeddings": {"runtime": "onnx"}}))
    with pytest.raises(UsageError, match="persona reindex"):
        check_embedding_model(ws, load_settings({}))  # default: onnx-int8
    db.set_meta(ws.conn, META_KEY, "local:all-MiniLM-L6-v2+int8")
    check_embedding_model(ws, load_settings({}))
    with pytest.raises(UsageError, match="persona reindex"):
        check_embedding_model(ws, load_settings({"embeddings": {"runtime": "torch"}}))
    ws.close()


def test_interviews_command_reads_sqlite_without_heavy_imports(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws")
    for name, text in INTERVIEWS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    from tests.support.store import HashEmbedder

    ingest_paths(ws, [tmp_path / n for n in INTERVIEWS], embedder=HashEmbedder())
    result = _probe(ws, "interviews", "--json")
    assert result["code"] == 0
    assert len(json.loads(str(result["stdout"]))) == len(INTERVIEWS)
    assert result["loaded"] == [], result["loaded"]
    ws.close()


@pytest.mark.slow
def test_search_query_path_never_imports_torch(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws")
    for name, text in INTERVIEWS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    ingest_paths(ws, [tmp_path / n for n in INTERVIEWS], embedder=LocalEmbedder())
    result = _probe(ws, "search", "reviewers vouched for the audit log", "--json")
    assert result["code"] == 0, result
    hits = json.loads(str(result["stdout"]))
    assert hits and hits[0]["interview_id"] == "acme-cfo"
    loaded = set(cast(list[str], result["loaded"]))
    assert "onnxruntime" in loaded
    assert not loaded & {"torch", "sentence_transformers", "transformers"}, loaded
    ws.close()
