"""Hybrid search and the library commands, run through the real CLI entry point.

Commands run in-process through ``assistant.cli.app.main`` (real exit codes,
stdout/stderr split) so the embedding model is loaded once per session.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from assistant import db
from assistant.cli.app import main
from assistant.embeddings import META_KEY, LocalEmbedder
from assistant.library import ingest_paths
from assistant.search import fts_query, rrf, search
from assistant.workspace import Workspace, init_workspace
from tests.store.test_library import make_read_only, restore_writable
from tests.support.paths import SAMPLE_TRANSCRIPTS
from tests.support.store import INTERVIEWS


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@pytest.fixture
def persona(capsys: pytest.CaptureFixture[str]) -> Any:
    """Call the `persona` CLI in-process: ``persona(*args) -> Run``."""

    def run(*args: str | Path) -> Run:
        capsys.readouterr()
        old = sys.argv
        sys.argv = ["persona", *map(str, args)]
        code = 0
        try:
            main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        finally:
            sys.argv = old
        out, err = capsys.readouterr()
        return Run(code, out, err)

    return run


@pytest.fixture(scope="module")
def library(
    tmp_path_factory: pytest.TempPathFactory, local_embedder: LocalEmbedder
) -> Iterator[Workspace]:
    """A workspace holding the sample corpus and three small interviews (real model)."""
    root = tmp_path_factory.mktemp("library")
    small = root / "small"
    small.mkdir()
    for name, text in INTERVIEWS.items():
        (small / name).write_text(text, encoding="utf-8")
    ws = init_workspace(root / "ws")
    results = ingest_paths(ws, [SAMPLE_TRANSCRIPTS, small], embedder=local_embedder)
    failed = [(r.path, r.error) for r in results if r.status == "failed"]
    assert not failed
    assert len(results) >= 11
    yield ws
    ws.close()


def test_search_finds_the_turn_with_a_known_phrase(
    library: Workspace, local_embedder: LocalEmbedder
) -> None:
    hits = search(library, "purple stapler incident", k=3, embedder=local_embedder)
    top = hits[0]
    assert (top.interview_id, top.speaker, top.role, top.turn) == (
        "globex-clerk",
        "Ravi",
        "participant",
        1,
    )
    assert "purple stapler" in top.text
    assert top.context == "What does a normal day look like?"
    # Semantic only (no shared keywords) still finds the right answer.
    hits = search(
        library,
        "reviewers vouched for the audit log",
        k=5,
        role="participant",
        interview="acme",
        embedder=local_embedder,
    )
    assert hits[0].interview_id == "acme-cfo" and "auditors" in hits[0].text
    assert all(h.interview_id == "acme-cfo" and h.role == "participant" for h in hits)


def test_interviewer_search_is_keyword_only(
    library: Workspace, local_embedder: LocalEmbedder
) -> None:
    hits = search(library, "security review", role="interviewer", embedder=local_embedder)
    assert hits and all(h.role == "interviewer" for h in hits)
    assert any("security review" in h.text.lower() for h in hits)


def test_fts_query_is_safe_and_rrf_rewards_agreement() -> None:
    assert fts_query('late "fees" AND (NEAR') == '"late" OR "fees" OR "AND" OR "NEAR"'
    assert fts_query("?!") is None
    scores = rrf([["a", "b"], ["b", "c"]])
    assert max(scores, key=scores.__getitem__) == "b"


def test_cli_interviews_show_speakers_search(library: Workspace, persona: Any) -> None:
    ws = str(library.root)
    r = persona("-w", ws, "interviews", "--json")
    assert r.code == 0, r.stderr
    items = {i["id"]: i for i in r.json()}
    acme = items["acme-cfo"]
    assert set(acme) == {
        "id", "title", "source", "format", "verbatim", "diarized", "turns", "speakers", "warnings",
    }  # fmt: skip
    assert acme["diarized"] is True and acme["warnings"] == []
    assert acme["format"] == "labelled" and acme["verbatim"] is True and acme["turns"] == 4
    assert acme["speakers"] == [
        {"label": "Interviewer", "role": "interviewer", "turns": 2},
        {"label": "Dana", "role": "participant", "turns": 2},
    ]
    assert any(not i["verbatim"] for i in items.values())  # the notes file

    r = persona("-w", ws, "show", "acme-c", "--json")
    assert r.code == 0, r.stderr
    shown = r.json()
    assert shown["id"] == "acme-cfo"
    assert set(shown["turns"][0]) == {"index", "speaker", "role", "start", "text"}
    assert shown["turns"][1]["text"].startswith("Closing the books took eleven days")

    r = persona("-w", ws, "search", "purple stapler", "-k", "2", "--json")
    assert r.code == 0, r.stderr
    hits = r.json()
    assert len(hits) == 2
    assert set(hits[0]) == {
        "interview_id",
        "speaker",
        "speaker_name",
        "role",
        "turn",
        "text",
        "score",
    }
    assert hits[0]["interview_id"] == "globex-clerk" and hits[0]["turn"] == 1

    r = persona("-w", ws, "search", "stapler", "--role", "nobody")
    assert r.code == 2 and "--role" in r.stderr
    r = persona("-w", ws, "show", "no-such-interview")
    assert r.code == 2 and r.stderr.count("\n") == 1 and "no interview" in r.stderr


def test_cli_speakers_override(library: Workspace, persona: Any) -> None:
    ws = str(library.root)
    r = persona("-w", ws, "speakers", "initech-it", "--interviewer", "Mei", "--json")
    assert r.code == 0, r.stderr
    speakers = [(s["label"], s["role"], s["turns"], s["method"]) for s in r.json()["speakers"]]
    assert speakers == [
        ("Interviewer", "participant", 2, "content"),
        ("Mei", "interviewer", 2, "override"),
    ]
    r = persona("-w", ws, "speakers", "initech-it", "--interviewer", "Interviewer", "--json")
    assert r.json()["speakers"][0]["role"] == "interviewer"
    r = persona("-w", ws, "speakers", "initech-it", "--interviewer", "Bob")
    assert r.code == 2


def test_cli_ingest_mixed_batch(
    tmp_path: Path, persona: Any, local_embedder: LocalEmbedder
) -> None:
    ws = init_workspace(tmp_path / "ws")
    good = tmp_path / "good"
    good.mkdir()
    for name in ("acme-cfo.txt", "initech-it.txt"):
        (good / name).write_text(INTERVIEWS[name], encoding="utf-8")
    (good / "broken.vtt").write_text("WEBVTT\n\nnot a timing line\n<v Ann>hello", encoding="utf-8")
    (good / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    missing = tmp_path / "missing.txt"

    r = persona("-w", ws.root, "ingest", good, missing)
    assert r.code == 1
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert f"{missing}: no such file or directory" in lines
    assert f"{good / 'photo.png'}: skipped — not a transcript file type ('.png')" in lines
    assert any(line.startswith(f"{good / 'broken.vtt'}: line 3") for line in lines)
    assert (
        f"{good / 'acme-cfo.txt'}: ingested as labelled — 2 speakers (Interviewer, Dana), diarized"
        in lines
    )
    assert lines[-1] == "2 ingested, 0 updated, 0 unchanged, 0 duplicate, 1 skipped, 2 failed"
    assert r.stdout == ""

    r = persona("-w", ws.root, "ingest", good, "--json")
    assert r.code == 1
    rows = {Path(x["path"]).name: x for x in r.json()}
    assert set(rows["acme-cfo.txt"]) == {
        "path", "status", "interview_id", "error", "reason", "format", "speakers",
        "verbatim", "diarized", "warnings",
    }  # fmt: skip
    assert rows["acme-cfo.txt"]["status"] == "unchanged"
    assert rows["acme-cfo.txt"]["interview_id"] == "acme-cfo"
    assert rows["acme-cfo.txt"]["format"] == "labelled" and rows["acme-cfo.txt"]["diarized"]
    assert rows["broken.vtt"]["status"] == "failed" and rows["broken.vtt"]["error"]
    assert rows["photo.png"]["status"] == "skipped" and rows["photo.png"]["reason"]
    assert r.stderr == ""  # quiet under --json

    r = persona("-w", ws.root, "ingest", good / "acme-cfo.txt", "--json")
    assert r.code == 0 and r.json()[0]["status"] == "unchanged"


def test_cli_read_only_workspace_exits_2(
    tmp_path: Path, persona: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = init_workspace(tmp_path / "ws")
    (tmp_path / "a.txt").write_text(INTERVIEWS["acme-cfo.txt"], encoding="utf-8")
    make_read_only(ws, monkeypatch)
    try:
        r = persona("-w", ws.root, "ingest", tmp_path / "a.txt", "--json")
    finally:
        monkeypatch.undo()
        restore_writable(ws)
    assert r.code == 2
    assert "read-only" in r.stderr and r.stderr.count("\n") == 1
    assert "read-only" in r.json()["errors"][0]["message"]  # --json: one document, errors
    assert (
        init_workspace(ws.root).conn.execute("SELECT COUNT(*) FROM interviews").fetchone()[0] == 0
    )


def test_cli_model_change_then_reindex(
    tmp_path: Path, persona: Any, local_embedder: LocalEmbedder
) -> None:
    ws = init_workspace(tmp_path / "ws")
    (tmp_path / "a.txt").write_text(INTERVIEWS["acme-cfo.txt"], encoding="utf-8")
    assert persona("-w", ws.root, "ingest", tmp_path / "a.txt").code == 0
    db.set_meta(ws.conn, META_KEY, "local:paraphrase-MiniLM-L3-v2")
    r = persona("-w", ws.root, "search", "late fees")
    assert r.code == 2 and "persona reindex" in r.stderr
    r = persona("-w", ws.root, "reindex", "--json")
    assert r.code == 0, r.stderr
    assert r.json() == {"chunks": 2, "model": "local:all-MiniLM-L6-v2+int8"}
    r = persona("-w", ws.root, "search", "late fees", "--json")
    assert r.code == 0 and "late fees" in r.json()[0]["text"]


def test_cli_ingest_reports_duplicates_skips_and_notes(
    tmp_path: Path, persona: Any, local_embedder: LocalEmbedder
) -> None:
    from assistant.ingest.registry import NOTES_WARNING

    ws = init_workspace(tmp_path / "ws")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(INTERVIEWS["acme-cfo.txt"], encoding="utf-8")
    (folder / "b.txt").write_text(INTERVIEWS["acme-cfo.txt"], encoding="utf-8")
    (folder / "README.md").write_text("# about these calls", encoding="utf-8")
    (folder / "call.md").write_text("# Call\n\nThey close in nine days.\n", encoding="utf-8")
    r = persona("-w", ws.root, "ingest", folder)
    assert r.code == 0, r.stderr
    lines = r.stderr.splitlines()
    assert f"{folder / 'b.txt'}: duplicate — same content as interview a (in this batch)" in lines
    assert f"{folder / 'README.md'}: skipped — not an interview: a README file" in lines
    assert f"{folder / 'call.md'}: ingested as notes — notes, not verbatim" in lines
    assert f"  warning: {NOTES_WARNING}" in lines
    assert lines[-1] == "2 ingested, 0 updated, 0 unchanged, 1 duplicate, 1 skipped, 0 failed"

    r = persona("-w", ws.root, "ingest", "--format", "nope", folder)
    assert r.code == 2 and "unknown format 'nope' (formats: persona-json" in r.stderr
    r = persona("-w", ws.root, "ingest", "--format", "labelled", folder / "call.md", "--json")
    assert r.code == 1
    assert r.json()[0]["error"] == "not readable as labelled: too few recurring speaker labels"
