"""Checks of one extraction answer that need the transcript: each finding is a warning.

- speaker labels the model gave that the transcript does not have (a
  different case is repaired; the rest is reported: the verifier records who
  actually said each quote);
- no findings in a long window ("no findings in 6,000 tokens of interview");
- the same quote offered as the evidence of several items;
- an answer written in another language than the transcript (its quotes do
  not verify).

The answer is kept in every case: these say what to look at.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from assistant.extract.checked import CheckedAnalysis, Evidence
from assistant.extract.language import guess_language
from assistant.llm.echo import Echoes, choices_text
from assistant.llm.task_results import Checked
from assistant.llm.tokens import count_tokens
from assistant.schemas import InterviewAnalysis
from assistant.text_identity import normalise

LONG_WINDOW_TOKENS = 1500
"""A window at least this long with no findings at all gets a warning."""
SAME_QUOTE_ITEMS = 5
"""A quote offered as the evidence of this many items or more gets a warning."""


def speaker_check(
    labels: Sequence[str],
) -> Callable[[InterviewAnalysis], Checked[InterviewAnalysis]]:
    """A job check: speaker labels are the transcript's (a different case is repaired).

    Labels the transcript does not have are reported, not re-asked (a whole
    extraction is not worth asking again for a label).
    """

    def check(value: InterviewAnalysis) -> Checked[InterviewAnalysis]:
        echoes = Echoes("speaker", labels)
        fix = echoes.read
        data = value.model_dump(mode="json")
        for ins in data["insights"]:
            ins["speaker"] = fix(ins["speaker"])
            for q in ins["quotes"]:
                q["speaker"] = fix(q["speaker"])
        for fact in data.get("company_facts", []):  # none in b2c/internal answers
            for q in fact["quotes"]:
                q["speaker"] = fix(q["speaker"])
        notes = list(echoes.repairs)
        if echoes.unknown:
            notes.append(
                f"speaker labels not in the transcript: {choices_text(echoes.unknown)}"
                f" (its labels: {choices_text(list(labels))})"
            )
        return Checked(type(value).model_validate(data), [], notes)

    return check


def window_warnings(window_text: str, answer: InterviewAnalysis, where: str) -> list[str]:
    """Warnings about one window's answer that need no quote check (``where``: "" or
    " (part 2 of 3)")."""
    findings = (
        len(answer.insights)
        + len(answer.company_facts)
        + sum(
            len(getattr(answer.buying_process, f))
            for f in ("alternatives_considered", "evaluation_criteria", "stakeholders")
        )
    )
    tokens = count_tokens(window_text)
    if findings == 0 and tokens >= LONG_WINDOW_TOKENS:
        return [f"no findings in {tokens:,} tokens of interview{where}"]
    return []


def analysis_warnings(transcript_text: str, merged: CheckedAnalysis) -> list[str]:
    """Warnings about a checked analysis: one quote for many items, another language."""
    out: list[str] = []
    uses: Counter[str] = Counter()
    shown: dict[str, str] = {}
    items: list[list[Evidence]] = [i.evidence for i in merged.insights]
    items += [f.evidence for f in merged.facts]
    for evidence in items:
        for key in {normalise(e.quote) for e in evidence}:
            uses[key] += 1
        for e in evidence:
            shown.setdefault(normalise(e.quote), e.quote)
    for key, n in uses.most_common():
        if n < SAME_QUOTE_ITEMS:
            break
        quote = shown[key]
        out.append(
            f'the same quote is the evidence of {n} of {len(items)} items: "{quote[:80]}'
            f'{"…" if len(quote) > 80 else ""}"'
        )
    answer_text = " ".join([merged.summary, *(i.statement for i in merged.insights)])
    said = guess_language(transcript_text[:20000])
    written = guess_language(answer_text)
    if said and written and said != written:
        statuses = [e.status for evidence in items for e in evidence]
        bad = sum(s == "unverified" for s in statuses)
        out.append(
            f"the answer is written in {written} but the transcript is in {said}; "
            f"{bad} of {len(statuses)} quotes did not verify"
        )
    return out
