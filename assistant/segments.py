"""Market segments: groups of accounts with shared firmographics and needs.

Two sources, never mixed silently:

- **the user's**: ``segment:`` in an interview's metadata, or a tag
  ``segment:NAME``. When any account has one, those are the segments; accounts
  without one are listed as ``(no segment given)`` with a warning.
- **proposed** (deterministic): each account is described by a set of
  features — the themes its interviews' verified insights belong to
  (``theme:<key>``) and its firmographics (``industry:``, ``employees:`` band,
  ``revenue:`` band, ``region:``, ``tool:``). Accounts are clustered by
  average-linkage agglomeration on the Jaccard distance of those sets, always
  merging the closest pair (ties broken by name), until no pair is closer than
  :data:`MAX_DISTANCE`. The same workspace always gives the same segments.

Per segment: its accounts and interviews, top pains (themes of kind pain,
with how many of its accounts and interviews name them and their intensity),
value metrics (ARR, tenure, expansion, referrals) and, when an ICP draft has
fit criteria, how many of its accounts fit.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from assistant.accounts import load_identity
from assistant.icp_stats import AccountRecord, icp_fit, load_accounts
from assistant.workspace import Workspace

MAX_DISTANCE = 0.75
"""Accounts (or groups) further apart than this (Jaccard distance) are not merged."""
TOP_PAINS = 5
NO_SEGMENT = "(no segment given)"


@dataclass
class ThemeRef:
    """A current theme and the interviews whose verified insights belong to it."""

    key: str
    label: str
    kind: str
    interviews: set[str]
    intensity: dict[str, str | None] = field(default_factory=dict)
    """Member insight id -> intensity, with its interview in :attr:`members`."""
    members: dict[str, str] = field(default_factory=dict)
    """Member insight id -> interview id."""


@dataclass
class PainStat:
    """One pain theme within a segment."""

    theme: str
    label: str
    accounts: int
    interviews: int
    share: float
    intensity: dict[str, int]

    def to_json(self) -> dict[str, Any]:
        return dict(vars(self))


@dataclass
class Segment:
    """A group of accounts."""

    name: str
    source: Literal["user", "proposed"]
    accounts: list[AccountRecord]
    features: list[str] = field(default_factory=list)
    """Features at least half of its accounts share (proposed segments)."""
    pains: list[PainStat] = field(default_factory=list)
    themes: dict[str, float] = field(default_factory=dict)
    """Theme key -> share of the segment's accounts naming it (the heatmap row)."""
    fit: tuple[int, int] | None = None
    """(accounts fitting the ICP draft, accounts) when the ICP has fit criteria."""

    @property
    def interviews(self) -> list[str]:
        return sorted(i for a in self.accounts for i in a.interviews)

    def value_metrics(self) -> dict[str, Any]:
        """ARR total and median, median tenure, expanded and referred counts."""
        metrics = [a.metrics for a in self.accounts if a.metrics is not None]
        arr = [m.arr for m in metrics if m.arr is not None]
        tenure = [m.tenure_months for m in metrics if m.tenure_months is not None]
        return {
            "accounts_with_metrics": len(metrics),
            "arr_total": sum(arr) if arr else None,
            "arr_median": statistics.median(arr) if arr else None,
            "tenure_months_median": statistics.median(tenure) if tenure else None,
            "expanded": sum(bool(m.expanded) for m in metrics),
            "referred": sum(bool(m.referred) for m in metrics),
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "source": self.source,
            "accounts": [a.company for a in self.accounts],
            "interviews": self.interviews,
            "shared_features": self.features,
            "top_pains": [p.to_json() for p in self.pains],
            "themes": self.themes,
            "value_metrics": self.value_metrics(),
            "icp_fit": None if self.fit is None else {"fit": self.fit[0], "accounts": self.fit[1]},
        }


