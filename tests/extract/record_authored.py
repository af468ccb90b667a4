"""Re-create the authored extraction cassettes for the sample corpus.

We have no model API here, so these cassettes are *authored*: the sample
interviews are ingested into a temporary workspace and the real extraction
and batch summary run in record mode against the fake server, which answers
with the hand-written objects in ``fixtures/authored/`` and reports the model
``authored-fixture``. Writes ``fixtures/cassettes/extract_interview.json`` and
``fixtures/cassettes/summarize_interviews.json``.

Re-run whenever the inputs of those tasks change (prompt variables, window
rendering, the summary's map step, the transcripts or their parsers)::

    .venv/bin/python -m tests.extract.record_authored
"""

from __future__ import annotations

from assistant.extract import extract_interviews, select_interviews, summarize
from tests.extract.helpers import authored_responder
from tests.support.corpus import CASSETTES, authored_recording

TASKS = ("extract_interview", "summarize_interviews")


def main() -> None:
    with authored_recording(authored_responder(), TASKS) as run:
        outcomes = extract_interviews(run.ws, run.settings)
        failed = [o for o in outcomes if o.status != "extracted"]
        assert not failed, failed
        result = summarize(run.ws, run.settings, select_interviews(run.ws))
    for o in outcomes:
        print(
            f"{o.interview_id}: {o.insights} insights, {o.verified} verified, "
            f"{o.unverified} unverified, {o.note} note"
        )
    print(f"summary: {len(result.interview_ids)} interviews; cassettes in {CASSETTES}")


if __name__ == "__main__":
    main()
