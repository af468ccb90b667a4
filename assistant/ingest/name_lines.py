"""A name on its own line, then what they said, without a colon.

Copying a transcript out of Meet, Zoom or Teams side panels (or out of a
chat) gives::

    Dana Whitfield
    Thanks for joining. How do you handle approvals today?
    You
    We route invoices by email.

A line is a speaker name when it is short and shaped like a name
(capitalised words, or ``You`` for the recorder; it may be a Markdown
heading or bold: ``### Interviewer``), is not a common reply
(``Yes``, ``Okay``, ``Thanks``), is followed by text, and recurs: a name seen
once is text. Consecutive turns of one speaker merge. This is the weakest
text layout: labelled ``Name:`` files win over it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import cache

from assistant.ingest.base import ParsedText
from assistant.ingest.headed import SNIFF_LINES, Header, parse_headed, text_format
from assistant.ingest.textclean import clean_line, clean_text

_PARTICLES = frozenset(
    {"van", "von", "de", "der", "den", "da", "del", "di", "du", "la", "le", "bin"}
)
_REPLIES = frozenset(
    [
        "yes",
        "no",
        "yeah",
        "yep",
        "nope",
        "ok",
        "okay",
        "right",
        "sure",
        "thanks",
        "hmm",
        "hm",
        "uh",
        "um",
        "mhm",
        "mm",
        "exactly",
        "great",
        "cool",
        "wow",
        "oh",
        "alright",
        "hi",
        "hello",
        "hey",
        "bye",
        "true",
        "correct",
        "absolutely",
        "definitely",
        "perfect",
        "nice",
        "awesome",
        "interesting",
        "totally",
        "indeed",
        "agreed",
        "fine",
        "good",
        "really",
        "so",
        "well",
        "anyway",
        "cheers",
        "sorry",
        "pardon",
        "what",
        "why",
        "how",
        "when",
        "where",
        "who",
        "maybe",
        "possibly",
        "probably",
        "amazing",
        "lovely",
        "brilliant",
        "fantastic",
        "excellent",
    ]
)
_REPLY_PHRASES = frozenset(
    {
        "thank you",
        "of course",
        "got it",
        "sounds good",
        "makes sense",
        "for sure",
        "no problem",
        "good morning",
        "good afternoon",
        "see you",
        "me too",
        "you too",
        "same here",
        "all right",
    }
)
_PAREN = re.compile(r"\s+\([^()]{1,30}\)$")
_HEADING_MARKS = re.compile(r"^#{1,6}\s+")
_WORD = re.compile(r"^[^\W\d_][\w'’.-]*$")


def name_shaped(line: str) -> bool:
    """Short capitalised words (``Dana Whitfield``, ``You``, ``Speaker 2``), not a common reply.

    A trailing parenthesis (``Jane Doe (Guest)``, ``Ola (Acme)``) may follow the name.
    """
    if line.endswith(")"):
        line = _PAREN.sub("", line)
    if len(line) > 40 or line.endswith((".", "?", "!", ",", ":")):
        return False
    words = line.split()
    if not 1 <= len(words) <= 4:
        return False
    key = " ".join(words).casefold()
    if key in _REPLIES or key in _REPLY_PHRASES:
        return False
    first, *others = words
    return bool(_WORD.match(first) and first[0].isupper()) and all(
        w.isdigit() or (_WORD.match(w) and (w[0].isupper() or w.casefold() in _PARTICLES))
        for w in others
    )


def _name_text(line: str) -> str:
    """A line's text without Markdown heading marks or emphasis (``### Interviewer``)."""
    line = clean_line(line)
    return clean_text(_HEADING_MARKS.sub("", line) if line.startswith("#") else line)


def _candidates(cleaned: Sequence[str]) -> Counter[str]:
    """Name-shaped lines (already :func:`_name_text`) followed by a text line, counted."""
    texts = [i for i, line in enumerate(cleaned) if line]
    shaped_text = cache(name_shaped)  # the same few names come back on every other line
    shaped = [shaped_text(cleaned[i]) for i in texts]
    counts: Counter[str] = Counter()
    for pos, i in enumerate(texts[:-1]):
        if shaped[pos] and not shaped[pos + 1]:
            counts[cleaned[i]] += 1
    return counts


def sniff(lines: Sequence[str]) -> float:
    """0.55 (below labelled text) when two or more recurring names start a fair share of lines."""
    head = lines[:SNIFF_LINES]
    counts = _candidates([_name_text(line) for line in head])
    speakers = {name for name, n in counts.items() if n >= 2}
    texty = sum(1 for line in head if clean_line(line))
    turns = sum(counts[s] for s in speakers)
    if len(speakers) >= 2 and turns >= 4 and turns >= 0.15 * texty:
        return 0.55
    return 0.0


def parse(lines: Sequence[str]) -> ParsedText:
    """Parse name-line transcripts into raw turns."""
    names = [_name_text(line) for line in lines]
    speakers = {name for name, n in _candidates(names).items() if n >= 2}
    # header lines by their cleaned text (what parse_headed passes), each name read once
    heads = {
        clean_line(line): name for line, name in zip(lines, names, strict=True) if name in speakers
    }

    def header(line: str) -> Header | None:
        name = heads.get(line)
        return Header(name) if name is not None else None

    return parse_headed(lines, header, merge=True)


FORMAT = text_format(
    "name-lines",
    "A name alone on its line (`You` for the recorder), the words below, no colon",
    "Dana Whitfield\nThanks for making time. How do you handle approvals today?",
    sniff,
    parse,
)