@dataclass
class Segmentation:
    """The segments of a workspace and how they were made."""

    source: Literal["user", "proposed", "none"]
    segments: list[Segment]
    themes: list[ThemeRef]
    warnings: list[str] = field(default_factory=list)
    icp_criteria: dict[str, list[str]] | None = None

    def segment_of(self, account: str) -> str | None:
        """The segment name of an account (by name), or None."""
        return next(
            (s.name for s in self.segments for a in s.accounts if a.company == account), None
        )

    def of_interviews(self) -> dict[str, str]:
        """Interview id -> segment name."""
        return {i: s.name for s in self.segments for i in s.interviews}

    def icp_home(self) -> str | None:
        """The segment the ICP sits in: most fitting accounts, then highest share, then name."""
        fitted = [s for s in self.segments if s.fit is not None and s.fit[0] > 0]
        if not fitted:
            return None
        best = min(
            fitted,
            key=lambda s: (
                -(s.fit[0] if s.fit else 0),
                -((s.fit[0] / s.fit[1]) if s.fit and s.fit[1] else 0),
                s.name,
            ),
        )
        return best.name

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "segments": [s.to_json() for s in self.segments],
            "themes": [{"key": t.key, "label": t.label, "kind": t.kind} for t in self.themes],
            "icp_criteria": self.icp_criteria,
            "icp_segment": self.icp_home(),
            "warnings": self.warnings,
        }


# ---------------------------------------------------------------- inputs


def load_themes(ws: Workspace) -> list[ThemeRef]:
    """Current, not rejected themes with their members' interviews (verified insights only)."""
    from assistant.extract import list_insights
    from assistant.generate.personas import theme_items, theme_members

    insights = {i.id: i for i in list_insights(ws) if i.verified}
    out = []
    for item in theme_items(ws):
        members = [m for m in theme_members(item) if m in insights]
        if not members:
            continue
        out.append(
            ThemeRef(
                key=item.key,
                label=item.title,
                kind=item.key.split(":")[1],
                interviews={insights[m].interview_id for m in members},
                intensity={m: insights[m].intensity for m in members},
                members={m: insights[m].interview_id for m in members},
            )
        )
    return sorted(out, key=lambda t: t.key)


def account_features(account: AccountRecord, themes: Sequence[ThemeRef]) -> set[str]:
    """The features an account is clustered on: its themes and its firmographics."""
    mine = set(account.interviews)
    out = {f"theme:{t.key}" for t in themes if t.interviews & mine}
    if account.industry:
        out.add(f"industry:{account.industry.casefold()}")
    for attribute, prefix in (("employee_band", "employees"), ("revenue_band", "revenue")):
        out.update(f"{prefix}:{v}" for v in account.values(attribute))
    if account.region:
        out.add(f"region:{account.region.casefold()}")
    out.update(f"tool:{t.casefold()}" for t in account.tech_stack)
    return out


def jaccard_matrix(features: Sequence[set[str]]) -> Any:
    """Pairwise Jaccard distances of feature sets (1.0 between two empty sets), as numpy."""
    import numpy as np

    index: dict[str, int] = {}
    rows = [[index.setdefault(f, len(index)) for f in fs] for fs in features]
    x = np.zeros((len(rows), max(1, len(index))), dtype=np.float32)
    for r, cols in enumerate(rows):
        x[r, cols] = 1.0
    inter = (x @ x.T).astype(np.float64)  # exact: counts below 2^24
    size = x.sum(axis=1, dtype=np.float64)
    union = size[:, None] + size[None, :] - inter
    with np.errstate(invalid="ignore", divide="ignore"):
        dist = np.where(union > 0, 1.0 - inter / union, 1.0)
    return dist


