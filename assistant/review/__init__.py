"""The review store: drafts a person edits and approves, and a re-run never overwrites.

Every theme, persona, ICP and messaging *item* has a status (draft | approved
| rejected) and fields, each a list of *claims*. A claim is ``supported`` when
it links to at least one verified piece of evidence, else an ``assumption``.
Every change is appended to ``review_revisions`` (append-only) with its author
(``user`` or ``model:<model>@<prompt version>``), time and before/after JSON.

Modules: :mod:`.models` (items, claims, evidence links), :mod:`.store` (reading
and the row writes), :mod:`.matching` (claim identity across regenerations),
:mod:`.regeneration` (the never-overwrite rule and pending versions),
:mod:`.edits` (the user's changes) and :mod:`.history` (the revision log).
"""

from assistant.provenance import Provenance
from assistant.review.edits import (
    AssumptionsRemainError,
    Linked,
    add_claim,
    check_field,
    edit_claim,
    find_quotes,
    insight_links,
    link_evidence,
    remove_claim,
    rename_item,
    set_status,
)
from assistant.review.history import history
from assistant.review.matching import MATCH_OVERLAP, match_claims
from assistant.review.models import (
    KINDS,
    USER,
    Claim,
    ClaimChange,
    ClaimDraft,
    EvidenceLink,
    ItemKind,
    ItemStatus,
    Origin,
    PendingChanges,
    ReviewItem,
    Revision,
    Support,
    normalise,
)
from assistant.review.regeneration import accept_pending, keep_current, upsert_generated
from assistant.review.store import (
    ConflictError,
    compute_support,
    get_item,
    list_items,
    pending_changes,
)

__all__ = [
    "KINDS",
    "MATCH_OVERLAP",
    "USER",
    "AssumptionsRemainError",
    "Claim",
    "ClaimChange",
    "ClaimDraft",
    "ConflictError",
    "EvidenceLink",
    "ItemKind",
    "ItemStatus",
    "Linked",
    "Origin",
    "PendingChanges",
    "Provenance",
    "ReviewItem",
    "Revision",
    "Support",
    "accept_pending",
    "add_claim",
    "check_field",
    "compute_support",
    "edit_claim",
    "find_quotes",
    "get_item",
    "history",
    "insight_links",
    "keep_current",
    "link_evidence",
    "list_items",
    "match_claims",
    "normalise",
    "pending_changes",
    "remove_claim",
    "rename_item",
    "set_status",
    "upsert_generated",
]
