"""Themes: insights of each kind clustered across interviews, named by the model.

Clustering is deterministic: the statements of every insight with at least one
verified quote are embedded (``[embeddings]``), and each kind is clustered on
its own with average linkage (cosine distance, :data:`DISTANCE_THRESHOLD`) in
:mod:`assistant.generate.clustering`: exact on small groups, on a sparse
nearest-neighbour graph on large ones, so memory grows linearly. Insights without a verified quote are
never clustered; they are listed as *unsupported*. A cluster is a *theme* when
its members come from at least :data:`MIN_INTERVIEWS` interviews; smaller
clusters are reported as single-interview findings.

A theme's key is ``theme:<kind>:<anchor insight id>``, the anchor being the
member from the earliest interview (date, then id). Adding later interviews
keeps the anchor, so a theme keeps its review item (and the user's edits)
when it gains members.

The model only names and describes themes (``name_themes``, one call per
:data:`BATCH_SIZE` themes); counts, shares, quotes and the role split are code.
The user's merges, moves and splits (:mod:`assistant.generate.theme_edits`)
are applied after naming, on every run.
Each answer's theme ids are checked against the ids sent (a different case or
a unique prefix is repaired; anything else is re-asked once); a theme still
unnamed is stored as "Unnamed … theme" with a warning and the step is not
recorded as done, so the next run names it. When nothing changed since the
last complete naming (:func:`themes_digest`), no call is made.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant import db
from assistant.embeddings import Embedder, for_analysis, make_embedder
from assistant.extract import StoredInsight, list_insights
from assistant.generate.clustering import average_linkage_labels
from assistant.generate.common import (
    EvidenceIndex,
    InterviewInfo,
    date_order,
    interview_infos,
    keep_warnings,
    record_step_hash,
    run_jobs,
    step_hash,
    store_item,
    stored_step_hash,
)
from assistant.hashing import stable_hash
from assistant.llm.echo import choices_text, match_choice
from assistant.llm.runlog import RunWarning, step_warnings
from assistant.llm.task_results import Checked
from assistant.locking import writes
from assistant.models import EvidenceStatus
from assistant.progress import ProgressFn
from assistant.review import ClaimDraft, list_items
from assistant.schemas import ThemeName, ThemeNames
from assistant.settings import Settings
from assistant.study import study_block
from assistant.workspace import Workspace

TASK = "name_themes"
DISTANCE_THRESHOLD = 0.6
MIN_INTERVIEWS = 2
BATCH_SIZE = 12
MAX_QUOTES = 3
MAX_LISTED = 20
"""Member statements a naming prompt lists per theme (the most central; the rest are counted)."""
KEYS_META = "generate.themes.keys"
_VECTORS: dict[tuple[str, str], list[float]] = {}
"""Embeddings by (embedder name, text), kept for the process (plans run more than once)."""


def embed_cached(embedder: Embedder, texts: Sequence[str]) -> list[list[float]]:
    """Embed ``texts`` in one call, reusing vectors this process already computed."""
    missing = list(dict.fromkeys(t for t in texts if (embedder.name, t) not in _VECTORS))
    if missing:
        for text, vector in zip(missing, embedder.embed(missing), strict=True):
            _VECTORS[(embedder.name, text)] = vector
    return [_VECTORS[(embedder.name, t)] for t in texts]


@dataclass
class Cluster:
    """Insights of one kind that the clustering put together."""

    kind: str
    members: list[StoredInsight]
    anchor: str
    central: list[str]
    """Member ids, most central first."""
    fixed_key: str | None = None
    """The key of a theme the user made (a split), instead of the anchor's."""

    @property
    def key(self) -> str:
        return self.fixed_key or f"theme:{self.kind}:{self.anchor}"

    @property
    def interviews(self) -> list[str]:
        return sorted({m.interview_id for m in self.members})