def cluster_accounts(
    features: dict[str, set[str]], max_distance: float = MAX_DISTANCE
) -> list[list[str]]:
    """Average-linkage clusters of account names by Jaccard distance; deterministic.

    Always merges the closest pair (distances rounded to 9 decimals; ties: the
    first pair in name order), until no pair is closer than ``max_distance``.
    Average distances are updated in place (Lance-Williams) and each slot keeps
    its nearest later slot, so n accounts cost ~n^2, not n^3 (benchmarks/RESULTS.md).
    """
    import numpy as np

    names = sorted(features)
    n = len(names)
    members: list[list[str] | None] = [[name] for name in names]
    if n < 2:
        return [m for m in members if m]
    dist = jaccard_matrix([features[name] for name in names])
    np.fill_diagonal(dist, np.inf)
    size = np.ones(n)
    near = np.full(n, np.inf)  # slot a: the smallest rounded distance to a later slot
    near_at = np.zeros(n, dtype=np.int64)

    def renew(a: int) -> None:
        if a + 1 >= n:
            near[a] = np.inf
            return
        row = np.round(dist[a, a + 1 :], 9)
        k = int(np.argmin(row))
        near[a], near_at[a] = row[k], a + 1 + k

    for a in range(n):
        renew(a)
    while True:
        i = int(np.argmin(near))  # the first slot holding the smallest distance
        d = float(near[i])
        if not np.isfinite(d) or d > max_distance:
            break
        j = int(near_at[i])
        merged = (size[i] * dist[i] + size[j] * dist[j]) / (size[i] + size[j])
        dist[i, :] = merged
        dist[:, i] = merged
        dist[j, :] = np.inf
        dist[:, j] = np.inf
        dist[i, i] = np.inf
        size[i] += size[j]
        first, second = members[i], members[j]
        assert first is not None and second is not None
        members[i], members[j] = sorted(first + second), None
        near[j] = np.inf
        renew(i)
        for slot in np.flatnonzero(np.isfinite(near[:j])):  # slots before j saw i or j
            a = int(slot)
            if a == i:
                continue
            if near_at[a] in (i, j):
                renew(a)
            elif a < i:
                v = round(float(dist[a, i]), 9)
                if v < near[a] or (v == near[a] and i < near_at[a]):
                    near[a], near_at[a] = v, i
    clusters = [m for m in members if m]
    return sorted(clusters, key=lambda c: (-len(c), c[0]))


# ---------------------------------------------------------------- building


def _pains(accounts: Sequence[AccountRecord], themes: Sequence[ThemeRef]) -> list[PainStat]:
    out = []
    for t in themes:
        if t.kind != "pain":
            continue
        having = [a for a in accounts if t.interviews & set(a.interviews)]
        if not having:
            continue
        mine = {i for a in accounts for i in a.interviews}
        intensity = Counter(
            t.intensity[m] or "not said" for m, iid in t.members.items() if iid in mine
        )
        out.append(
            PainStat(
                theme=t.key,
                label=t.label,
                accounts=len(having),
                interviews=len(t.interviews & mine),
                share=round(len(having) / len(accounts), 4),
                intensity=dict(sorted(intensity.items())),
            )
        )
    return sorted(out, key=lambda p: (-p.accounts, -p.interviews, p.label))[:TOP_PAINS]


def _shared(features: dict[str, set[str]], names: Sequence[str]) -> list[str]:
    counts = Counter(f for n in names for f in features[n] if not f.startswith("theme:"))
    return sorted(f for f, c in counts.items() if c * 2 >= len(names))


_NAME_ORDER = ("industry:", "region:", "tool:", "employees:", "revenue:")


def _proposed_name(n: int, features: dict[str, set[str]], members: Sequence[str]) -> str:
    """``Segment 1: dental clinics``: the firmographic most distinctive of the segment (its
    share among the members minus its share among the other accounts; industry, then region,
    then tools on a tie). Themes are left out so the name, and the persona keys built on it,
    do not change when a theme is renamed."""
    others = [a for a in features if a not in members]

    def share(f: str, names: Sequence[str]) -> float:
        return sum(f in features[x] for x in names) / len(names) if names else 0.0

    candidates = {f for m in members for f in features[m] if f.startswith(_NAME_ORDER)}
    scored = [
        (share(f, members) - share(f, others), f)
        for f in candidates
        if share(f, members) * 2 >= 1  # held by at least half of the segment
    ]
    if not scored:
        return f"Segment {n}"
    best = max(
        scored,
        key=lambda sf: (
            round(sf[0], 9),
            -next(i for i, p in enumerate(_NAME_ORDER) if sf[1].startswith(p)),
            [-ord(c) for c in sf[1]],
        ),
    )
    return f"Segment {n}: {best[1].split(':', 1)[1]}"


