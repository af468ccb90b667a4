"""What each ingested file became: statuses, format, speakers, diarized, warnings (issue 10)."""

from __future__ import annotations

import shutil
from pathlib import Path

from assistant.ingest.registry import NOTES_WARNING
from assistant.library import get_interview, ingest_paths, list_interviews
from assistant.workspace import Workspace
from tests.support.paths import FIXTURES
from tests.support.store import CountingEmbedder

FORMATS = FIXTURES / "formats"


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "exports"
    folder.mkdir()
    for name in ("assemblyai.json", "srt__whisper.srt", "notes.md"):
        shutil.copy(FORMATS / name, folder / name)
    shutil.copy(FORMATS / "assemblyai.json", folder / "copy-of-assemblyai.json")
    for name in ("README.md", "LICENSE", "CHANGELOG.md", "SOURCES.txt", "audio.mp3"):
        (folder / name).write_text("not an interview\n", encoding="utf-8")
    return folder


def test_folder_report(workspace: Workspace, tmp_path: Path, counting: CountingEmbedder) -> None:
    folder = _folder(tmp_path)
    results = ingest_paths(workspace, [folder], embedder=counting)
    by_name = {Path(r.path).name: r for r in results}
    assert {n: r.status for n, r in by_name.items()} == {
        "assemblyai.json": "ingested",
        "copy-of-assemblyai.json": "duplicate",
        "srt__whisper.srt": "ingested",
        "notes.md": "ingested",
        "README.md": "skipped",
        "LICENSE": "skipped",
        "CHANGELOG.md": "skipped",
        "SOURCES.txt": "skipped",
        "audio.mp3": "skipped",
    }
    assert by_name["LICENSE"].reason == "not an interview: a LICENSE file"
    assert by_name["audio.mp3"].reason == "not a transcript file type ('.mp3')"
    dup = by_name["copy-of-assemblyai.json"]
    assert (dup.interview_id, dup.error) == ("assemblyai", None)
    assert dup.reason == "same content as interview assemblyai (in this batch)"

    vendor = by_name["assemblyai.json"]
    assert vendor.report() == (
        f"{folder / 'assemblyai.json'}: ingested as assemblyai — 2 speakers"
        " (Speaker A, Speaker B), diarized"
    )
    captions = by_name["srt__whisper.srt"]
    assert (captions.format, captions.verbatim, captions.diarized) == ("srt", True, False)
    assert captions.speakers == ["Unattributed"]
    assert captions.report().endswith(
        "ingested as srt — verbatim, not diarized (speaker Unattributed)"
    )
    notes = by_name["notes.md"]
    assert notes.warnings == [NOTES_WARNING]
    assert notes.report().endswith("ingested as notes — notes, not verbatim")


def test_flags_are_stored_and_listed(
    workspace: Workspace, tmp_path: Path, counting: CountingEmbedder
) -> None:
    folder = _folder(tmp_path)
    ingest_paths(workspace, [folder], embedder=counting)
    listed = {i.id: i for i in list_interviews(workspace)}
    assert {i: (s.format, s.kind) for i, s in listed.items()} == {
        "assemblyai": ("assemblyai", "verbatim"),
        "srt-whisper": ("srt", "not diarized"),
        "notes": ("notes", "notes"),
    }
    srt = get_interview(workspace, "srt-whisper")
    assert srt.transcript.diarized is False
    assert [(s.label, s.role) for s in srt.summary.speakers] == [("Unattributed", "unknown")]
    assert srt.to_json()["diarized"] is False
    assert get_interview(workspace, "notes").summary.warnings == [NOTES_WARNING]

    # Re-ingest without re-reading: the report comes from what was stored.
    again = ingest_paths(
        workspace, [folder / "notes.md", folder / "srt__whisper.srt"], embedder=counting
    )
    assert [(r.status, r.format, r.diarized, r.warnings) for r in again] == [
        ("unchanged", "notes", True, [NOTES_WARNING]),
        ("unchanged", "srt", False, []),
    ]


def test_duplicate_of_a_stored_interview_is_not_a_failure(
    workspace: Workspace, tmp_path: Path, counting: CountingEmbedder
) -> None:
    ingest_paths(workspace, [FORMATS / "whisperx.json"], embedder=counting)
    copy = tmp_path / "renamed.json"
    shutil.copy(FORMATS / "whisperx.json", copy)
    (result,) = ingest_paths(workspace, [copy], embedder=counting)
    assert (result.status, result.interview_id) == ("duplicate", "whisperx")
    assert result.reason is not None and str(FORMATS / "whisperx.json") in result.reason


def test_forced_format_rereads_an_unchanged_file(
    workspace: Workspace, tmp_path: Path, counting: CountingEmbedder
) -> None:
    path = tmp_path / "call.txt"
    shutil.copy(FORMATS / "labelled.txt", path)
    (first,) = ingest_paths(workspace, [path], embedder=counting)
    assert first.format == "labelled"
    (forced,) = ingest_paths(workspace, [path], embedder=counting, format="notes")
    assert (forced.status, forced.format, forced.verbatim) == ("updated", "notes", False)
