"""Caption readers compared: ours (assistant/ingest/cues.py) against webvtt-py and pysubs2.

Usage::

    pip install webvtt-py pysubs2   # opt-in: neither is a dependency
    python benchmarks/caption_readers.py [--write-results]

Reads the same ~1.3 MB SRT and WebVTT files (14,000 cues, Teams voice tags in
the WebVTT) with each reader, best of 3 runs of CPU time, and checks what
each keeps of a voice tag (the Teams speaker) and of YouTube's inline word
times. A reader that is not installed is reported as such. This is the
measurement behind "webvtt-py replaced, pysubs2 not adopted" in CHANGELOG.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from benchmarks.results import write_section  # noqa: E402

CUES = 14_000


def caption_text(vtt: bool) -> str:
    """A long SRT or WebVTT file: one speaker per cue, voice tags in the WebVTT."""
    out = ["WEBVTT", ""] if vtt else []
    sep = "." if vtt else ","
    for i in range(CUES):
        s = i * 3
        a = f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}{sep}000"
        b = f"{(s + 2) // 3600:02d}:{(s + 2) // 60 % 60:02d}:{(s + 2) % 60:02d}{sep}500"
        text = f"approvals moved out of email, number {i}."
        payload = f"<v Dana Whitfield>We {text}</v>" if vtt else f"Dana: we {text}"
        out += ([] if vtt else [str(i + 1)]) + [f"{a} --> {b}", payload, ""]
    return "\n".join(out)


def best_cpu(fn: Callable[[], object], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write-results", action="store_true")
    args = parser.parse_args()
    from assistant.ingest.cues import read_cues

    have = {m: importlib.util.find_spec(m) is not None for m in ("webvtt", "pysubs2")}
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} CPU cores, Python "
        f"{platform.python_version()}; load average {os.getloadavg()[0]:.1f} at the start. "
        f"CPU time, best of 3, {CUES} cues.",
        "",
        "| Reader | SRT | WebVTT | keeps `<v Name>` | YouTube word times |",
        "| --- | --- | --- | --- | --- |",
    ]
    yt = (REPO / "fixtures" / "formats" / "youtube-vtt.vtt").read_text(encoding="utf-8")
    texts = {vtt: caption_text(vtt) for vtt in (False, True)}
    mb = {vtt: len(t.encode()) / 1e6 for vtt, t in texts.items()}

    def row(
        name: str, srt: Callable[[], object], vtt: Callable[[], object], voice: str, words: str
    ) -> None:
        lines.append(
            f"| {name} | {mb[False] / best_cpu(srt):.1f} MB/s | {mb[True] / best_cpu(vtt):.1f} MB/s "
            f"| {voice} | {words} |"
        )
        print(lines[-1], flush=True)

    row(
        "cues.py (ours)",
        lambda: read_cues(texts[False], "x.srt", srt=True),
        lambda: read_cues(texts[True], "x.vtt", srt=False),
        "yes (raw payload)",
        "kept raw, stripped by the youtube-vtt format",
    )
    if have["webvtt"]:
        import webvtt

        cap = webvtt.from_buffer(texts[True].split("\n")).captions[0]
        row(
            "webvtt-py",
            lambda: webvtt.from_buffer(texts[False].split("\n"), format="srt").captions,
            lambda: webvtt.from_buffer(texts[True].split("\n")).captions,
            "yes" if "<v" in cap.raw_text else "no",
            "kept raw",
        )
    else:
        lines.append("| webvtt-py | not installed | | | |")
    if have["pysubs2"]:
        import pysubs2

        event = pysubs2.SSAFile.from_string(texts[True])[0]
        first = pysubs2.SSAFile.from_string(yt)[0].plaintext
        row(
            "pysubs2",
            lambda: pysubs2.SSAFile.from_string(texts[False]),
            lambda: pysubs2.SSAFile.from_string(texts[True]),
            "no" if "Dana" not in event.text else "yes",
            "left in the text" if "<00:" in first else "removed",
        )
    else:
        lines.append("| pysubs2 | not installed | | | |")
    if args.write_results:
        write_section(
            "## Caption readers",
            f"`benchmarks/caption_readers.py` run on {time.strftime('%Y-%m-%d')}.\n\n"
            + "\n".join(lines),
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