def build_segmentation(
    accounts: list[AccountRecord],
    themes: list[ThemeRef],
    icp_criteria: dict[str, list[str]] | None = None,
) -> Segmentation:
    """User segments when any are given, else the deterministic proposal."""
    warnings: list[str] = [w for a in accounts for w in a.warnings if "segment" in w]
    features = {a.company: account_features(a, themes) for a in accounts}
    by_name = {a.company: a for a in accounts}
    segments: list[Segment] = []
    if not accounts:
        return Segmentation("none", [], themes, warnings, icp_criteria)
    if any(a.segment for a in accounts):
        source: Literal["user", "proposed"] = "user"
        groups: dict[str, list[AccountRecord]] = defaultdict(list)
        for a in accounts:
            groups[a.segment or NO_SEGMENT].append(a)
        missing = groups.get(NO_SEGMENT, [])
        if missing:
            warnings.append(
                "no segment given for "
                + ", ".join(a.company for a in missing)
                + " (add `segment:` to their metadata or a tag segment:NAME)"
            )
        for name in sorted(groups, key=lambda g: (g == NO_SEGMENT, g.casefold())):
            members = groups[name]
            segments.append(
                Segment(name, source, members, _shared(features, [a.company for a in members]))
            )
    else:
        source = "proposed"
        if not themes:
            warnings.append(
                "no themes yet (run `persona themes`): segments proposed from firmographics only"
            )
        for n, names in enumerate(cluster_accounts(features), 1):
            members = [by_name[x] for x in names]
            shared = _shared(features, names)
            segments.append(Segment(_proposed_name(n, features, names), source, members, shared))
    for s in segments:
        s.pains = _pains(s.accounts, themes)
        mine = {i for a in s.accounts for i in a.interviews}
        s.themes = {
            t.key: round(
                sum(bool(t.interviews & set(a.interviews)) for a in s.accounts) / len(s.accounts), 4
            )
            for t in themes
            if t.interviews & mine
        }
        if icp_criteria:
            fit = icp_fit(s.accounts, icp_criteria)
            s.fit = (len(fit.fitting), len(s.accounts))
    return Segmentation(source, segments, themes, warnings, icp_criteria)


def compute_segments(ws: Workspace) -> Segmentation:
    """The workspace's segments (see the module docstring)."""
    from assistant.export.data import load_icp_criteria

    accounts = load_accounts(ws)
    seg = build_segmentation(accounts, load_themes(ws), load_icp_criteria(ws.conn))
    seg.warnings += [w for w in load_identity(ws.conn).warnings if w not in seg.warnings]
    return seg


def theme_heatmap(seg: Segmentation) -> tuple[list[str], list[tuple[str, list[float]]]]:
    """(segment names, [(theme label, share of each segment's accounts)]) for the heatmap."""
    names = [s.name for s in seg.segments]
    rows = [
        (t.label, [s.themes.get(t.key, 0.0) for s in seg.segments])
        for t in seg.themes
        if any(s.themes.get(t.key) for s in seg.segments)
    ]
    return names, rows


def themes_shared(seg: Segmentation, a: str, b: str) -> set[str]:
    """Theme keys named in both segments ``a`` and ``b``."""
    sa = next(s for s in seg.segments if s.name == a)
    sb = next(s for s in seg.segments if s.name == b)
    return {k for k, v in sa.themes.items() if v} & {k for k, v in sb.themes.items() if v}
