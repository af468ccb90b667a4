"""The ICP one-pager: criteria, fit, segments and market sizing."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from assistant.export.data import ExportData
from assistant.export.markdown.parts import (
    CRITERIA_GROUPS,
    ICP_GROUPS,
    Footnotes,
    claim_line,
    field_key,
    field_lines,
    field_title,
    inline,
    item_header,
)
from assistant.icp_stats import ATTRIBUTES, IcpFit, IcpStatistics
from assistant.review import Claim, ReviewItem
from assistant.wording import count


def icp_criteria(items: Iterable[ReviewItem], stats: IcpStatistics) -> dict[str, list[str]]:
    """Measurable criteria of the draft: attribute values its firmographic and
    tech-stack claims name (whole words, any case) among the values in the data."""
    texts = [
        c.text.casefold()
        for item in items
        for name, claims in item.fields.items()
        if field_key(name) in CRITERIA_GROUPS
        for c in claims
    ]
    criteria: dict[str, list[str]] = {}
    for s in stats.attributes:
        pattern = re.compile(rf"(?<!\w){re.escape(s.value.casefold())}(?!\w)")
        if any(pattern.search(t) for t in texts):
            criteria.setdefault(s.attribute, []).append(s.value)
    return {a: criteria[a] for a in ATTRIBUTES if a in criteria}


def _fit_line(fit: IcpFit | None, stats: IcpStatistics, source: str) -> str:
    total = len(stats.accounts)
    if fit is None:
        return (
            f"**Fit:** not computed: the draft names no firmographic or tech-stack value "
            f"found among the {total} interviewed accounts."
        )
    crit = "; ".join(f"{a.replace('_', ' ')} ∈ {{{', '.join(v)}}}" for a, v in fit.criteria.items())
    return (
        f"**Fit:** {len(fit.fitting)} of {fit.total} interviewed accounts fit the ICP as drafted "
        f"({crit}; {source})" + (f": {', '.join(fit.fitting)}." if fit.fitting else ".")
    )


def icp_fit(items: Sequence[ReviewItem], data: ExportData) -> tuple[IcpFit | None, str]:
    """The ICP fit and where its criteria come from: the draft's stored criteria, else
    those read from its firmographic and tech-stack claims (None without any)."""
    stats = data.bundle.icp_statistics
    fit, source = data.bundle.icp_fit, "criteria of the ICP draft"
    if fit is None and items:
        criteria = icp_criteria(items, stats)
        fit = stats.fit(criteria) if criteria else None
        source = "criteria read from the draft's firmographic and tech-stack claims"
    return fit, source


def icp_summary(item: ReviewItem) -> list[Claim]:
    """The lead of the one-pager: its summary claims (badged like every claim: the
    summary is often an assumption)."""
    return list(item.fields.get("summary", []))


def icp_sections(item: ReviewItem) -> list[tuple[str, list[Claim]]]:
    """An ICP item's claims under the summary: the ICP groups, then any other field."""
    out: list[tuple[str, list[Claim]]] = []
    used: set[str] = {"summary"}  # the lead, shown first: icp_summary
    for heading, names in ICP_GROUPS:
        fields = [n for n in item.fields if field_key(n) in names]
        used.update(fields)
        out.append((heading, [c for n in fields for c in item.fields[n]]))
    out += [(field_title(n), list(c)) for n, c in item.fields.items() if n not in used]
    return out


def icp_doc(items: Sequence[ReviewItem], data: ExportData) -> str:
    """The one-page ICP: four groups, disqualifiers, neighbourhoods, statistics, caveats."""
    stats = data.bundle.icp_statistics
    notes = Footnotes(data, "evidence.md")
    fit, source = icp_fit(items, data)
    title = inline(items[0].title) if len(items) == 1 else "Ideal Customer Profile"
    lines = [f"# {title}", ""]
    lines.append(
        f"**Sample:** {count(stats.interviews, 'interview')} across "
        f"{count(len(stats.accounts), 'account')} "
        f"({sum(a.score is not None for a in stats.accounts)} with account metrics)."
    )
    if not items:
        lines += [
            "",
            "_No ICP draft yet: run `persona icp`. The statistics below are computed "
            "from the interviews' account data._",
        ]
    else:
        lines += ["", _fit_line(fit, stats, source)]
    for item in items:
        if len(items) > 1:
            lines += ["", f"## {inline(item.title)}"]
        lines += ["", f"`{item.id}` · " + item_header(item)]
        level = "###" if len(items) > 1 else "##"
        lead = icp_summary(item)
        if lead:
            lines += ["", *(claim_line(c, notes) for c in lead)]
        for heading, claims in icp_sections(item):
            lines += field_lines(heading, claims, notes, level)
    shown = (
        stats
        if fit is None
        else stats.model_copy(update={"caveats": [*stats.caveats, fit.caveat()]})
    )
    lines += ["", shown.to_markdown().rstrip()]
    lines += _segment_lines(data)
    lines += _sizing_lines(data)
    lines += notes.render()
    return "\n".join(lines) + "\n"


def _segment_lines(data: ExportData) -> list[str]:
    """Which segment the ICP sits in and how many accounts of each segment fit."""
    seg = data.bundle.segments
    if not seg or not seg.get("segments"):
        return []
    how = segments_source(seg)
    lines = ["", "## Segments", "", f"Segments {how}."]
    if seg.get("icp_segment"):
        lines.append(f"The ICP sits in **{inline(seg['icp_segment'])}**.")
    lines += [
        "",
        "| segment | accounts | interviews | fit the ICP | top pain |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, accounts, interviews, fits, pain in segment_rows(seg):
        lines.append(f"| {inline(name)} | {accounts} | {interviews} | {fits} | {inline(pain)} |")
    return lines


def segments_source(seg: dict[str, Any]) -> str:
    """Where the segments come from, as words."""
    if seg["source"] == "user":
        return "given by the user"
    return "proposed from shared themes and firmographics"


def segment_rows(seg: dict[str, Any]) -> list[tuple[str, int, int, str, str]]:
    """(segment, accounts, interviews, fit the ICP, top pain) per segment of `persona segments --json`."""
    rows = []
    for s in seg["segments"]:
        fit = s["icp_fit"]
        fits = "—" if fit is None else f"{fit['fit']} of {fit['accounts']}"
        pain = s["top_pains"][0]["label"] if s["top_pains"] else "—"
        rows.append((s["name"], len(s["accounts"]), len(s["interviews"]), fits, pain))
    return rows


def _sizing_lines(data: ExportData) -> list[str]:
    b = data.bundle
    if b.sizing_error:
        return [
            "",
            "## Market size (TAM, SAM, SOM)",
            "",
            f"_Not computed: {inline(b.sizing_error)}_",
        ]
    if b.sizing is None:
        return []
    from assistant.sizing import SizingResult

    return ["", SizingResult.model_validate(b.sizing).to_markdown().rstrip()]
