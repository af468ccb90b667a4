"""The fake LLM server's HTTP side: routes, faults, Batch API files (one handler per server)."""

from __future__ import annotations

import json
import re
import socket
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

from assistant.llm.fake_payloads import embeddings_response

if TYPE_CHECKING:
    from assistant.llm.fake_server import FakeLlmServer


class LoopbackServer(ThreadingHTTPServer):
    """Threaded server with a deep listen backlog (the default of 5 drops bursts of connects)."""

    daemon_threads = True
    request_queue_size = 512


class FakeHandler(BaseHTTPRequestHandler):
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
            with fake._lock:
                refused = fake.batch_failed_creates > 0
                fake.batch_failed_creates -= int(refused)
            if refused:
                self._send(500, {"error": {"message": "internal error", "type": "server_error"}})
                return True
            view = fake.create_batch(json.loads(raw))
            with fake._lock:
                lost = fake.batch_lost_creates > 0
                fake.batch_lost_creates -= int(lost)
            if lost:  # created, but the answer never arrives
                self.close_connection = True
                return True
            self._send(200, view)
        elif kind == "batches" and method == "GET" and ident is None:  # newest first
            views = [fake.batch_view(b, poll=False) for b in reversed(list(fake.batches))]
            self._send(200, {"object": "list", "data": views, "has_more": False})
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
