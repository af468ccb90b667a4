"""A fake OpenAI-compatible chat server over real HTTP on 127.0.0.1, for tests and benchmarks.

It answers ``POST /v1/chat/completions``, ``POST /v1/embeddings`` (small
deterministic bag-of-words vectors, so subprocess tests need no model) and
``GET /v1/models`` the way the OpenAI API does, so the real openai SDK and langchain-openai code paths run
against it. By default it echoes a valid object for the requested schema
(``response_format.json_schema`` or the forced tool's parameters); a
``responder`` can return canned objects instead. It reports usage tokens
(``prompt_tokens`` = request body characters / 4, ``completion_tokens`` =
reply characters / 4, at least 1) and keeps what it reported in ``usage_log``.

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
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

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

Responder = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class SeenRequest:
    """A chat request the server received."""

    headers: dict[str, str]
    body: dict[str, Any]
    fault: str | None


def example_for(
    schema: dict[str, Any], name: str = "value", defs: dict[str, Any] | None = None
) -> Any:
    """A deterministic value that satisfies a (strict-mode style) JSON schema."""
    defs = defs if defs is not None else schema.get("$defs", {})
    if "$ref" in schema:
        return example_for(defs[schema["$ref"].rsplit("/", 1)[-1]], name, defs)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"] or schema[key]
            return example_for(options[0], name, defs)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object" or "properties" in schema:
        return {k: example_for(v, k, defs) for k, v in schema.get("properties", {}).items()}
    if kind == "array":
        return [example_for(schema.get("items", {}), name, defs)] * max(
            1, schema.get("minItems", 1)
        )
    if kind == "string":
        return f"fake {name}"
    if kind == "integer":
        return max(1, int(schema.get("minimum", 1)))
    if kind == "number":
        return float(schema.get("minimum", 1.0))
    if kind == "boolean":
        return True
    return None


def requested_schema(body: dict[str, Any]) -> dict[str, Any] | None:
    """The output schema a chat request asks for (json_schema or a forced tool)."""
    fmt = body.get("response_format") or {}
    if fmt.get("type") == "json_schema":
        schema: dict[str, Any] = fmt["json_schema"]["schema"]
        return schema
    tools = body.get("tools") or []
    if tools:
        params: dict[str, Any] = tools[0]["function"].get("parameters", {})
        return params
    return None


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

        class Handler(_Handler):
            fake = server

        httpd = _Server(("127.0.0.1", 0), Handler)
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

    def _usage(self, body_len: int, content: str) -> dict[str, int]:
        usage = {
            "prompt_tokens": max(1, body_len // 4),
            "completion_tokens": max(1, len(content) // 4),
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
        content = json.dumps(obj, ensure_ascii=False)
        finish = "stop"
        if fault == "malformed_json":
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
            finish = "length" if fault == "length" else "tool_calls"
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
            "usage": self._usage(body_len, content),
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


class _Server(ThreadingHTTPServer):
    """Threaded server with a deep listen backlog (the default of 5 drops bursts of connects)."""

    daemon_threads = True
    request_queue_size = 512


class _Handler(BaseHTTPRequestHandler):
    """HTTP/1.1 keep-alive handler bound to one :class:`FakeLlmServer`."""

    protocol_version = "HTTP/1.1"
    fake: FakeLlmServer

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes: without TCP_NODELAY, Nagle's
        # algorithm and the client's delayed ACK add ~40 ms to every response.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:  # silence stderr
        return

    def _send(
        self,
        status: int,
        payload: Any,
        headers: dict[str, str] | None = None,
        content_type: str = "application/json",
    ) -> None:
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _batch_route(self, method: str, raw: bytes = b"") -> bool:
        """Serve /files and /batches; False when the path is not theirs."""
        fake = self.fake
        path = self.path.split("?")[0].rstrip("/")
        m = re.search(r"/(files|batches)(?:/([^/]+))?(?:/(content|cancel))?$", path)
        if m is None:
            return False
        if not fake.batch:
            self._send(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})
            return True
        kind, ident, action = m.groups()
        if kind == "files" and method == "POST" and ident is None:
            data, purpose = _multipart_file(self.headers.get("Content-Type", ""), raw)
            self._send(200, fake.add_file(data, purpose))
        elif kind == "files" and method == "GET" and action == "content" and ident in fake.files:
            self._send(200, fake.files[ident], content_type="application/octet-stream")
        elif kind == "files" and method == "DELETE" and ident in fake.files:
            del fake.files[ident]
            self._send(200, {"id": ident, "object": "file", "deleted": True})
        elif kind == "batches" and method == "POST" and ident is None:
            self._send(200, fake.create_batch(json.loads(raw)))
        elif kind == "batches" and method == "GET" and ident in fake.batches:
            self._send(200, fake.batch_view(ident))
        elif (
            kind == "batches" and method == "POST" and action == "cancel" and ident in fake.batches
        ):
            with fake._lock:
                fake.batches[ident]["status"] = "cancelled"
            self._send(200, fake.batch_view(ident, poll=False))
        else:
            self._send(404, {"error": {"message": f"no such {kind} {ident}", "type": "not_found"}})
        return True

    def do_DELETE(self) -> None:
        self._batch_route("DELETE")

    def do_GET(self) -> None:
        if self._batch_route("GET"):
            return
        if self.path.rstrip("/").endswith("/models"):
            model = self.fake.model or "fake-model"
            self._send(
                200,
                {
                    "object": "list",
                    "data": [
                        {
                            "id": model,
                            "object": "model",
                            "created": 0,
                            "owned_by": self.fake.owned_by,
                        }
                    ],
                },
            )
        else:
            self._send(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if self.path.rstrip("/").endswith("/embeddings"):
            with self.fake._lock:
                self.fake.embedding_requests += 1
            if self.fake.embed_latency_s:
                time.sleep(self.fake.embed_latency_s)
            self._send(200, embeddings_response(json.loads(raw)))
            return
        if self._batch_route("POST", raw):
            return
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._send(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})
            return
        try:
            body = json.loads(raw)
        except ValueError:
            self._send(400, {"error": {"message": "body is not JSON", "type": "invalid_request"}})
            return
        fake = self.fake
        with fake._lock:
            fake.in_flight += 1
            fake.peak_in_flight = max(fake.peak_in_flight, fake.in_flight)
        try:
            self._answer(fake, body, raw)
        finally:
            with fake._lock:
                fake.in_flight -= 1

    def _answer(self, fake: FakeLlmServer, body: dict[str, Any], raw: bytes) -> None:
        fault = fake._take({k.lower(): v for k, v in self.headers.items()}, body)
        if fault == "timeout":
            time.sleep(fake.timeout_sleep_s)
        elif fault == "hang":
            time.sleep(fake.hang_s)
        elif fake.latency_s:
            time.sleep(fake.latency_s)
        if fault == "rate_limit":
            self._send(
                429,
                {
                    "error": {
                        "message": "Rate limit reached (fake)",
                        "type": "requests",
                        "code": "rate_limit_exceeded",
                    }
                },
                {"Retry-After": fake.retry_after},
            )
        elif fault == "echo_key":
            auth = self.headers.get("Authorization", "")
            self._send(
                400,
                {"error": {"message": f"bad request; you sent Authorization: {auth}"}},
                {"X-Echo-Authorization": auth},
            )
        elif fault == "html":
            page = b"<!doctype html><html><body><h1>Welcome</h1><p>Sign in</p></body></html>"
            self._send(200, page, content_type="text/html; charset=utf-8")
        elif fault == "server_error":
            self._send(
                500,
                {"error": {"message": "The server had an error (fake)", "type": "server_error"}},
            )
        else:
            self._send(200, fake.completion(body, len(raw), fault))


EMBED_DIMENSION = 64


def embed_text(text: str) -> list[float]:
    """A normalised bag-of-words hash vector (same words, same vector)."""
    import math
    import re

    vec = [0.0] * EMBED_DIMENSION
    for word in re.findall(r"\w+", text.lower()):
        digest = hashlib.blake2b(word.encode(), digest_size=4).digest()
        vec[int.from_bytes(digest, "little") % EMBED_DIMENSION] += 1.0
    norm = math.sqrt(sum(v * v for v in vec)) or 1.0
    return [v / norm for v in vec]


def embeddings_response(body: dict[str, Any]) -> dict[str, Any]:
    """The ``/v1/embeddings`` answer for a request body."""
    texts = body.get("input") or []
    if isinstance(texts, str):
        texts = [texts]
    data = [
        {"object": "embedding", "index": i, "embedding": embed_text(str(t))}
        for i, t in enumerate(texts)
    ]
    tokens = sum(max(1, len(str(t)) // 4) for t in texts)
    return {
        "object": "list",
        "data": data,
        "model": body.get("model", "fake-embedding"),
        "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
    }


def _multipart_file(content_type: str, raw: bytes) -> tuple[bytes, str]:
    """(the ``file`` part, the ``purpose`` field) of a multipart/form-data upload."""
    from email.parser import BytesParser
    from email.policy import HTTP

    message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + raw
    )
    data, purpose = b"", "batch"
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        raw_payload = part.get_payload(decode=True)
        payload = raw_payload if isinstance(raw_payload, bytes) else b""
        if name == "file":
            data = payload
        elif name == "purpose":
            purpose = payload.decode()
    return data, purpose


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
