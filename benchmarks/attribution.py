"""Speaker attribution and adversarial quotes on the shared real transcripts.

Usage::

    python benchmarks/attribution.py [--limit 300] [--write-results]

The shared Anthropic Interviewer transcripts are one interviewer (``AI``)
and one participant (``User``). Their label words would give roles away, so
each interview is relabelled Otter-style and, to stand in for group
interviews, the interviewer's turns are dealt at random to 1, 2 or 3
``Speaker N`` labels (numbered in a random order, so "Speaker 1" is not
always the first to speak). Roles are then detected from content alone and
compared per speaker with the truth.

Adversarial quotes, built from each real transcript: exact participant
sentences, the same re-punctuated (commas dropped, case changed), the
interviewer's sentences, two participant sentences from different turns
merged, two non-adjacent sentences of one turn merged, a sentence's words shuffled, an invented sentence, and a participant
sentence with a content word inserted. Reported: how many of the false kinds
verify (target 0) and how many true ones are rejected (target <= 5 %).

Nothing is copied into the project: the text is read from ../shared at run time.
Exits cleanly when the shared folder is absent.
"""

from __future__ import annotations

import argparse
import platform
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.evidence import EvidenceStatus, TranscriptIndex, verify_quote  # noqa: E402
from assistant.ingest import assign_roles, parse_file  # noqa: E402
from assistant.ingest.roles import REVIEW_CONFIDENCE  # noqa: E402
from assistant.models import RawTurn, SpeakerRole, Transcript, build_turns  # noqa: E402
from benchmarks.results import write_section  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "anthropic-interviewer" / "transcripts"
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def relabel(t: Transcript, interviewers: int, rng: random.Random) -> tuple[Transcript, dict]:
    """The transcript with Otter labels; interviewer turns dealt to ``interviewers`` labels."""
    numbers = rng.sample(range(1, interviewers + 2), interviewers + 1)
    names = [f"Speaker {n}" for n in numbers]
    truth: dict[str, SpeakerRole] = {names[-1]: SpeakerRole.participant}
    raw: list[RawTurn] = []
    for turn in t.turns:
        if turn.role is SpeakerRole.interviewer:
            label = names[rng.randrange(interviewers)]
            truth[label] = SpeakerRole.interviewer
        elif turn.role is SpeakerRole.participant:
            label = names[-1]
        else:
            continue
        raw.append(RawTurn(speaker=label, text=turn.text))
    text, turns = build_turns(raw)
    plain = Transcript(source=t.source, format="otter", title=t.title, text=text, turns=turns)
    return plain, truth


def attribution(files: list[Path], seed: int) -> dict[str, object]:
    rng = random.Random(seed)
    right = total = 0
    by_k: Counter[str] = Counter()
    by_k_total: Counter[str] = Counter()
    low = 0
    interviews = 0
    for path in files:
        original = parse_file(path)
        if original.role_method != "label":
            continue
        k = rng.choice([1, 2, 3])
        plain, truth = relabel(original, k, rng)
        if len(truth) < k + 1:
            continue
        got = assign_roles(plain)
        interviews += 1
        low += got.role_confidence < REVIEW_CONFIDENCE
        for a in got.speaker_roles:
            ok = a.role is truth[a.label]
            right += ok
            total += 1
            by_k[str(k)] += ok
            by_k_total[str(k)] += 1
    return {
        "interviews": interviews,
        "speakers": total,
        "correct": right,
        "by_interviewers": {k: (by_k[k], by_k_total[k]) for k in sorted(by_k_total)},
        "low_confidence": low,
    }


def _sentences(t: Transcript, role: SpeakerRole) -> list[tuple[int, str]]:
    out = []
    for turn in t.turns:
        if turn.role is role:
            out += [(turn.index, s) for s in _SENTENCE.split(turn.text) if len(s.split()) >= 6]
    return out


INVENTED = [
    "We evaluated three vendors before picking the cheapest one for our finance team.",
    "Honestly the biggest problem is that nobody reads the weekly report we send out.",
    "My manager signed the contract after the pilot saved us twenty hours a month.",
]