@dataclass
class Theme:
    """A named cluster with its counts and evidence."""

    key: str
    kind: str
    label: str
    description: str
    insight_ids: list[str]
    interviews: list[str]
    accounts: list[str]
    share: float
    quotes: list[dict[str, Any]]
    by_role: dict[str, int]
    """DMU role -> distinct interviews with a member of that role."""
    item_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "item_id": self.item_id,
            "label": self.label,
            "description": self.description,
            "kind": self.kind,
            "insights": self.insight_ids,
            "interviews": self.interviews,
            "accounts": self.accounts,
            "interview_count": len(self.interviews),
            "account_count": len(self.accounts),
            "share_of_interviews": round(self.share, 4),
            "quotes": self.quotes,
            "by_role": self.by_role,
        }


@dataclass
class ThemePlan:
    """Clusters and the prompt inputs of the naming calls."""

    clusters: list[Cluster]
    themes: list[Cluster]
    unsupported: list[StoredInsight]
    batches: list[dict[str, str]]
    infos: dict[str, InterviewInfo]


@dataclass
class ThemeResult:
    """What `persona themes` reports."""

    themes: list[Theme]
    saturation: list[dict[str, Any]]
    unsupported: list[dict[str, str]]
    single_interview: int
    changes: dict[str, str] = field(default_factory=dict)
    """Theme key -> created | updated | pending | unchanged."""
    notes: list[str] = field(default_factory=list)
    """The user's theme edits that could not be applied this run (and why)."""
    warnings: list[RunWarning] = field(default_factory=list)
    named: bool = True
    """False when nothing changed since the last complete naming: no call was made."""

    @property
    def complete(self) -> bool:
        """Every theme has the model's name (no warning marks the output incomplete)."""
        return not any(w.incomplete for w in self.warnings)

    def to_json(self) -> dict[str, Any]:
        return {
            "themes": [t.to_json() for t in self.themes],
            "saturation": self.saturation,
            "unsupported": self.unsupported,
            "single_interview_clusters": self.single_interview,
            "changes": self.changes,
            "notes": self.notes,
            "named": self.named,
            "warnings": [w.to_json() for w in self.warnings],
        }


def cluster_insights(
    insights: Sequence[StoredInsight],
    embedder: Embedder,
    infos: dict[str, InterviewInfo],
    threshold: float = DISTANCE_THRESHOLD,
) -> list[Cluster]:
    """Cluster verified insights per kind; deterministic for the same input and embedder."""
    import numpy as np

    order = {iid: n for n, iid in enumerate(date_order(infos))}
    by_kind: dict[str, list[StoredInsight]] = defaultdict(list)
    for ins in sorted(insights, key=lambda i: i.id):
        if ins.verified:
            by_kind[ins.kind].append(ins)
    embed_cached(embedder, [i.statement for items in by_kind.values() for i in items])
    clusters: list[Cluster] = []
    for kind in sorted(by_kind):
        items = by_kind[kind]
        vectors = np.asarray(embed_cached(embedder, [i.statement for i in items]), dtype=float)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors = vectors / np.where(norms == 0, 1.0, norms)
        labels = average_linkage_labels(vectors, threshold)
        groups: dict[int, list[int]] = defaultdict(list)
        for idx, label in enumerate(labels):
            groups[int(label)].append(idx)
        for idxs in groups.values():
            members = [items[i] for i in idxs]
            centre = vectors[idxs].mean(axis=0)
            sims = np.round(vectors[idxs] @ centre, 3)  # rounded: float noise must not reorder
            central = [
                m.id
                for _, m in sorted(zip(-sims, members, strict=True), key=lambda p: (p[0], p[1].id))
            ]
            anchor = min(members, key=lambda m: (order.get(m.interview_id, 1 << 30), m.id)).id
            clusters.append(Cluster(kind, members, anchor, central))
    clusters.sort(key=lambda c: (c.kind, -len(c.interviews), c.anchor))
    return clusters


