"""Recorded LLM fixtures: vcrpy cassettes of real OpenAI-format HTTP exchanges.

Modes (``[llm] mode`` or ``PERSONA_LLM_MODE``; ``persona --record DIR`` sets record):

- ``live``: call the endpoint; nothing is recorded.
- ``replay``: never touch the network; every request must match a recorded
  interaction in the cassette folder, else :class:`MissingFixtureError` names
  the task, the fixture key and the command that records it.
- ``record``: call the endpoint and (re)write the interactions of the keys it
  called, keeping every other recorded interaction.

A cassette folder holds one readable JSON file per task (``DIR/TASK.json``);
replay loads them all. Requests are matched on method, path and the
``X-Persona-Fixture-Key`` header that our client sends with every call:
``TASK:INPUTHASH:SCHEMA`` (see :func:`fixture_key`). The prompt's wording is
not part of the key, so rewording a prompt keeps its fixtures; a changed
input or output schema needs a new recording. Re-asks and retries of one key
replay in recorded order.

Re-recording (against any OpenAI-compatible endpoint)::

    export OPENAI_API_KEY=...            # and OPENAI_BASE_URL / PERSONA_MODEL
    persona --record fixtures/cassettes <the command that failed>
    # tests: pytest tests/llm --record-mode=rewrite  (pytest-recording cassettes)

Scrubbing: request headers other than content-type and the fixture key are
dropped (Authorization, api-key, cookies, SDK fingerprints), response headers
other than content-type too, and the host is replaced by ``recorded.invalid``.
Bodies are stored as parsed JSON, so a reviewer can read them; responses we
write by hand say ``"model": "authored-fixture"``.
"""

from __future__ import annotations

import contextlib
import json
import shlex
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from assistant.errors import PersonaError
from assistant.settings import LlmSettings

FIXTURE_HEADER = "X-Persona-Fixture-Key"
SERIALIZER = "json"
"""Registered over vcrpy's plain JSON serializer, so cassettes end in .json."""
RECORDED_HOST = "https://recorded.invalid"
_KEEP_REQUEST_HEADERS = {"content-type", FIXTURE_HEADER.lower()}
_KEEP_RESPONSE_HEADERS = {"content-type"}
MATCH_ON = ("method", "path", "fixture_key")


NO_RECORDING = "no recorded LLM response"
"""How a :class:`MissingFixtureError` message starts (the demo translates it)."""


class MissingFixtureError(PersonaError):
    """Replay mode met a request that no cassette holds."""

    def __init__(self, task: str, key: str, cassette_dir: Path) -> None:
        self.task = task
        self.key = key
        super().__init__(
            f"{NO_RECORDING} for task '{task}' (fixture key {key}) in {cassette_dir}. "
            f"Record it against a real endpoint: {record_command(cassette_dir)} "
            "(needs OPENAI_API_KEY; see fixtures/README.md)"
        )


def record_command(cassette_dir: Path) -> str:
    """The command that records the missing fixtures of the current invocation."""
    argv = sys.argv[1:] if Path(sys.argv[0]).name in {"persona", "__main__.py"} else []
    rest = shlex.join(a for a in argv if a != "--record") if argv else "<the same command>"
    return f"persona --record {shlex.quote(str(cassette_dir))} {rest}"


def fixture_key(task: str, in_hash: str, schema_name: str) -> str:
    """The fixture key header value: ``TASK:INPUTHASH:SCHEMA``."""
    return f"{task}:{in_hash}:{schema_name}"


def default_cassette_dir() -> Path:
    """The bundled cassette folder (``fixtures/cassettes``)."""
    from assistant.resources import bundled_path

    try:
        return bundled_path("fixtures/cassettes")
    except FileNotFoundError:
        return bundled_path("fixtures") / "cassettes"


def cassette_dir_for(llm: LlmSettings) -> Path:
    """The cassette folder the settings point at."""
    return Path(llm.cassette_dir) if llm.cassette_dir else default_cassette_dir()


# --- serializer: readable JSON bodies ------------------------------------------------------


def _body_to_json(text: Any) -> Any:
    """The parsed JSON of a body, or None when it is empty or not JSON."""
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    if not isinstance(text, str) or not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


class JsonBodySerializer:
    """vcrpy serializer: JSON cassettes whose bodies are parsed JSON, not strings."""

    @staticmethod
    def serialize(cassette_dict: dict[str, Any]) -> str:
        data = json.loads(json.dumps(cassette_dict, default=str))
        for item in data.get("interactions", []):
            req = item["request"]
            parsed = _body_to_json(req.get("body"))
            if parsed is not None:
                req["body"] = {"json": parsed}
            resp_body = item["response"].get("body", {})
            parsed = _body_to_json(resp_body.get("string"))
            if parsed is not None:
                item["response"]["body"] = {"json": parsed}
        return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"

    @staticmethod
    def deserialize(cassette_string: str) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(cassette_string)
        for item in data.get("interactions", []):
            req = item["request"]
            if isinstance(req.get("body"), dict) and "json" in req["body"]:
                req["body"] = json.dumps(req["body"]["json"], ensure_ascii=False)
            body = item["response"].get("body", {})
            if isinstance(body, dict) and "json" in body:
                item["response"]["body"] = {"string": json.dumps(body["json"], ensure_ascii=False)}
        return data


