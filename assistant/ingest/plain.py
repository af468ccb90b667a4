"""Plain text and Markdown transcripts with ``Name:`` speaker labels.

A label starts a line: ``Dana Whitfield: text``, ``**Interviewer:** text``,
``**Q**: text``, ``Interviewer 1:`` or ``[00:12:05] Dana: text`` (the
timestamp becomes the turn's start). Lines without a label continue the
previous turn. To avoid mistaking prose for speakers a label must be short
(at most 4 words, 40 characters), have no space before the colon, be
followed by a space or the line end (so ``https://`` never is one), be a
name (capitalised words) or a role word (``interviewer``, ``user``...), and
not be a common heading word (``Note``, ``Subject``, ``Date``...). Once two or
more labels recur, a label seen only once is prose, not a speaker (``Frustrated:
it kept failing`` inside an answer), unless it is a role word, a name from the
metadata, ``Speaker 3``, or a full name (``Marcus Lee: text``) with text on
the same line. A file is a transcript when it has at least two labelled
turns and either exactly two or some label recurs; otherwise it is notes.

Before the first turn, blank lines, Markdown headings, ``---`` rules and
``Key: value`` header lines (``**Transcript ID:** 0009``) are not turns; the
first ``# Heading`` is the title. Other text there is kept as a ``Notes`` turn.
In Markdown, headings and rules between turns are dropped too.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.ingest.base import (
    HEADING,
    RULE,
    TEXT_FILES,
    Format,
    Input,
    NotThisFormat,
    ParsedText,
)
from assistant.ingest.headed import is_section_heading, key_value, section_label
from assistant.ingest.speaker_cues import NOTES_SPEAKER, label_key, label_role
from assistant.ingest.textclean import clock_seconds, strip_markup
from assistant.models import RawTurn, SpeakerRole

MAX_LABEL_CHARS = 40
MAX_LABEL_WORDS = 4

_LABEL = re.compile(
    r"^(?:[\[(](?P<ts>(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?)[\])]\s*)?"
    r"(?P<open>\*\*|__)?"
    r"(?P<label>[^\W\d_][\w .'’&()/-]{0,60}?)"
    r"(?(open)(?:\*\*:|:\*\*|__:|:__)|:)"
    r"(?=\s|$)"
)
_TIME_AFTER = re.compile(r"^\\?[\[(](?P<ts>(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?)\\?[\])]")
"""A time right after the label (``Dana: [00:01:02] text``): the turn's start."""
_PARTICLES = frozenset({"van", "von", "de", "der", "den", "da", "del", "di", "du", "la", "le"})
_NOT_SPEAKERS = frozenset(
    {
        "note",
        "notes",
        "nb",
        "ps",
        "re",
        "fw",
        "fwd",
        "subject",
        "example",
        "examples",
        "summary",
        "update",
        "edit",
        "warning",
        "tip",
        "important",
        "source",
        "sources",
        "url",
        "link",
        "http",
        "https",
        "ftp",
        "mailto",
        "todo",
        "date",
        "time",
        "title",
        "tags",
        "id",
        "transcript id",
        "duration",
        "location",
        "attendees",
        "participants",
        "company",
        "step",
        "question",
        "answer",
        "disclaimer",
        "reminder",
        "agenda",
        "topic",
        "action items",
        "next steps",
    }
)
_NUMBERED = re.compile(r"^(?:speaker|person|caller|voice)\s*\d+$", re.IGNORECASE)


@dataclass
class _Candidate:
    line_no: int
    label: str
    rest: str
    start: float | None


def is_speaker_label(label: str) -> bool:
    """Whether ``label`` is shaped like a speaker name or role word (not prose)."""
    if label != label.strip() or len(label) > MAX_LABEL_CHARS:
        return False
    words = label.split()
    if not words or len(words) > MAX_LABEL_WORDS:
        return False
    key = " ".join(words).casefold()
    if key in _NOT_SPEAKERS or key.rstrip("s") in _NOT_SPEAKERS:
        return False
    if label_role(label) is not SpeakerRole.unknown:
        return True
    return all(w[0].isupper() or w[0].isdigit() or w in _PARTICLES for w in words)


def _full_name(label: str) -> bool:
    """Two to four capitalised words, like ``Marcus Lee``: a person who may speak once."""
    words = label.split()
    return 2 <= len(words) <= MAX_LABEL_WORDS and all(w[0].isupper() for w in words)


