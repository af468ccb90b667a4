"""Evidence-backed extraction: insights, company facts and the buying process per interview.

Modules, by concern: :mod:`~assistant.extract.windows` (split long
transcripts), :mod:`~assistant.extract.checked` (verify every quote),
:mod:`~assistant.extract.merge` (merge windows), :mod:`~assistant.extract.store`
(tables of migration 3), :mod:`~assistant.extract.pipeline` (plan and run),
:mod:`~assistant.extract.summarize` (batch summary).
"""

from assistant.extract.pipeline import ExtractionOutcome, extract_interviews, plan_extraction
from assistant.extract.store import StoredInsight
from assistant.extract.store import list_insights as _list_insights
from assistant.extract.summarize import SummaryResult, select_interviews, summarize
from assistant.workspace import Workspace


def list_insights(
    ws: Workspace, interview_id: str | None = None, kind: str | None = None
) -> list[StoredInsight]:
    """Stored insights of the workspace (optionally one interview and/or kind)."""
    return _list_insights(ws.conn, interview_id, kind)


__all__ = [
    "ExtractionOutcome",
    "StoredInsight",
    "SummaryResult",
    "extract_interviews",
    "list_insights",
    "plan_extraction",
    "select_interviews",
    "summarize",
]