def themes_input_hash(ws: Workspace, settings: Settings, embedder: Embedder | None = None) -> str:
    """A hash of everything the themes step depends on, computed without embedding."""
    infos = interview_infos(ws)
    rows = [
        (
            i.id,
            i.kind,
            i.statement,
            i.dmu_role,
            [e["quote"] for e in i.evidence if e["status"] == EvidenceStatus.verified],
        )
        for i in list_insights(ws)
    ]
    name = (
        for_analysis(embedder).name
        if embedder
        else f"{settings.embeddings.provider}:{settings.embeddings.model_name}"
    )
    inputs: dict[str, Any] = {
        "insights": rows,
        "interviews": {k: [str(v.date), v.account] for k, v in infos.items()},
        "embedder": name,
        "clustering": [DISTANCE_THRESHOLD, MIN_INTERVIEWS, BATCH_SIZE, MAX_QUOTES, MAX_LISTED],
    }
    edits = [list(r) for r in ws.conn.execute("SELECT * FROM theme_edits ORDER BY id")]
    if edits:  # the user's merges and moves: a new one runs the step again
        inputs["edits"] = edits
    return stable_hash(inputs)


def themes_digest(ws: Workspace, settings: Settings, embedder: Embedder | None = None) -> str:
    """The step hash of the themes (clustering inputs, prompt version, model)."""
    return step_hash(TASK, themes_input_hash(ws, settings, embedder), settings)


def naming_check(keys: Sequence[str]) -> Callable[[ThemeNames], Checked[ThemeNames]]:
    """A job check: every theme id named is one of ``keys`` (repaired when unambiguous)."""

    def check(value: ThemeNames) -> Checked[ThemeNames]:
        kept: list[ThemeName] = []
        repairs: list[str] = []
        unknown: list[str] = []
        for n in value.themes:
            found = match_choice(n.theme_id, keys)
            if found is None:
                unknown.append(n.theme_id)
                continue
            if any(k.theme_id == found.value for k in kept):
                repairs.append(f'theme "{found.value}" was named twice; the first name is kept')
                continue
            if found.repaired:
                repairs.append(f'theme id "{n.theme_id}" read as "{found.value}"')
            kept.append(n.model_copy(update={"theme_id": found.value}))
        problems = []
        if unknown:
            problems.append(f"theme ids not among those given: {choices_text(unknown)}")
        missing = [k for k in keys if not any(n.theme_id == k for n in kept)]
        if missing:
            problems.append(f"no name for {choices_text(missing)}")
        hint = f"give one entry per theme, its id copied exactly from: {choices_text(keys)}"
        return Checked(ThemeNames(themes=kept), problems, repairs, hint)

    return check


def _stored_names(ws: Workspace, plan: ThemePlan, digest: str) -> dict[str, tuple[str, str]] | None:
    """The names of the last complete naming when nothing changed since, else None."""
    if stored_step_hash(ws, "themes") != digest:
        return None
    items = {i.key: i for i in list_items(ws, kind="theme")}
    names: dict[str, tuple[str, str]] = {}
    for key in (c.key for c in plan.themes):
        item = items.get(key)
        described = item.fields.get("description") if item is not None else None
        if item is None or not described:
            return None
        names[key] = (item.title, described[0].text)
    return names


def _cluster_block(c: Cluster, index: EvidenceIndex) -> str:
    lines = [f'<theme id="{c.key}" kind="{c.kind}" interviews="{len(c.interviews)}">']
    shown = c.members
    if len(shown) > MAX_LISTED:  # the most central ones: the naming prompt stays bounded
        keep = set(c.central[:MAX_LISTED])
        shown = [m for m in c.members if m.id in keep]
    for m in sorted(shown, key=lambda m: m.id):
        lines.append(f"- {m.statement}")
    if len(c.members) > len(shown):
        lines.append(f"- (+{len(c.members) - len(shown)} more members like these)")
    for q in representative_quotes(c, index, limit=2):
        lines.append(f'  quote: "{q["quote"]}"')
    lines.append("</theme>")
    return "\n".join(lines)