def match_label(line: str) -> tuple[str, str, float | None] | None:
    """Split a line into (label, rest, start seconds) when it starts with a speaker label."""
    m = _LABEL.match(line)
    if m is None or not is_speaker_label(m["label"]):
        return None
    start = clock_seconds(m["ts"]) if m["ts"] else None
    rest = line[m.end() :].strip()
    after = _TIME_AFTER.match(rest)
    if after is not None and start is None:
        start = clock_seconds(after["ts"])
        rest = rest[after.end() :].strip()
    return m["label"], rest, start


def _is_header_line(line: str) -> bool:
    return _LABEL.match(line) is not None


def parse_labelled(
    lines: Iterable[str], *, markdown: bool, known: Iterable[str] = ()
) -> ParsedText | None:
    """Parse labelled lines into turns, or None when they do not read as a transcript."""
    all_lines = [line.strip() for line in lines]
    candidates: dict[int, _Candidate] = {}
    for i, line in enumerate(all_lines):
        if (
            line
            and line[0] not in "#-=>|"
            and ":" in line[: MAX_LABEL_CHARS + 30]
            and section_label(line) is None
        ):
            found = match_label(line)
            if found is not None:
                candidates[i] = _Candidate(i, *found)
    for i in _top_header_block(all_lines, candidates):
        del candidates[i]
    counts = Counter(c.label for c in candidates.values())
    recurring = [label for label, n in counts.items() if n >= 2]
    known_keys = {k.casefold() for k in known}
    if len(recurring) >= 2:
        candidates = {
            i: c
            for i, c in candidates.items()
            if counts[c.label] >= 2
            or label_role(c.label) is not SpeakerRole.unknown
            or _NUMBERED.match(c.label)
            or c.label.casefold() in known_keys
            or (_full_name(c.label) and bool(c.rest))
        }
        candidates = _without_header_block(all_lines, candidates, counts)
    total = len(candidates)
    if total < 2 or (total > 2 and len({c.label for c in candidates.values()}) == total):
        return None
    return _build(all_lines, candidates, markdown=markdown)


_META_KEYS = frozenset(
    [
        "interviewee",
        "participant",
        "respondent",
        "subject",
        "persona",
        "profile",
        "role",
        "age",
        "company",
        "organisation",
        "organization",
        "occupation",
        "job",
        "position",
        "title",
        "industry",
        "location",
        "background",
        "demographics",
        "name",
        "team",
        "department",
        "seniority",
    ]
)


def _top_header_block(lines: list[str], candidates: dict[int, _Candidate]) -> list[int]:
    """Label lines of a metadata block at the top (``Interviewer: Sarah`` / ``Interviewee: Jack (26)``).

    The block is the run of ``Key: value`` lines at the top (blank lines
    between them allowed, as Word puts between paragraphs) whose values are
    short and read as no sentence. It is the document's header when one key
    is a profile word (interviewee, role, company...) and the dialogue
    follows below it: its label lines are then not turns, even when the label
    (``Interviewer``) also speaks later.
    """
    n = len(lines)
    i = 0
    while i < n and (not lines[i] or HEADING.match(lines[i]) or RULE.match(lines[i])):
        i += 1
    block: list[int] = []
    j = i
    while j < n and len(block) < 12:
        line = lines[j]
        if line:
            cand = candidates.get(j)
            value = cand.rest if cand is not None else line.partition(":")[2].strip()
            if not _is_header_line(line) or len(value) > 80 or _sentence(value):
                break
            block.append(j)
        j += 1
    if not block or not any(k > block[-1] for k in candidates):
        return []
    if not any(_profile_key(lines[k]) for k in block):
        return []
    return [k for k in block if k in candidates]


def _sentence(value: str) -> bool:
    return value.rstrip("*_ ").endswith((".", "?", "!"))


def _profile_key(line: str) -> bool:
    m = _LABEL.match(line)
    return m is not None and label_key(m["label"]) in _META_KEYS


