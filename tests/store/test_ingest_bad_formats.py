"""Bad files of every new format in one batch: one line each, the rest ingested, workspace intact."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from docx import Document

from assistant.library import ingest_paths, list_interviews
from assistant.workspace import Workspace
from tests.support.paths import FIXTURES
from tests.support.store import CountingEmbedder

FORMATS = FIXTURES / "formats"


def _json(name: str) -> Any:
    return json.loads((FORMATS / name).read_text(encoding="utf-8"))


def _bad_files(folder: Path) -> dict[str, str]:
    """File name -> the start of the one-line error it must give."""
    folder.mkdir()
    (folder / "truncated.json").write_text((FORMATS / "deepgram.json").read_text()[:900])
    aai = _json("assemblyai.json")
    aai["utterances"][0]["start"] = "00:00:01"
    (folder / "wrong-type.json").write_text(json.dumps(aai))
    empty = _json("assemblyai.json")
    empty["utterances"] = [{"speaker": "A", "text": "", "start": 0, "end": 10}]
    (folder / "empty-utterances.json").write_text(json.dumps(empty))
    wx = _json("whisperx.json")
    for seg in wx["segments"]:
        seg.pop("text")
    (folder / "no-text.json").write_text(json.dumps(wx))
    (folder / "timings.srt").write_text(
        "1\n00:00:01,000 --> 00:00:02,000\n\n2\n00:00:03,000 --> 00:00:04,000\n"
    )
    (folder / "timings.vtt").write_text(
        "WEBVTT\n\n00:01.000 --> 00:02.000\n\n00:03.000 --> 00:04.000\n"
    )
    (folder / "cut.tsv").write_text("start\tend\ttext\n0\t42")
    doc = Document()
    for _ in range(3):
        doc.add_paragraph("")
    doc.save(str(folder / "blank.docx"))
    return {
        "truncated.json": "invalid JSON at line",
        "wrong-type.json": "utterances[0].start: expected a number (milliseconds), got text",
        "empty-utterances.json": "utterances: no utterance has text",
        "no-text.json": "segments[0].text: expected text, got nothing",
        "timings.srt": "no captions with text found in this SRT file",
        "timings.vtt": "no captions with text found in this WebVTT file",
        "cut.tsv": "line 2: expected start<TAB>end<TAB>text",
        "blank.docx": "file has no text",
    }


def test_bad_files_fail_alone_with_one_line(
    workspace: Workspace, tmp_path: Path, counting: CountingEmbedder
) -> None:
    folder = tmp_path / "batch"
    expected = _bad_files(folder)
    shutil.copy(FORMATS / "aws-transcribe.json", folder / "good.json")
    results = ingest_paths(workspace, [folder], embedder=counting)
    by_name = {Path(r.path).name: r for r in results}
    assert by_name["good.json"].status == "ingested"
    for name, start in expected.items():
        r = by_name[name]
        assert r.status == "failed", name
        assert r.error is not None and r.error.startswith(start), (name, r.error)
        assert "\n" not in r.error
    assert [i.id for i in list_interviews(workspace)] == ["good"]
    # Nothing half-written: no turns or chunks of the failed files.
    conn = workspace.conn
    assert {r[0] for r in conn.execute("SELECT DISTINCT interview_id FROM turns")} == {"good"}
    assert {r[0] for r in conn.execute("SELECT DISTINCT interview_id FROM chunks")} == {"good"}