def adversarial(files: list[Path], seed: int) -> dict[str, Counter[str]]:
    rng = random.Random(seed)
    out: dict[str, Counter[str]] = {}

    def record(kind: str, status: EvidenceStatus) -> None:
        out.setdefault(kind, Counter())[status.value] += 1
        if kind.startswith("false") and status is EvidenceStatus.verified:
            print(f"false verified ({kind}) in {path.name}", file=sys.stderr)

    for path in files:
        t = parse_file(path)
        if t.role_method != "label":
            continue
        index = TranscriptIndex(t)
        part = _sentences(t, SpeakerRole.participant)
        asked = _sentences(t, SpeakerRole.interviewer)
        if len(part) < 4 or not asked:
            continue
        _, s = rng.choice(part)
        record("true: exact", verify_quote(index, s).status)
        repunct = re.sub(r"[,;:]", "", s).lower().rstrip(".!?")
        record("true: re-punctuated", verify_quote(index, repunct).status)
        record("false: interviewer's words", verify_quote(index, rng.choice(asked)[1]).status)
        (t1, a), (t2, b) = rng.sample(part, 2)
        if t1 != t2:
            record("false: two sentences merged", verify_quote(index, f"{a} {b}").status)
        same = _same_turn_gap(t, rng)
        if same is not None and same not in t.text:  # a speaker may repeat themselves
            record("false: two sentences of one turn merged", verify_quote(index, same).status)
        ws = s.split()
        shuffled = ws[:]
        while shuffled == ws:
            rng.shuffle(shuffled)
        record("false: shuffled", verify_quote(index, " ".join(shuffled)).status)
        record("false: invented", verify_quote(index, rng.choice(INVENTED)).status)
        at = rng.randrange(1, len(ws))
        extra = rng.choice(["not", "never", "Salesforce", "twelve", "always"])
        inserted = " ".join([*ws[:at], extra, *ws[at:]])
        record("false: content word inserted", verify_quote(index, inserted).status)
    return out


def _same_turn_gap(t: Transcript, rng: random.Random) -> str | None:
    """Two sentences of one participant turn with text between them, joined as one quote."""
    for turn in rng.sample(t.turns, len(t.turns)):
        if turn.role is not SpeakerRole.participant:
            continue
        sentences = [s for s in _SENTENCE.split(turn.text) if len(s.split()) >= 5]
        if len(sentences) >= 3:
            return f"{sentences[0]} {sentences[-1]}"
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=300)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--write-results", action="store_true")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"shared transcripts not found at {DATA}: nothing to measure")
        return
    files = sorted(DATA.glob("*.md"))[: args.limit]
    started = time.perf_counter()
    att = attribution(files, args.seed)
    adv = adversarial(files, args.seed)
    took = time.perf_counter() - started
    correct, speakers = att["correct"], att["speakers"]
    assert isinstance(correct, int) and isinstance(speakers, int)
    lines = [
        f"`benchmarks/attribution.py --limit {args.limit}`, {time.strftime('%Y-%m-%d')}, "
        f"{platform.machine()}, load average {_load()}, {took:.0f} s.",
        "",
        "Speaker attribution from content alone (labels replaced by `Speaker N`, the "
        "interviewer's turns dealt to 1-3 labels to stand in for group interviews):",
        "",
        "| interviewers | speakers correct |",
        "|---|---:|",
    ]
    by = att["by_interviewers"]
    assert isinstance(by, dict)
    for k, (ok, n) in by.items():
        lines.append(f"| {k} | {ok}/{n} ({ok / n:.1%}) |")
    lines.append(f"| all | {correct}/{speakers} ({correct / max(1, speakers):.1%}) |")
    lines += [
        "",
        f"{att['low_confidence']} of {att['interviews']} interviews fall below the review "
        "confidence (listed by `persona speakers --review`).",
        "",
        "Adversarial quotes (status counts):",
        "",
        "| kind | verified | other statuses | target |",
        "|---|---:|---|---|",
    ]
    for kind, counts in adv.items():
        n = sum(counts.values())
        v = counts.get("verified", 0)
        rest = ", ".join(f"{k} {c}" for k, c in sorted(counts.items()) if k != "verified")
        target = "0 verified" if kind.startswith("false") else ">= 95 % verified"
        lines.append(f"| {kind} | {v}/{n} | {rest or '-'} | {target} |")
    body = "\n".join(lines)
    print(body)
    if args.write_results:
        write_section("## Speaker attribution and adversarial quotes", body)


def _load() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "unknown"


if __name__ == "__main__":
    main()
