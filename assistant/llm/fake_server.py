"""A fake OpenAI-compatible chat server over real HTTP on 127.0.0.1, for tests and benchmarks.

It answers ``POST /v1/chat/completions``, ``POST /v1/embeddings`` (small
deterministic bag-of-words vectors, so subprocess tests need no model) and
``GET /v1/models`` the way the OpenAI API does, so the real openai SDK and langchain-openai code paths run
against it. By default it echoes a valid object for the requested schema
(``response_format.json_schema`` or the forced tool's parameters); a
``responder`` can return canned objects instead (or a string: prose sent as
the reply's content, as a model that refuses or ignores the format does). It reports usage tokens
(``prompt_tokens`` = request body characters / 4, ``completion_tokens`` =
reply characters / 4, at least 1) and keeps what it reported in ``usage_log``.
Like a real server it honours the request's output limit (``max_completion_tokens``,
or ``max_tokens`` as llama.cpp reads it): an answer longer than that many tokens
(counted with :mod:`assistant.llm.tokens`) comes back cut there, with
``finish_reason: length`` and ``completion_tokens`` equal to the limit.

Faults, queued with :meth:`FakeLlmServer.add_faults` and consumed one per chat
request, in order: ``rate_limit`` (429 with ``Retry-After``), ``server_error``
(500), ``timeout`` (answers after ``timeout_sleep_s``), ``malformed_json``
(reply content is not JSON), ``schema_invalid`` (valid JSON, wrong shape),
``length`` (truncated reply, ``finish_reason: length``), ``echo_key`` (400
whose body and headers echo the request's Authorization header, as a careless
proxy does), ``html`` (200 with an HTML page, as a captive portal or a wrong
base URL gives), ``hang`` (answers only after ``hang_s``). ``fault=`` applies
one of them to every request. :func:`dead_port_url` is a URL nothing listens on.

Usage::

    with FakeLlmServer(latency_s=0.3) as server:
        settings.llm.base_url = server.base_url
        ...
        assert server.request_count == 1
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import socket
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from typing import Any

from assistant.llm.fake_http import FakeHandler, LoopbackServer
from assistant.llm.fake_payloads import (
    EMBED_DIMENSION,
    embed_text,
    embeddings_response,
    example_for,
    output_limit,
    requested_schema,
)
from assistant.llm.tokens import count_tokens, truncate_tokens

__all__ = [
    "EMBED_DIMENSION",
    "FAULTS",
    "FIXED_CREATED",
    "FakeLlmServer",
    "Responder",
    "SeenRequest",
    "dead_port_url",
    "embed_text",
    "embeddings_response",
    "example_for",
    "main",
    "requested_schema",
]

FAULTS = (
    "rate_limit",
    "server_error",
    "timeout",
    "malformed_json",
    "schema_invalid",
    "length",
    "echo_key",
    "html",
    "hang",
)
FIXED_CREATED = 1_767_225_600
"""2026-01-01T00:00:00Z: the ``created`` stamp of every fake response."""

Responder = Callable[[dict[str, Any]], dict[str, Any] | str]
"""Answers a chat request body: the object to reply with, or a string sent as the content."""


@dataclass(frozen=True)
class SeenRequest:
    """A chat request the server received."""

    headers: dict[str, str]
    body: dict[str, Any]
    fault: str | None


class FakeLlmServer:
    """The server; start with ``with`` or :meth:`start`, stop with :meth:`stop`."""

    def __init__(
        self,
        *,
        latency_s: float = 0.0,
        model: str | None = None,
        owned_by: str = "persona-fake",
        responder: Responder | None = None,
        retry_after: str = "1",
        timeout_sleep_s: float = 3.0,
        fault: str | None = None,
        hang_s: float = 600.0,
        embed_latency_s: float = 0.0,
        batch: bool = True,
        batch_failed_lines: frozenset[int] = frozenset(),
        batch_expire_after: int | None = None,
        batch_polls: int = 0,
        batch_lost_creates: int = 0,
        batch_failed_creates: int = 0,
    ) -> None:
        self.embed_latency_s = embed_latency_s
        self.embedding_requests = 0
        """``/v1/embeddings`` requests received so far."""
        if fault is not None and fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; choose from {', '.join(FAULTS)}")
        self.fault = fault
        """A fault applied to every chat request (after any queued ones)."""
        self.batch = batch
        """Serve the Batch API (/v1/files, /v1/batches); False answers 404 like local servers."""
        self.batch_failed_lines = batch_failed_lines
        """0-based request lines of a batch that come back in the error file (HTTP 500)."""
        self.batch_expire_after = batch_expire_after
        """Lines after this many are never run: the batch ends ``expired``."""
        self.batch_polls = batch_polls
        """Retrievals that see ``in_progress`` before a batch is finished."""
        self.batch_lost_creates = batch_lost_creates
        """Batch creations whose reply never reaches the client: the batch is made, then the
        connection closes (a crash or a network cut after the provider accepted it)."""
        self.batch_failed_creates = batch_failed_creates
        """Batch creations answered HTTP 500 with nothing made."""
        self.files: dict[str, bytes] = {}
        self.batches: dict[str, dict[str, Any]] = {}
        self.hang_s = hang_s
        self.latency_s = latency_s
        self.model = model
        self.owned_by = owned_by
        self.responder = responder
        self.retry_after = retry_after
        self.timeout_sleep_s = timeout_sleep_s
        self.faults: deque[str] = deque()
        self.requests: list[SeenRequest] = []
        self.usage_log: list[dict[str, int]] = []
        self.in_flight = 0
        self.peak_in_flight = 0
        """Most chat requests being served at the same time (checks concurrency limits)."""
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle --------------------------------------------------------------------------

    def start(self) -> FakeLlmServer:
        """Bind a free loopback port and serve in a daemon thread."""
        server = self

        class Handler(FakeHandler):
            fake = server

        httpd = LoopbackServer(("127.0.0.1", 0), Handler)
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True, name="fake-llm"
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> FakeLlmServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/v1``."""
        assert self._httpd is not None, "server not started"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    # -- scripting and inspection ------------------------------------------------------------

    def add_faults(self, *names: str) -> None:
        """Queue faults; each chat request consumes the next one."""
        for name in names:
            if name not in FAULTS:
                raise ValueError(f"unknown fault {name!r}; choose from {', '.join(FAULTS)}")
            self.faults.append(name)

    @property
    def request_count(self) -> int:
        """Chat completion requests received so far."""
        return len(self.requests)

    def _take(self, headers: dict[str, str], body: dict[str, Any]) -> str | None:
        with self._lock:
            fault = self.faults.popleft() if self.faults else self.fault
            self.requests.append(SeenRequest(headers, body, fault))
            return fault

    def _usage(self, body_len: int, content: str, cut_at: int | None = None) -> dict[str, int]:
        usage = {
            "prompt_tokens": max(1, body_len // 4),
            "completion_tokens": cut_at or max(1, len(content) // 4),
        }
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
        with self._lock:
            self.usage_log.append(usage)
        return usage

    def completion(self, body: dict[str, Any], body_len: int, fault: str | None) -> dict[str, Any]:
        """The chat.completion object answering ``body`` (after any content fault)."""
        schema = requested_schema(body)
        if self.responder is not None:
            obj = self.responder(body)
        else:
            obj = example_for(schema) if schema is not None else {}
        # a responder may answer prose (a str), as a model that ignores the format does
        content = obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False)
        finish = "stop"
        limit = output_limit(body)
        cut = limit is not None and count_tokens(content) > limit
        if cut:  # as a real server does: stop at the request's output limit
            assert limit is not None
            content = truncate_tokens(content, limit)
            finish = "length"
        elif fault == "malformed_json":
            content = content[: max(1, len(content) // 2)] + ' "oops'
        elif fault == "schema_invalid":
            content = json.dumps({"unexpected_field": 42})
        elif fault == "length":
            content = content[: max(1, len(content) // 2)]
            finish = "length"
        message: dict[str, Any] = {"role": "assistant", "content": content}
        tools = body.get("tools") or []
        if tools and not body.get("response_format"):
            message = {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": f"call_{len(self.requests)}",
                        "type": "function",
                        "function": {"name": tools[0]["function"]["name"], "arguments": content},
                    }
                ],
            }
            finish = "length" if finish == "length" else "tool_calls"
        # Derived from the request, not a counter or the clock: recording the same
        # inputs again writes the same cassette bytes.
        digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode("utf-8")).hexdigest()
        return {
            "id": f"chatcmpl-fake-{digest[:12]}",
            "object": "chat.completion",
            "created": FIXED_CREATED,
            "model": self.model or body.get("model", "fake-model"),
            "choices": [
                {"index": 0, "message": message, "finish_reason": finish, "logprobs": None}
            ],
            "usage": self._usage(body_len, content, limit if cut else None),
        }

    def add_file(self, data: bytes, purpose: str) -> dict[str, Any]:
        """Store an uploaded file; its object as /v1/files returns it."""
        with self._lock:
            fid = f"file-fake-{len(self.files) + 1}"
            self.files[fid] = data
        return {"id": fid, "object": "file", "bytes": len(data), "purpose": purpose,
                "filename": "batch.jsonl", "created_at": FIXED_CREATED, "status": "processed"}  # fmt: skip

    def create_batch(self, request: dict[str, Any]) -> dict[str, Any]:
        """Run every line of the input file now (answers as chat completions would)."""
        lines = [json.loads(x) for x in self.files[request["input_file_id"]].splitlines() if x]
        out, errors = [], []
        for n, line in enumerate(lines):
            if self.batch_expire_after is not None and n >= self.batch_expire_after:
                errors.append({"id": f"batch_req_{n}", "custom_id": line["custom_id"],
                               "response": None,
                               "error": {"code": "batch_expired", "message": "expired (fake)"}})  # fmt: skip
                continue
            if n in self.batch_failed_lines:
                errors.append({"id": f"batch_req_{n}", "custom_id": line["custom_id"],
                               "response": {"status_code": 500, "request_id": f"req_{n}",
                                            "body": {"error": {"message": "server error (fake)"}}},
                               "error": None})  # fmt: skip
                continue
            body = line["body"]
            self._take({}, body)
            answer = self.completion(body, len(json.dumps(body)), None)
            out.append({"id": f"batch_req_{n}", "custom_id": line["custom_id"],
                        "response": {"status_code": 200, "request_id": f"req_{n}", "body": answer},
                        "error": None})  # fmt: skip
        output = self.add_file(
            b"".join(json.dumps(x).encode() + b"\n" for x in out), "batch_output"
        )
        error = self.add_file(
            b"".join(json.dumps(x).encode() + b"\n" for x in errors), "batch_output"
        )
        expired = self.batch_expire_after is not None and self.batch_expire_after < len(lines)
        with self._lock:
            bid = f"batch_fake_{len(self.batches) + 1}"
            self.batches[bid] = {
                "id": bid,
                "object": "batch",
                "endpoint": request.get("endpoint"),
                "input_file_id": request["input_file_id"],
                "completion_window": request.get("completion_window"),
                "status": "expired" if expired else "completed",
                "output_file_id": output["id"] if out else None,
                "error_file_id": error["id"] if errors else None,
                "created_at": FIXED_CREATED,
                "metadata": request.get("metadata"),
                "request_counts": {
                    "total": len(lines),
                    "completed": len(out),
                    "failed": len(errors),
                },
                "_polls": self.batch_polls,
            }
        return self.batch_view(bid, poll=False)

    def batch_view(self, bid: str, poll: bool = True) -> dict[str, Any]:
        """The batch object; ``in_progress`` for the first ``batch_polls`` retrievals."""
        with self._lock:
            batch = self.batches[bid]
            view = {k: v for k, v in batch.items() if not k.startswith("_")}
            if batch["_polls"] > 0 and batch["status"] != "cancelled":
                view.update(status="in_progress", output_file_id=None, error_file_id=None)
                if poll:
                    batch["_polls"] -= 1
        return view


def dead_port_url() -> str:
    """A loopback base URL on a port that nothing listens on (bound, then closed)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


def main(argv: list[str] | None = None) -> None:
    """``python -m assistant.llm.fake_server --latency 0.3``: serve until interrupted.

    Prints the base URL on the first line of stdout (for benchmarks that run the
    server in its own process, away from the client's GIL).
    """
    import argparse
    import sys

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per response")
    parser.add_argument("--model", default=None, help="model name to report (default: echo)")
    parser.add_argument("--owned-by", default="persona-fake", help="owned_by in /v1/models")
    parser.add_argument("--fault", choices=FAULTS, default=None, help="fault for every request")
    args = parser.parse_args(argv)
    server = FakeLlmServer(
        latency_s=args.latency, model=args.model, owned_by=args.owned_by, fault=args.fault
    )
    with server:
        sys.stdout.write(server.base_url + "\n")
        sys.stdout.flush()
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
