"""The ingestion service: identity, idempotence, updates and bad inputs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant import db
from assistant.embeddings import META_KEY
from assistant.errors import UsageError
from assistant.library import (
    get_interview,
    ingest_paths,
    list_interviews,
    reindex,
    resolve_interview_id,
    set_interviewer,
)
from assistant.models import SpeakerRole
from assistant.search import search
from assistant.vectorstore import VectorStore
from assistant.workspace import Workspace
from tests.support.store import CountingEmbedder, HashEmbedder, interview_text


def statuses(results: list) -> dict[str, str]:
    return {Path(r.path).name: r.status for r in results}


def vector_count(ws: Workspace, embedder: object) -> int:
    from assistant.settings import load_settings

    return VectorStore.open(ws, load_settings(ws.config_data()), embedder).count()  # type: ignore[arg-type]


def test_reingest_is_a_noop_with_zero_embeddings(
    workspace: Workspace, sample_dir: Path, counting: CountingEmbedder
) -> None:
    first = ingest_paths(workspace, [sample_dir], embedder=counting)
    assert set(statuses(first).values()) == {"ingested"}
    assert counting.texts > 0
    embedded_once = counting.texts
    assert vector_count(workspace, counting) == embedded_once

    again = CountingEmbedder(HashEmbedder())
    second = ingest_paths(workspace, [sample_dir], embedder=again)
    assert set(statuses(second).values()) == {"unchanged"}
    assert [r.interview_id for r in second] == [r.interview_id for r in first]
    assert again.calls == 0 and again.texts == 0

    # Touching a file without changing its content stays a no-op too.
    f = sample_dir / "acme-cfo.txt"
    f.write_text(f.read_text(encoding="utf-8") + "\n\n\n", encoding="utf-8")
    third = ingest_paths(workspace, [f], embedder=again)
    assert third[0].status == "unchanged" and again.texts == 0


def test_changed_file_replaces_old_chunks_and_vectors(
    workspace: Workspace, sample_dir: Path, counting: CountingEmbedder
) -> None:
    ingest_paths(workspace, [sample_dir], embedder=counting)
    f = sample_dir / "globex-clerk.txt"
    f.write_text(
        interview_text(
            "Interviewer", "Ravi", [("Anything new?", "We moved to quarterly billing.")]
        ),
        encoding="utf-8",
    )
    result = ingest_paths(workspace, [f], embedder=counting)
    assert result[0].status == "updated"
    assert result[0].interview_id == "globex-clerk"
    texts = [
        r["text"]
        for r in workspace.conn.execute(
            "SELECT text FROM chunks WHERE interview_id = 'globex-clerk'"
        )
    ]
    assert any("quarterly billing" in t for t in texts)
    assert not any("stapler" in t for t in texts)
    assert not any(
        "stapler" in h.text for h in search(workspace, "purple stapler", embedder=counting)
    )
    hits = search(workspace, "quarterly billing", k=1, embedder=counting)
    assert hits[0].interview_id == "globex-clerk"
    # The vector store holds exactly the embedded chunks: the old ones are gone.
    embedded = workspace.conn.execute("SELECT COUNT(*) FROM chunks WHERE embedded = 1").fetchone()
    assert vector_count(workspace, counting) == embedded[0]


def test_same_content_under_two_names(
    workspace: Workspace, sample_dir: Path, counting: CountingEmbedder, tmp_path: Path
) -> None:
    ingest_paths(workspace, [sample_dir / "acme-cfo.txt"], embedder=counting)
    copy = tmp_path / "copy-of-acme.txt"
    copy.write_bytes((sample_dir / "acme-cfo.txt").read_bytes())
    twin = tmp_path / "twin.txt"
    twin.write_bytes((sample_dir / "initech-it.txt").read_bytes())
    twin2 = tmp_path / "twin2.txt"
    twin2.write_bytes(twin.read_bytes())
    results = ingest_paths(workspace, [copy, twin, twin2], embedder=counting)
    assert [r.status for r in results] == ["duplicate", "ingested", "duplicate"]
    assert [r.interview_id for r in results] == ["acme-cfo", "twin", "twin"]
    assert results[0].reason is not None and "acme-cfo" in results[0].reason
    assert results[2].reason == "same content as interview twin (in this batch)"
    assert results[0].error is None and "\n" not in results[0].reason
    assert {i.id for i in list_interviews(workspace)} == {"acme-cfo", "twin"}


def test_missing_path_and_bad_files_never_stop_the_batch(
    workspace: Workspace, sample_dir: Path, counting: CountingEmbedder, tmp_path: Path
) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_text("", encoding="utf-8")
    (bad / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (bad / "binary.txt").write_bytes(bytes(range(256)) * 4)
    results = ingest_paths(
        workspace,
        [tmp_path / "does-not-exist.txt", bad, sample_dir, str(tmp_path / "nothing-*.vtt")],
        embedder=counting,
    )
    by_name = statuses(results)
    assert by_name["does-not-exist.txt"] == "failed"
    assert by_name["nothing-*.vtt"] == "failed"
    for name in ("empty.txt", "binary.txt"):
        assert by_name[name] == "failed", name
    assert by_name["image.png"] == "skipped"  # in a folder: not a transcript file type
    for name in ("acme-cfo.txt", "globex-clerk.txt", "initech-it.txt"):
        assert by_name[name] == "ingested", name
    for r in results:
        if r.status == "failed":
            assert r.error and "\n" not in r.error
    missing = next(r for r in results if r.path.endswith("does-not-exist.txt"))
    assert missing.error == "no such file or directory"


def test_folders_skip_hidden_sidecars_and_readme(
    workspace: Workspace, sample_dir: Path, counting: CountingEmbedder
) -> None:
    (sample_dir / ".hidden.txt").write_text("Q: hi?\n\nA: hello", encoding="utf-8")
    (sample_dir / "README.md").write_text("# about these files", encoding="utf-8")
    (sample_dir / "acme-cfo.meta.yaml").write_text("title: Acme CFO\n", encoding="utf-8")
    nested = sample_dir / "2024" / "q1"
    nested.mkdir(parents=True)
    (nested / "acme-cfo.txt").write_text(
        interview_text("Interviewer", "Lee", [("Why?", "Because the pilot was painless.")]),
        encoding="utf-8",
    )
    results = ingest_paths(workspace, [sample_dir, sample_dir / "*.txt"], embedder=counting)
    names = sorted(str(Path(r.path).relative_to(sample_dir)) for r in results)
    assert names == [
        "2024/q1/acme-cfo.txt",
        "README.md",
        "acme-cfo.txt",
        "globex-clerk.txt",
        "initech-it.txt",
    ]
    readme = next(r for r in results if r.path.endswith("README.md"))
    assert (readme.status, readme.reason) == ("skipped", "not an interview: a README file")
    ids = {r.interview_id for r in results}
    assert {"acme-cfo", "acme-cfo-2"} <= ids
    root_id = next(r.interview_id for r in results if Path(r.path) == sample_dir / "acme-cfo.txt")
    assert root_id is not None
    assert get_interview(workspace, root_id).summary.title == "Acme CFO"  # from the sidecar


def make_read_only(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the workspace read-only: by permissions, and for root (who ignores them)
    by having the OS permission check deny writes under the state folder."""
    ws.close()
    for p in [ws.state_dir, *ws.state_dir.iterdir()]:
        p.chmod(0o555 if p.is_dir() else 0o444)
    if os.geteuid() == 0:
        real_access = os.access
        state = str(ws.state_dir)

        def access(path: object, mode: int, **kwargs: object) -> bool:
            if mode & os.W_OK and str(path).startswith(state):
                return False
            return real_access(path, mode, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(os, "access", access)


def restore_writable(ws: Workspace) -> None:
    for p in [ws.state_dir, *ws.state_dir.iterdir()]:
        p.chmod(0o755 if p.is_dir() else 0o644)


def test_read_only_workspace_is_refused_and_left_intact(
    workspace: Workspace,
    sample_dir: Path,
    counting: CountingEmbedder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ingest_paths(workspace, [sample_dir / "acme-cfo.txt"], embedder=counting)
    workspace.close()
    before = {p.name: p.read_bytes() for p in workspace.state_dir.iterdir() if p.is_file()}
    texts = counting.texts
    make_read_only(workspace, monkeypatch)
    try:
        with pytest.raises(UsageError, match="read-only"):
            ingest_paths(workspace, [sample_dir], embedder=counting)
        with pytest.raises(UsageError, match="read-only"):
            set_interviewer(workspace, "acme", "Dana", embedder=counting)
        with pytest.raises(UsageError, match="read-only"):
            reindex(workspace, embedder=counting)
    finally:
        monkeypatch.undo()
        restore_writable(workspace)
    after = {p.name: p.read_bytes() for p in workspace.state_dir.iterdir() if p.is_file()}
    assert after == before
    assert counting.texts == texts
    assert [i.id for i in list_interviews(workspace)] == ["acme-cfo"]


def test_thousands_of_small_files(workspace: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(2000):
        (folder / f"call-{i:04d}.txt").write_text(
            f"Interviewer: What did you try before, customer {i}?\n\n"
            f"Customer: We tried spreadsheet number {i} and it broke every month.\n",
            encoding="utf-8",
        )
    embedder = CountingEmbedder(HashEmbedder())
    results = ingest_paths(workspace, [folder], embedder=embedder)
    assert len(results) == 2000
    assert {r.status for r in results} == {"ingested"}
    assert embedder.texts == 2000
    assert embedder.calls < 20  # batched across files (speed: benchmarks/extremes.py)
    again = ingest_paths(workspace, [folder], embedder=embedder)
    assert {r.status for r in again} == {"unchanged"}
    assert embedder.texts == 2000  # nothing embedded again


def test_model_change_asks_for_reindex(
    workspace: Workspace, sample_dir: Path, counting: CountingEmbedder
) -> None:
    ingest_paths(workspace, [sample_dir], embedder=counting)
    assert db.get_meta(workspace.conn, META_KEY) == "test:hash"
    other = HashEmbedder(dimension=32, name="test:other")
    with pytest.raises(UsageError, match="persona reindex"):
        ingest_paths(workspace, [sample_dir], embedder=other)
    with pytest.raises(UsageError, match="persona reindex"):
        search(workspace, "invoices", embedder=other)
    # The configured model (local MiniLM) differs from the stored one as well.
    with pytest.raises(UsageError, match="persona reindex"):
        search(workspace, "invoices")
    n = reindex(workspace, embedder=other)
    assert n == workspace.conn.execute("SELECT COUNT(*) FROM chunks WHERE embedded=1").fetchone()[0]
    assert db.get_meta(workspace.conn, META_KEY) == "test:other"
    assert search(workspace, "NetSuite integration", k=1, embedder=other)[0].interview_id == (
        "acme-cfo"
    )


def test_set_interviewer_reassigns_roles_and_embeds_only_changes(
    workspace: Workspace, sample_dir: Path, counting: CountingEmbedder
) -> None:
    ingest_paths(workspace, [sample_dir / "initech-it.txt"], embedder=counting)
    before = counting.texts
    roles = {s.label: s.role for s in get_interview(workspace, "initech").summary.speakers}
    assert roles == {"Interviewer": "interviewer", "Mei": "participant"}

    detail = set_interviewer(workspace, "initech", "Mei", embedder=counting)
    roles = {s.label: s.role for s in detail.summary.speakers}
    assert roles == {"Interviewer": "participant", "Mei": "interviewer"}
    assert detail.transcript.role_method == "override"
    # The interviewer's two questions became participant chunks: only those are embedded.
    assert counting.texts - before == 2
    rows = workspace.conn.execute(
        "SELECT role, embedded FROM chunks WHERE interview_id = 'initech-it'"
    ).fetchall()
    assert all(bool(r["embedded"]) == (r["role"] == SpeakerRole.participant) for r in rows)
    assert vector_count(workspace, counting) == 2
    hits = search(workspace, "Okta", role="interviewer", embedder=counting)
    assert hits and hits[0].speaker == "Mei"
    with pytest.raises(UsageError):
        set_interviewer(workspace, "initech", "Nobody", embedder=counting)


def test_id_prefixes(workspace: Workspace, sample_dir: Path, counting: CountingEmbedder) -> None:
    ingest_paths(workspace, [sample_dir], embedder=counting)
    assert resolve_interview_id(workspace, "glob") == "globex-clerk"
    with pytest.raises(UsageError, match="no interview"):
        resolve_interview_id(workspace, "zzz")
    (sample_dir / "acme-coo.txt").write_text(
        interview_text("Interviewer", "Kim", [("Role?", "I run operations.")]), encoding="utf-8"
    )
    ingest_paths(workspace, [sample_dir], embedder=counting)
    with pytest.raises(UsageError, match="several"):
        resolve_interview_id(workspace, "acme")


def test_a_long_embedding_reports_progress_per_slice(
    workspace: Workspace, sample_dir: Path, counting: CountingEmbedder, monkeypatch
) -> None:
    """A file with many passages embeds in slices, each reported (a 500-page file takes minutes)."""
    import assistant.library.ingest as ingest_module

    monkeypatch.setattr(ingest_module, "EMBED_SLICE", 2)
    reports: list[tuple[int, int, str]] = []
    results = ingest_paths(
        workspace, [sample_dir], embedder=counting, progress=lambda *r: reports.append(r)
    )
    assert {r.status for r in results} == {"ingested"}
    slices = [label for _, _, label in reports if label.startswith("embedded ")]
    total = counting.texts
    assert len(slices) == -(-total // 2)
    assert slices[-1] == f"embedded {total} of {total} passages"
    files = [r for r in reports if not r[2].startswith("embedded ")]
    assert [done for done, _, _ in files] == list(range(1, len(results) + 1))


def test_the_index_is_saved_often_so_a_search_does_not_replay_writes(
    workspace: Workspace, sample_dir: Path
) -> None:
    """New collections save their index every SYNC_THRESHOLD writes (Chroma: 1,000, whose
    unsaved writes each cold `persona search` replayed); a collection made with Chroma's
    default is given ours at its next write."""
    import dataclasses
    import sqlite3

    from assistant.library.rows import chunks_by_id
    from assistant.settings import load_settings
    from assistant.vectorstore import SYNC_THRESHOLD

    ingest_paths(workspace, [sample_dir], embedder=HashEmbedder())
    store = VectorStore.open(workspace, load_settings(workspace.config_data()), HashEmbedder())
    assert store.collection.configuration["hnsw"]["sync_threshold"] == SYNC_THRESHOLD == 100
    (one,) = chunks_by_id(
        workspace.conn, [workspace.conn.execute("SELECT id FROM chunks").fetchone()[0]]
    )
    many = [dataclasses.replace(one, id=f"synthetic-{n}") for n in range(350)]
    vectors = HashEmbedder().embed([f"text {n}" for n in range(350)])

    def unsaved(name: str) -> int:
        """Writes of collection ``name`` not in its saved index (Chroma's bookkeeping)."""
        with sqlite3.connect(workspace.chroma_dir / "chroma.sqlite3") as conn:
            rows = conn.execute(
                "SELECT s.type, m.seq_id FROM segments s JOIN collections c ON c.id = s.collection"
                " LEFT JOIN max_seq_id m ON m.segment_id = s.id WHERE c.name = ?",
                (name,),
            ).fetchall()
            (last,) = conn.execute("SELECT MAX(seq_id) FROM embeddings_queue").fetchone()
        saved = next((seq or 0) for kind, seq in rows if "hnsw" in kind)
        return int(last) - int(saved)

    chroma_default = store.client.create_collection(
        "made-before", configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
    )
    assert chroma_default.configuration["hnsw"]["sync_threshold"] == 1000
    chroma_default.upsert(ids=[c.id for c in many], embeddings=vectors)
    assert unsaved("made-before") >= 350  # what a cold search used to replay
    fresh = store.aside("made-after")
    fresh.upsert(many, vectors)
    assert unsaved("made-after") < SYNC_THRESHOLD
    before = store.aside("made-before")
    before.upsert(many[:5], vectors[:5])  # our next write gives it our threshold
    reopened = store.client.get_collection("made-before")
    assert reopened.configuration["hnsw"]["sync_threshold"] == SYNC_THRESHOLD
    # (an index this process already loaded keeps Chroma's threshold: the next process saves)