def representative_quotes(
    c: Cluster, index: EvidenceIndex, limit: int = MAX_QUOTES
) -> list[dict[str, Any]]:
    """Verified quotes of the most central members, one per interview."""
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for ref in c.central:
        ins = index.insights[ref]
        if ins.interview_id in seen:
            continue
        link = next((e for e in index.links(ref) if e.status == EvidenceStatus.verified), None)
        if link is None:
            continue
        seen.add(ins.interview_id)
        out.append(link.model_dump(exclude_none=True))
        if len(out) == limit:
            break
    return out


def plan_themes(ws: Workspace, settings: Settings, embedder: Embedder | None = None) -> ThemePlan:
    """Cluster the stored insights and build the naming prompts (no LLM call)."""
    infos = interview_infos(ws)
    insights = list_insights(ws)
    exact = for_analysis(embedder or make_embedder(settings.embeddings))
    clusters = cluster_insights(insights, exact, infos)
    themes = [c for c in clusters if len(c.interviews) >= MIN_INTERVIEWS]
    index = EvidenceIndex.load(ws)
    batches = []
    for start in range(0, len(themes), BATCH_SIZE):
        chunk = themes[start : start + BATCH_SIZE]
        batches.append(
            {
                "count": str(len(chunk)),
                "clusters": "\n\n".join(_cluster_block(c, index) for c in chunk),
                "study": study_block(settings.study),
            }
        )
    unsupported = [i for i in insights if not i.verified]
    return ThemePlan(clusters, themes, unsupported, batches, infos)


def _theme(
    c: Cluster, label: str, description: str, plan: ThemePlan, index: EvidenceIndex
) -> Theme:
    interviews = c.interviews
    accounts = sorted({a for i in interviews if (a := plan.infos[i].account)})
    roles: dict[str, set[str]] = defaultdict(set)
    for m in c.members:
        roles[m.dmu_role or "unknown"].add(m.interview_id)
    total = len(plan.infos) or 1
    return Theme(
        key=c.key,
        kind=c.kind,
        label=label,
        description=description,
        insight_ids=sorted(m.id for m in c.members),
        interviews=interviews,
        accounts=accounts,
        share=len(interviews) / total,
        quotes=representative_quotes(c, index),
        by_role={r: len(v) for r, v in sorted(roles.items())},
    )


def saturation(themes: Sequence[Theme], infos: dict[str, InterviewInfo]) -> list[dict[str, Any]]:
    """Interviews in date order with the themes each added first, and the running total."""
    order = date_order(infos)
    first: dict[str, list[str]] = defaultdict(list)
    for t in themes:
        earliest = min(t.interviews, key=order.index)
        first[earliest].append(t.key)
    out, total = [], 0
    for iid in order:
        total += len(first[iid])
        date = infos[iid].date
        out.append(
            {
                "interview_id": iid,
                "date": date.isoformat() if date else None,
                "new_themes": len(first[iid]),
                "total_themes": total,
            }
        )
    return out


def _fields(t: Theme, index: EvidenceIndex) -> dict[str, list[ClaimDraft]]:
    return theme_fields(t.description, t.insight_ids, t.quotes, index)


def theme_fields(
    description: str,
    insight_ids: Sequence[str],
    quotes: Sequence[dict[str, Any]],
    index: EvidenceIndex,
) -> dict[str, list[ClaimDraft]]:
    """A theme's review fields: its description, representative quotes and member insights."""
    every = [link for ref in insight_ids for link in index.links(ref)]
    quoted = [
        ClaimDraft(
            text=f'"{q["quote"]}" ({q.get("speaker", "")})',
            evidence=[
                link for link in index.links(q["insight_id"]) if link.start == q.get("start")
            ],
        )
        for q in quotes
    ]
    members = [
        ClaimDraft(text=index.insights[ref].statement, evidence=index.links(ref))
        for ref in insight_ids
        if ref in index.insights
    ]
    return {
        "description": [ClaimDraft(text=description, evidence=every)],
        "quotes": quoted,
        "insights": members,
    }