def _without_header_block(
    lines: list[str], candidates: dict[int, _Candidate], counts: Counter[str]
) -> dict[int, _Candidate]:
    """Drop once-only labels in the metadata block above the dialogue.

    ``Interviewee: Jack (26, designer)`` above the first recurring speaker is
    the document's header, not a speaker: a once-only label there whose line
    is a short value (no sentence end, no text below) and whose key, or a
    neighbour's, is a profile word (interviewee, role, company, age...).
    """
    first = min((i for i, c in candidates.items() if counts[c.label] >= 2), default=None)
    if first is None:
        return candidates

    def block(i: int) -> list[int]:
        lo = i
        while lo > 0 and lines[lo - 1]:
            lo -= 1
        hi = i
        while hi + 1 < first and lines[hi + 1]:
            hi += 1
        return list(range(lo, hi + 1))

    def header_line(i: int, c: _Candidate) -> bool:
        if i >= first or counts[c.label] != 1 or len(c.rest) > 80:
            return False
        if c.rest.rstrip("*_ ").endswith((".", "?", "!")):
            return False
        nxt = next((j for j in range(i + 1, len(lines)) if lines[j]), None)
        if nxt is not None and nxt not in candidates and not _is_header_line(lines[nxt]):
            return False
        return any(_profile_key(lines[j]) for j in block(i))

    return {i: c for i, c in candidates.items() if not header_line(i, c)}


def _build(lines: list[str], candidates: dict[int, _Candidate], *, markdown: bool) -> ParsedText:
    title: str | None = None
    preamble: list[str] = []
    header_meta: dict[str, str] = {}
    notes: list[str] = []
    turns: list[RawTurn] = []
    speaker: str | None = None
    start: float | None = None
    body: list[str] = []

    def flush() -> None:
        if speaker is not None:
            text = "\n".join(strip_markup(line) if markdown else line for line in body)
            turns.append(RawTurn(speaker=speaker, text=text, start=start))
        if notes:
            turns.append(RawTurn(speaker=NOTES_SPEAKER, text="\n".join(notes)))
            notes.clear()

    for i, line in enumerate(lines):
        cand = candidates.get(i)
        if cand is not None:
            flush()
            speaker, start, body = cand.label, cand.start, [cand.rest]
            continue
        heading = HEADING.match(line)
        if speaker is None and not notes:
            if heading and title is None:
                title = heading["title"]
            kv = key_value(line) if _is_header_line(line) else None
            if kv is not None:
                if kv[1]:
                    header_meta[kv[0]] = kv[1]
            elif line and not heading and not RULE.match(line):
                preamble.append(line)
        elif (
            notes
            or (markdown and heading)
            or (line and (is_section_heading(line) or section_label(line) is not None))
        ):
            if speaker is not None:
                flush()
                speaker = None
            if line and not RULE.match(line):
                notes.append(heading["title"] if heading else line)
        elif markdown and RULE.match(line):
            continue
        else:
            body.append(line)
    flush()
    if preamble:
        turns.insert(0, RawTurn(speaker=NOTES_SPEAKER, text="\n".join(preamble)))
    warnings: list[str] = []
    if header_meta:
        shown = "; ".join(f"{k}: {v}" for k, v in header_meta.items())
        warnings.append(f"document header kept out of the turns (not speech): {shown}")
    return ParsedText(turns=turns, title=title, warnings=warnings)


def first_heading(lines: Iterable[str]) -> str | None:
    """The text of the first Markdown ``# Heading`` line, if any."""
    for line in lines:
        m = HEADING.match(line.strip())
        if m:
            return m["title"]
    return None


def sniff_labelled(inp: Input) -> float:
    """0.6 when the first few KB read as labelled dialogue (a generic layout)."""
    found = parse_labelled(inp.head_lines, markdown=inp.markdown, known=inp.known)
    return 0.6 if found is not None else 0.0


def parse_labelled_input(inp: Input) -> ParsedText:
    """Parse the whole file; :class:`NotThisFormat` when it does not read as dialogue."""
    found = parse_labelled(inp.lines, markdown=inp.markdown, known=inp.known)
    if found is None:
        raise NotThisFormat("too few recurring speaker labels")
    return found


FORMAT = Format(
    name="labelled",
    extensions=TEXT_FILES,
    summary="Text with `Name:` speaker labels (also **Name:**, Q:/A:, [00:12] Name:)",
    example="Interviewer: How did you choose a tool?\nDana: We asked three peers first.",
    sniff=sniff_labelled,
    parse=parse_labelled_input,
)
