"""Big files in each registered layout, made from its fixture, for parse-throughput runs.

Every format's sample grows its fixture (``fixtures/formats/NAME.*``) to about
``size`` bytes: text layouts and captions repeat their body (a caption file
keeps one header), JSON formats repeat the items of their main lists. Times
are repeated as they are (parse speed does not depend on them).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from assistant.ingest.registry import REGISTRY

FORMATS = Path(__file__).resolve().parent.parent / "fixtures" / "formats"

JSON_LISTS: dict[str, list[tuple[str, ...]]] = {
    "persona-json": [("turns",)],
    "assemblyai": [("utterances",), ("words",)],
    "deepgram": [("results", "utterances"), ("results", "channels", 0, "alternatives", 0, "words")],
    "aws-transcribe": [("results", "items"), ("results", "speaker_labels", "segments")],
    "whisperx": [("segments",), ("word_segments",)],
    "whisper-json": [("segments",)],
    "podcast-json": [("segments",)],
}
"""The lists that grow with the length of a recording, per JSON format."""


def fixture(name: str) -> Path | None:
    """The plain fixture of format ``name`` (not a .docx, the unvaried one first)."""
    found = sorted(
        p
        for p in FORMATS.iterdir()
        if p.stem.split("__")[0] == name and p.suffix != ".docx" and p.name != "README.md"
    )
    return found[0] if found else None


def _at(data: Any, path: tuple[Any, ...]) -> list[Any]:
    for key in path:
        data = data[key]
    assert isinstance(data, list)
    return data


def grow(name: str, path: Path, size: int) -> str:
    """The fixture of ``name`` grown to about ``size`` characters."""
    text = path.read_text(encoding="utf-8")
    if name in JSON_LISTS:
        data = json.loads(text)
        times = max(1, size // len(text) + 1)
        grown = copy.deepcopy(data)
        for list_path in JSON_LISTS[name]:
            items = _at(grown, list_path)
            items[:] = items * times
        return json.dumps(grown, indent=1)
    head, body = "", text
    if path.suffix == ".vtt":
        head, _, body = text.partition("\n\n")
        head += "\n\n"
    elif path.suffix == ".tsv":
        head, _, body = text.partition("\n")
        head += "\n"
    body = body.strip("\n") + "\n\n"
    return head + body * max(1, (size - len(head)) // len(body) + 1)


def samples(size: int, out: Path) -> list[tuple[str, Path]]:
    """(format name, file) for every registered format with a fixture."""
    made: list[tuple[str, Path]] = []
    for fmt in REGISTRY:
        source = fixture(fmt.name)
        if source is None:
            continue
        target = out / f"{fmt.name}{source.suffix}"
        target.write_text(grow(fmt.name, source, size), encoding="utf-8")
        made.append((fmt.name, target))
    return made