@writes("naming themes")
def generate_themes(
    ws: Workspace,
    settings: Settings,
    *,
    plan: ThemePlan | None = None,
    embedder: Embedder | None = None,
    budget_usd: float | None = None,
    reuse: bool = True,
    progress: ProgressFn | None = None,
    force: bool = False,
) -> ThemeResult:
    """Cluster, name (LLM), store each theme as a review item ``kind="theme"``.

    No call is made when nothing changed since the last complete naming
    (``force`` names anyway); the step is recorded as done only when every
    theme got its name.
    """
    digest = themes_digest(ws, settings, embedder)
    plan = plan or plan_themes(ws, settings, embedder)
    index = EvidenceIndex.load(ws)
    stored = None if force else _stored_names(ws, plan, digest)
    batches = [] if stored is not None else plan.batches
    if progress:
        progress(0, len(batches), TASK if batches else f"{TASK}: unchanged, no call")
    names: dict[str, tuple[str, str]] = dict(stored or {})
    warnings: list[RunWarning] = []
    provenance = None
    run_id = None
    if batches:
        keys = [
            [c.key for c in plan.themes[n : n + BATCH_SIZE]]
            for n in range(0, len(plan.themes), BATCH_SIZE)
        ]
        values, provenance, batch = run_jobs(
            ws,
            settings,
            TASK,
            batches,
            ThemeNames,
            budget_usd=budget_usd,
            checks=[naming_check(k) for k in keys],
            reuse=reuse,
        )
        run_id = batch.run_id
        for v, r in zip(values, batch.results, strict=True):
            warnings += step_warnings("themes", None, r.warnings)
            for n in v.themes:
                names[n.theme_id] = (n.label, n.description)
    if progress:
        progress(len(batches), len(batches), TASK)
    from assistant.generate.theme_edits import apply_theme_edits

    asked = {c.key for c in plan.themes}
    edited = apply_theme_edits(ws, plan.clusters, plan.themes, names)
    themes = []
    for c in edited.themes:
        if c.key in asked and c.key not in names:
            warnings.append(
                RunWarning(
                    "themes",
                    f'the model gave no name: stored as "Unnamed {c.kind} theme" until a '
                    "re-run names it",
                    c.key,
                    incomplete=True,
                )
            )
        fallback = (f"Unnamed {c.kind} theme", c.members[0].statement)
        label, description = edited.names.get(c.key, fallback)
        themes.append(_theme(c, label, description, plan, index))
    result = ThemeResult(
        themes=themes,
        saturation=saturation(themes, plan.infos),
        unsupported=[
            {"insight_id": i.id, "kind": i.kind, "statement": i.statement} for i in plan.unsupported
        ],
        single_interview=len(plan.clusters) - len(plan.themes),
        notes=edited.notes,
        warnings=warnings,
        named=stored is None,
    )
    if provenance is not None:
        for t in themes:
            item, action = store_item(ws, "theme", t.key, t.label, _fields(t, index), provenance)
            t.item_id = item.id
            result.changes[t.key] = action
    elif stored is not None:
        items = {i.key: i for i in list_items(ws, kind="theme")}
        for t in themes:
            found = items.get(t.key)
            t.item_id = found.id if found is not None else None
            result.changes[t.key] = "unchanged"
    db.set_meta(ws.conn, KEYS_META, "\n".join(t.key for t in themes))
    keep_warnings(ws, run_id, warnings)
    if result.complete:
        record_step_hash(ws, "themes", digest)
    return result


def current_theme_keys(ws: Workspace) -> list[str]:
    """Keys of the themes of the last run (older theme items may linger in review)."""
    raw = db.get_meta(ws.conn, KEYS_META)
    return raw.split("\n") if raw else []
