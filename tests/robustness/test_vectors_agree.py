"""Vectors agree with the database: drift by chunk id is found both ways and repaired.

In-process, with the deterministic hash embedder: the states a crash can leave
(orphan vectors, chunks without vectors, an empty or deleted index) are made
directly, then `find_drift`, `repair_drift`, search and doctor are checked.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

from assistant.doctor import check_vectors, fix_vectors
from assistant.library import Library, ingest_paths
from assistant.search import Searcher
from assistant.settings import Settings
from assistant.vector_sync import find_drift, repair_drift
from assistant.workspace import Workspace
from tests.support.store import HashEmbedder


def _lib(ws: Workspace) -> Library:
    return Library.open(ws, embedder=HashEmbedder(), settings=Settings())


def test_orphans_and_missing_vectors_are_found_and_repaired(
    workspace: Workspace, sample_dir: Path
) -> None:
    lib = _lib(workspace)
    ingest_paths(workspace, [sample_dir], embedder=lib.embedder, store=lib.store)
    assert find_drift(workspace.conn, lib.store).ok
    ids = sorted(lib.store.ids())
    lib.store.delete_ids(ids[:2])  # rows without vectors
    ghost = workspace.conn.execute("SELECT * FROM chunks LIMIT 1").fetchone()
    from assistant.library.rows import chunks_by_id

    orphan = dataclasses.replace(chunks_by_id(workspace.conn, [ghost["id"]])[0], id="gone:c999")
    lib.store.upsert([orphan], lib.embedder.embed([orphan.text]))  # vector without a row
    drift = find_drift(workspace.conn, lib.store)
    assert drift.describe() == "1 orphan vector, 2 chunks without vectors"
    repaired = repair_drift(lib)
    assert repaired.orphans == ["gone:c999"] and len(repaired.missing) == 2
    assert find_drift(workspace.conn, lib.store).ok


def test_doctor_reports_drift_in_one_line_and_fix_repairs_it(
    workspace: Workspace, sample_dir: Path
) -> None:
    lib = _lib(workspace)
    ingest_paths(workspace, [sample_dir], embedder=lib.embedder, store=lib.store)
    lib.store.delete_ids(sorted(lib.store.ids())[:3])
    check = check_vectors(workspace, Settings())
    assert not check.ok
    assert "0 orphan vectors, 3 chunks without vectors" in check.detail
    assert check.fix == "run `persona doctor --fix`"
    # --fix repairs with the workspace's own embedder (here: the test one, via the library)
    assert repair_drift(lib).missing
    assert find_drift(workspace.conn, lib.store).ok
    assert "chunks without vectors" not in check_vectors(workspace, Settings()).detail


def test_search_says_when_it_is_keyword_only(workspace: Workspace, sample_dir: Path) -> None:
    lib = _lib(workspace)
    ingest_paths(workspace, [sample_dir], embedder=lib.embedder, store=lib.store)
    lib.store.delete_ids(sorted(lib.store.ids()))
    searcher = Searcher(lib)
    hits = searcher.search("invoice approvals")
    assert hits  # keywords still answer
    assert searcher.warnings and searcher.warnings[0].startswith("keyword-only:")
    assert "persona doctor --fix" in searcher.warnings[0]


def test_deleted_chroma_folder_is_diagnosed_and_rebuilt(
    workspace: Workspace, sample_dir: Path, monkeypatch
) -> None:
    lib = _lib(workspace)
    ingest_paths(workspace, [sample_dir], embedder=lib.embedder, store=lib.store)
    expected = len(lib.store.ids())
    lib.store.client.clear_system_cache()
    shutil.rmtree(workspace.chroma_dir)
    check = check_vectors(workspace, Settings())
    assert not check.ok and f"0 orphan vectors, {expected} chunks without vectors" in check.detail
    monkeypatch.setattr("assistant.library.handle.make_embedder", lambda _settings: HashEmbedder())
    fixed = fix_vectors(workspace, Settings())
    assert fixed.ok and f"repaired 0 orphan vectors, {expected} chunks" in fixed.detail
    assert "chunks without vectors" not in check_vectors(workspace, Settings()).detail


def test_search_during_a_swapped_index_falls_back_with_a_warning(
    workspace: Workspace, sample_dir: Path
) -> None:
    lib = _lib(workspace)
    ingest_paths(workspace, [sample_dir], embedder=lib.embedder, store=lib.store)
    searcher = Searcher(lib)
    lib.store.client.delete_collection(lib.store.collection_name)  # as a reindex's swap does
    hits = searcher.search("invoice approvals")
    assert hits
    assert "keyword-only: the vector index could not be read" in searcher.warnings[0]