# --- persister: one file per task, replay loads them all -----------------------------------


class TaskFolderPersister:
    """vcrpy persister over a folder: load every ``*.json``, save one file per task."""

    @staticmethod
    def load_cassette(cassette_path: str | Path, serializer: Any) -> tuple[list[Any], list[Any]]:
        from vcr.persisters.filesystem import CassetteNotFoundError
        from vcr.serialize import deserialize

        folder = Path(cassette_path)
        files = sorted(folder.glob("*.json")) if folder.is_dir() else []
        if not files:
            raise CassetteNotFoundError()
        requests: list[Any] = []
        responses: list[Any] = []
        for file in files:
            reqs, resps, *_ = deserialize(file.read_text(encoding="utf-8"), serializer)
            requests.extend(reqs)
            responses.extend(resps)
        return requests, responses

    @staticmethod
    def save_cassette(
        cassette_path: str | Path, cassette_dict: dict[str, Any], serializer: Any
    ) -> None:
        from vcr.serialize import serialize

        folder = Path(cassette_path)
        folder.mkdir(parents=True, exist_ok=True)
        groups: dict[str, dict[str, list[Any]]] = {}
        for request, response in zip(
            cassette_dict["requests"], cassette_dict["responses"], strict=True
        ):
            key = request.headers.get(FIXTURE_HEADER) or "untagged"
            task = key.split(":", 1)[0] or "untagged"
            group = groups.setdefault(task, {"requests": [], "responses": []})
            group["requests"].append(request)
            group["responses"].append(response)
        for task, group in groups.items():
            # Sorted by fixture key, so re-recording the same inputs gives the same file
            # order whatever order concurrent calls finished in (small, readable diffs).
            pairs = sorted(
                zip(group["requests"], group["responses"], strict=True),
                key=lambda pair: str(pair[0].headers.get(FIXTURE_HEADER) or ""),
            )
            group = {"requests": [p[0] for p in pairs], "responses": [p[1] for p in pairs]}
            safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in task)
            (folder / f"{safe}.json").write_text(serialize(group, serializer), encoding="utf-8")


# --- request/response scrubbing and matching ----------------------------------------------


def scrub_request(request: Any) -> Any:
    """Keep only content-type and the fixture key; replace the host."""
    for name in list(request.headers):
        if name.lower() not in _KEEP_REQUEST_HEADERS:
            del request.headers[name]
    parts = urlsplit(request.uri)
    request.uri = RECORDED_HOST + parts.path + (f"?{parts.query}" if parts.query else "")
    return request


def scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    """Keep only the content-type header of a recorded response, and scrub its body of
    secrets (a server may echo the Authorization header in an error body)."""
    from assistant.secrets import scrub

    response["headers"] = {
        k: v for k, v in response.get("headers", {}).items() if k.lower() in _KEEP_RESPONSE_HEADERS
    }
    body = response.get("body") or {}
    raw = body.get("string")
    if isinstance(raw, bytes):
        text = raw.decode("utf-8", "replace")
        if scrub(text) != text:
            body["string"] = scrub(text).encode("utf-8")
    elif isinstance(raw, str):
        body["string"] = scrub(raw)
    return response


def match_fixture_key(r1: Any, r2: Any) -> None:
    """vcrpy matcher: the fixture key headers must be equal."""
    k1, k2 = r1.headers.get(FIXTURE_HEADER), r2.headers.get(FIXTURE_HEADER)
    if k1 != k2:
        raise AssertionError(f"fixture key {k1!r} != {k2!r}")


def vcr_config() -> dict[str, Any]:
    """Keyword arguments for ``vcr.VCR`` (also the pytest-recording ``vcr_config``)."""
    return {
        "serializer": SERIALIZER,
        "match_on": list(MATCH_ON),
        "before_record_request": scrub_request,
        "before_record_response": scrub_response,
        "decode_compressed_response": True,
    }


def configure_vcr(vcr: Any) -> Any:
    """Register our serializer and matcher on a ``vcr.VCR`` instance."""
    vcr.register_serializer(SERIALIZER, JsonBodySerializer)
    vcr.register_matcher("fixture_key", match_fixture_key)
    return vcr


@contextlib.contextmanager
def fixture_session(llm: LlmSettings) -> Iterator[Path | None]:
    """Intercept LLM HTTP traffic per ``llm.mode`` (no-op in live mode).

    Yields the cassette folder (None in live mode). One session covers a whole
    batch: vcrpy patches the HTTP transport process-wide.
    """
    if llm.mode == "live":
        yield None
        return
    import vcr

    folder = cassette_dir_for(llm)
    recorder = configure_vcr(vcr.VCR(**vcr_config()))
    recorder.register_persister(TaskFolderPersister)
    record_mode = "none" if llm.mode == "replay" else "all"
    with recorder.use_cassette(str(folder), record_mode=record_mode):
        yield folder


def is_missing_fixture(exc: BaseException) -> bool:
    """True when ``exc`` (or what caused it) is vcrpy's 'not in cassette' error."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if type(cur).__name__ == "CannotOverwriteExistingCassetteException":
            return True
        cur = cur.__cause__ or cur.__context__
    return False
