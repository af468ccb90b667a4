"""Amazon Transcribe job output JSON (the ``TranscriptFileUri`` file).

Words are ``results.items`` (``type`` ``pronunciation`` or ``punctuation``,
text in ``alternatives[0].content``, times as text: ``"12.34"`` seconds).
Speakers come from each item's ``speaker_label`` or, in older output, from
``results.speaker_labels.segments[].items[]`` matched by ``start_time``
(channel identification: ``results.channel_labels.channels[]``)::

    {"results": {"transcripts": [{"transcript": "..."}],
                 "speaker_labels": {"speakers": 2, "segments": [
                     {"speaker_label": "spk_0", "start_time": "0.44",
                      "end_time": "3.30", "items": [...]}]},
                 "items": [{"start_time": "0.44", "end_time": "0.71", "type":
                     "pronunciation", "alternatives": [{"content": "Hello"}]}]}}

Punctuation joins the word before it; consecutive words of one speaker form a
turn. Labels are kept as written (``spk_0``). Without any speaker labels the
words become sentence-sized ``Unattributed`` turns (not diarized).
"""

from __future__ import annotations

from typing import Any

from assistant.errors import ParseError
from assistant.ingest import json_fields as jf
from assistant.ingest.base import JSON_FILES, Format, Input, ParsedText
from assistant.ingest.unattributed import speaker_turns


def sniff(inp: Input) -> float:
    """0.95 for ``results`` holding ``items`` and ``transcripts``."""
    data = inp.json_or_none()
    if not isinstance(data, dict) or not isinstance(data.get("results"), dict):
        return 0.0
    results = data["results"]
    return 0.95 if "items" in results and "transcripts" in results else 0.0


def _labels_by_start(results: dict[str, Any], source: str) -> dict[str, str]:
    """``start_time`` → speaker (or channel) label, from the segment lists."""
    found: dict[str, str] = {}
    groups: list[tuple[str, str, list[Any]]] = []
    if isinstance(results.get("speaker_labels"), dict):
        sl = results["speaker_labels"]
        base = "results.speaker_labels"
        groups += [
            (f"{base}.segments[{i}]", "speaker_label", [s])
            for i, s in enumerate(jf.items(sl, "segments", base, source))
        ]
    if isinstance(results.get("channel_labels"), dict):
        cl = results["channel_labels"]
        base = "results.channel_labels"
        groups += [
            (f"{base}.channels[{i}]", "channel_label", [c])
            for i, c in enumerate(jf.items(cl, "channels", base, source))
        ]
    for where, key, (raw,) in groups:
        seg = jf.obj(raw, where, source)
        label = jf.text(seg, key, where, source)
        for j, item in enumerate(jf.items(seg, "items", where, source)):
            entry = jf.obj(item, f"{where}.items[{j}]", source)
            start = entry.get("start_time")
            if start is not None:
                found[str(start)] = label
    return found


def parse(inp: Input) -> ParsedText:
    """Items → words → speaker turns (or unattributed sentence turns)."""
    source = inp.source
    data = jf.obj(inp.json(), "(top level)", source)
    results = jf.obj(data.get("results"), "results", source)
    by_start = _labels_by_start(results, source)
    words: list[tuple[str | None, str, float | None, float | None]] = []
    for i, raw in enumerate(jf.items(results, "items", "results", source)):
        where = f"results.items[{i}]"
        item = jf.obj(raw, where, source)
        alts = jf.items(item, "alternatives", where, source)
        if not alts:
            raise ParseError(source, f"{where}.alternatives: empty, no word")
        content = jf.text(
            jf.obj(alts[0], f"{where}.alternatives[0]", source),
            "content",
            f"{where}.alternatives[0]",
            source,
        )
        if item.get("type") == "punctuation":
            if words:
                who, text, start, end = words[-1]
                words[-1] = (who, text + content, start, end)
            continue
        start = jf.seconds(item, "start_time", where, source, as_text=True)
        end = jf.seconds(item, "end_time", where, source, as_text=True)
        label = item.get("speaker_label") or item.get("channel_label")
        if label is None and item.get("start_time") is not None:
            label = by_start.get(str(item["start_time"]))
        words.append((str(label) if label is not None else None, content, start, end))
    if not any(text.strip() for _w, text, _a, _b in words):
        raise ParseError(source, "results.items: no words")
    return speaker_turns(words, lambda n: f"{n} words have no speaker label")


FORMAT = Format(
    name="aws-transcribe",
    extensions=JSON_FILES,
    summary="Amazon Transcribe JSON: `results.items` words + `speaker_labels`, times as text",
    example='{"results": {"speaker_labels": {"segments": [{"speaker_label": "spk_0", ...}]},\n'
    '  "items": [{"start_time": "0.44", "alternatives": [{"content": "Hello"}]}]}}',
    sniff=sniff,
    parse=parse,
)
