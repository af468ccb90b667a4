"""The interview library: ingest files, list and show interviews, fix roles, reindex.

Identity: an interview's id is a readable slug of its file stem (made unique)
bound to its source path; on re-ingest the content decides (see
:mod:`~assistant.library.ingest`).

Only participant and unknown-role chunks are embedded; interviewer chunks are
keyword-searchable and give participant chunks their ``context``. Embedding
is batched across files. Every multi-row write runs in one transaction.

Modules: :mod:`.records` (results and summaries), :mod:`.paths` (which files,
ids, fingerprints), :mod:`.handle` (the :class:`Library` handle and the
embedding-model check), :mod:`.rows` (turn and chunk rows), :mod:`.ingest`,
:mod:`.queries` (reading), :mod:`.speakers` (fixing roles), :mod:`.reindex`.
"""

from assistant.library.handle import Library, check_embedding_model
from assistant.library.ingest import ingest_paths, write_group
from assistant.library.paths import (
    SIDECAR_SUFFIXES,
    expand_paths,
    file_fingerprint,
    readable_path,
    slugify,
)
from assistant.library.queries import (
    get_interview,
    interview_ids,
    list_interviews,
    load_transcript,
    resolve_interview_id,
)
from assistant.library.records import (
    IngestResult,
    InterviewDetail,
    InterviewSummary,
    SpeakerSummary,
    Status,
)
from assistant.library.reindex import reindex
from assistant.library.speakers import set_interviewer
from assistant.progress import ProgressFn

__all__ = [
    "SIDECAR_SUFFIXES",
    "IngestResult",
    "InterviewDetail",
    "InterviewSummary",
    "Library",
    "ProgressFn",
    "SpeakerSummary",
    "Status",
    "check_embedding_model",
    "expand_paths",
    "file_fingerprint",
    "get_interview",
    "ingest_paths",
    "interview_ids",
    "list_interviews",
    "load_transcript",
    "readable_path",
    "reindex",
    "resolve_interview_id",
    "set_interviewer",
    "slugify",
    "write_group",
]
