"""Words a claim puts in quotation marks must be words someone said.

A persona claim or a message text may quote customers inline: ``Dana calls it
“the Friday fire drill”``. :func:`quoted_phrases` finds such phrases (two words
or more: a single word in quotes is usually emphasis); :func:`check_quoted`
looks for each one, verbatim (exact or after normalisation, never fuzzily), in
a participant turn of the interviews the claim cites, and says what is wrong
with those it cannot find.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from assistant.evidence.locate import TranscriptIndex
from assistant.evidence.verify import EvidenceStatus, verify_quote

_QUOTED = re.compile(r"“([^”]+)”|\"([^\"]+)\"|«\s*([^»]+?)\s*»|„([^“”]+)[“”]|「([^」]+)」")
_NO_FUZZY = 101.0  # above any fuzzy score: only exact and normalised matches count


def quoted_phrases(text: str) -> list[str]:
    """Phrases of two words or more that ``text`` puts in quotation marks, in order."""
    out = []
    for m in _QUOTED.finditer(text):
        phrase = next(g for g in m.groups() if g is not None).strip(" ,.;:")
        if len(phrase.split()) >= 2 or any(ord(c) >= 0x2E80 for c in phrase):
            out.append(phrase)
    return out


def check_quoted(text: str, sources: Mapping[str, TranscriptIndex]) -> list[str]:
    """One problem per quoted phrase of ``text`` not said verbatim by a participant
    in ``sources`` (the cited interviews, by id); empty when every phrase is found."""
    problems = []
    for phrase in quoted_phrases(text):
        if not sources:
            problems.append(f"quotes “{phrase}” but cites no interview")
            continue
        results = [
            verify_quote(index, phrase, fuzzy_threshold=_NO_FUZZY) for index in sources.values()
        ]
        if any(r.status is EvidenceStatus.verified for r in results):
            continue
        said = next((r for r in results if r.start is not None), None)
        cited = ", ".join(sources)
        if said is not None and said.reason:
            problems.append(f"quotes “{phrase}”: {said.reason}")
        else:
            problems.append(f"quotes “{phrase}”, which is not verbatim in {cited}")
    return problems
