"""Markdown export: persona cards, the ICP one-pager, messaging, themes, interview pages
(summary, insights, buying process, company facts) and the evidence appendix (with
every quote that was not verified, and why).

Every claim is a bullet with its status badge (supported, or **ASSUMPTION**
when no verified quote backs it), its support (distinct interviews and
accounts) and footnotes pointing at its quotes in ``evidence.md``. Rejected
items are left out of the Markdown (they stay in the JSON and CSV).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from assistant.export.data import FIXTURE_MODEL, ExportData, InterviewRecord, QuoteRef
from assistant.extract.store import BUYING_PROCESS_FIELDS, buying_process_items, item_text
from assistant.icp_stats import ATTRIBUTES, IcpFit, IcpStatistics
from assistant.models import EvidenceStatus
from assistant.review import Claim, ReviewItem
from assistant.text_identity import normalise

ICP_GROUPS: tuple[tuple[str, frozenset[str]], ...] = (
    ("Firmographics", frozenset({"firmographics", "firmographic"})),
    (
        "Challenges and goals",
        frozenset({"challenges_and_goals", "challenges_goals", "challenges", "goals", "pains"}),
    ),
    ("Tech stack", frozenset({"tech_stack", "technographics", "techstack", "technology"})),
    ("Behaviours", frozenset({"behaviours", "behaviors", "buying_behaviour", "buying_behavior"})),
    ("Disqualifiers (anti-ICP)", frozenset({"disqualifiers", "anti_icp", "disqualifier"})),
    ("Neighbourhoods", frozenset({"neighbourhoods", "neighborhoods", "segments", "neighbourhood"})),
)
"""The ICP document's sections and the item field names that fill each."""

EVIDENCE_MARKS: dict[str, str] = {
    EvidenceStatus.verified: "✓ verified",
    EvidenceStatus.unverified: "✗ unverified",
    EvidenceStatus.note: "~ note",
}

CRITERIA_GROUPS = frozenset({"firmographics", "firmographic", "tech_stack", "technographics"})
DRAFT_NOTE = "draft: generated, not yet reviewed by a person"
STATUS_NOTE = {"draft": DRAFT_NOTE, "approved": "approved", "rejected": "rejected"}


def slug(text: str) -> str:
    """A file-name slug: lowercase ASCII words joined by dashes."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-") or "item"


def field_key(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().casefold())


def field_title(name: str) -> str:
    text = re.sub(r"\bdmu\b", "DMU", name.replace("_", " ").strip())
    return text[:1].upper() + text[1:]


def _inline(text: str) -> str:
    """One line of Markdown: newlines folded, HTML-looking brackets escaped."""
    return " ".join(text.split()).replace("<", "&lt;").replace(">", "&gt;")


class Footnotes:
    """Numbers a document's quotes ``[^1]``, ``[^2]`` … in order of first use."""

    def __init__(self, data: ExportData, appendix: str) -> None:
        self.data = data
        self.appendix = appendix
        self.used: dict[int, int] = {}
        self.refs: list[QuoteRef] = []

    def marks(self, claim: Claim) -> str:
        out = []
        for ref in self.data.evidence.for_claim(claim):
            if ref.number not in self.used:
                self.used[ref.number] = len(self.used) + 1
                self.refs.append(ref)
            out.append(f"[^{self.used[ref.number]}]")
        return "".join(out)

    def render(self) -> list[str]:
        if not self.refs:
            return []
        lines = ["", "## Sources", ""]
        for ref in self.refs:
            lines.append(
                f"[^{self.used[ref.number]}]: “{_inline(ref.quote)}” — {_where(ref)} "
                f"[{ref.ref}]({self.appendix}#{ref.anchor})"
            )
        return lines


def _where(ref: QuoteRef) -> str:
    parts = [ref.speaker or "unknown speaker", f"interview `{ref.interview_id}`"]
    if ref.turn is not None:
        parts.append(f"turn {ref.turn}")
    if ref.start is not None:
        parts.append(f"chars {ref.start}–{ref.end}")
    parts.append(ref.status)
    return ", ".join(parts)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def claim_line(claim: Claim, notes: Footnotes) -> str:
    """One claim as a bullet: badge, text, support, footnotes."""
    support = f"{_count(claim.support.interviews, 'interview')}, " + _count(
        claim.support.accounts, "account"
    )
    if claim.status == "supported":
        badge = "✅ supported"
    elif claim.status == "secondhand":
        badge = f"🗣️ second-hand ({claim.secondhand_label}; not their own words)"
    else:
        badge = "⚠️ **ASSUMPTION** (no verified evidence)"
    extra = " · edited by a reviewer" if claim.edited_by_user else ""
    if claim.origin.source == "user":
        extra = " · added by a reviewer"
    text = claim.text.strip()
    if "\n" in text:  # a multi-line message (email, talk track): keep its lines
        body = "\n".join("  " + line if line.strip() else "" for line in text.splitlines())
        head = f"- {badge} · {support}{extra} {notes.marks(claim)}".rstrip()
        return f"{head}\n\n{body}\n"
    return f"- {badge} — {_inline(text)} · {support}{extra} {notes.marks(claim)}".rstrip()


def field_lines(
    title: str, claims: Sequence[Claim], notes: Footnotes, level: str = "##"
) -> list[str]:
    lines = ["", f"{level} {title}", ""]
    if not claims:
        return [*lines, "_No claims yet._"]
    return lines + [claim_line(c, notes) for c in claims]


def item_header(item: ReviewItem) -> str:
    origin = item.origin
    by = (
        "a reviewer"
        if origin.source == "user"
        else f"{origin.model} @ prompt {origin.prompt_version}"
    )
    counts = item.claims()
    assumptions = sum(c.status == "assumption" for c in counts)
    return (
        f"**Review status:** {STATUS_NOTE.get(item.status, item.status)} · "
        f"**Claims:** {len(counts)} ({_count(assumptions, 'assumption')}) · "
        f"**Generated by:** {by}"
    )


def _role(item: ReviewItem) -> str:
    for name in ("dmu_role", "role"):
        claims = item.fields.get(name)
        if claims:
            return claims[0].text
    parts = item.key.split(":")  # persona:ROLE[:VARIANT]
    return parts[1].replace("_", " ") if len(parts) > 1 else "—"


def _item_doc(item: ReviewItem, data: ExportData, about: str, head: Sequence[str] = ()) -> str:
    """An item in its own file: title, ``about`` line, ``head`` lines, every field's claims."""
    notes = Footnotes(data, "../evidence.md")
    lines = [f"# {_inline(item.title)}", "", about, "", item_header(item), *head]
    for name, claims in item.fields.items():
        lines += field_lines(field_title(name), claims, notes)
    lines += notes.render()
    return "\n".join(lines) + "\n"


def persona_card(item: ReviewItem, data: ExportData) -> str:
    """A persona card: name, role, coverage, every field's claims with evidence."""
    head: list[str] = []
    cover = data.bundle.persona_coverage.get(item.key)
    if cover is not None:
        head += ["", f"**Covers:** {_inline(cover['coverage'])}"]
        head += [f"> **Warning:** {_inline(w)}" for w in cover["warnings"]]
    about = f"**Role:** {_inline(_role(item))} · **Item:** `{item.id}`"
    return _item_doc(item, data, about, head)


def messaging_doc(item: ReviewItem, data: ExportData, persona: str, role: str) -> str:
    """Messaging for one persona and DMU role; a message with no evidence is flagged."""
    about = (
        f"**Persona:** {_inline(persona)} · **Role:** {_inline(role.replace('_', ' '))} · "
        f"**Item:** `{item.id}`"
    )
    return _item_doc(item, data, about)


def themes_doc(items: Sequence[ReviewItem], data: ExportData) -> str:
    notes = Footnotes(data, "evidence.md")
    lines = ["# Themes"]
    if not items:
        lines += ["", "_No themes yet: run `persona themes`._"]
    for item in items:
        lines += ["", f"## {_inline(item.title)}", "", f"`{item.id}` · " + item_header(item)]
        for name, claims in item.fields.items():
            lines += field_lines(field_title(name), claims, notes, "###")
    lines += notes.render()
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- ICP


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


def icp_doc(items: Sequence[ReviewItem], data: ExportData) -> str:
    """The one-page ICP: four groups, disqualifiers, neighbourhoods, statistics, caveats."""
    stats = data.bundle.icp_statistics
    notes = Footnotes(data, "evidence.md")
    fit, source = data.bundle.icp_fit, "criteria of the ICP draft"
    if fit is None and items:
        criteria = icp_criteria(items, stats)
        fit = stats.fit(criteria) if criteria else None
        source = "criteria read from the draft's firmographic and tech-stack claims"
    title = _inline(items[0].title) if len(items) == 1 else "Ideal Customer Profile"
    lines = [f"# {title}", ""]
    lines.append(
        f"**Sample:** {stats.interviews} interviews across {len(stats.accounts)} accounts "
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
            lines += ["", f"## {_inline(item.title)}"]
        lines += ["", f"`{item.id}` · " + item_header(item)]
        used: set[str] = {"summary"}
        level = "###" if len(items) > 1 else "##"
        if item.fields.get("summary"):
            lines += ["", " ".join(_inline(c.text) for c in item.fields["summary"])]
        for heading, names in ICP_GROUPS:
            fields = [n for n in item.fields if field_key(n) in names]
            used.update(fields)
            claims = [c for n in fields for c in item.fields[n]]
            lines += field_lines(heading, claims, notes, level)
        for name, claims in item.fields.items():
            if name not in used:
                lines += field_lines(field_title(name), claims, notes, level)
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
    how = (
        "given by the user"
        if seg["source"] == "user"
        else "proposed from shared themes and firmographics"
    )
    lines = ["", "## Segments", "", f"Segments {how}."]
    if seg.get("icp_segment"):
        lines.append(f"The ICP sits in **{_inline(seg['icp_segment'])}**.")
    lines += [
        "",
        "| segment | accounts | interviews | fit the ICP | top pain |",
        "| --- | --- | --- | --- | --- |",
    ]
    for s in seg["segments"]:
        fit = s["icp_fit"]
        fits = "—" if fit is None else f"{fit['fit']} of {fit['accounts']}"
        pain = s["top_pains"][0]["label"] if s["top_pains"] else "—"
        lines.append(
            f"| {_inline(s['name'])} | {len(s['accounts'])} | {len(s['interviews'])} | {fits} | "
            f"{_inline(pain)} |"
        )
    return lines


def _sizing_lines(data: ExportData) -> list[str]:
    b = data.bundle
    if b.sizing_error:
        return [
            "",
            "## Market size (TAM, SAM, SOM)",
            "",
            f"_Not computed: {_inline(b.sizing_error)}_",
        ]
    if b.sizing is None:
        return []
    from assistant.sizing import SizingResult

    return ["", SizingResult.model_validate(b.sizing).to_markdown().rstrip()]


# ---------------------------------------------------------------- appendix and index


def evidence_doc(data: ExportData) -> str:
    """Every quote with interview, speaker, turn, character location and status."""
    lines = [
        "# Evidence appendix",
        "",
        "Every quote behind an insight or a claim. **verified**: found in the transcript at "
        "the location given (characters are offsets into the interview's normalised text, "
        "`persona show ID`); **unverified**: not found, never counted as support; "
        "**note**: from interviewer notes, not the customer's words.",
    ]
    if not data.evidence.quotes:
        lines += ["", "_No quotes yet: run `persona extract --all`._"]
    current = None
    for ref in data.evidence.quotes:
        if ref.interview_id != current:
            current = ref.interview_id
            rec = data.interviews.get(current)
            label = f" — {_inline(rec.title)}" if rec else ""
            company = ""
            if rec and rec.company and rec.company not in rec.title:
                company = f" ({_inline(rec.company)})"
            lines += ["", f"## `{current}`{label}{company}", ""]
        where = [ref.speaker or "unknown speaker"]
        if ref.turn is not None:
            where.append(f"turn {ref.turn}")
        if ref.start is not None:
            where.append(f"chars {ref.start}–{ref.end}")
        insights = f" · insights: {', '.join(ref.insight_ids)}" if ref.insight_ids else ""
        why = (
            f" · why: {_inline(ref.reason)}"
            if ref.reason and ref.status != EvidenceStatus.verified
            else ""
        )
        lines.append(
            f'- <a id="{ref.anchor}"></a>**{ref.ref}** · {EVIDENCE_MARKS.get(ref.status, ref.status)} · '
            f"“{_inline(ref.quote)}” — {', '.join(where)}{insights}{why}"
        )
    lines += _unverified_section(data)
    return "\n".join(lines) + "\n"


def unverified_quotes(data: ExportData) -> list[tuple[str, str, dict[str, Any]]]:
    """(interview, what it backs, evidence) of every quote not verified, from insights,
    company facts and buying processes alike."""
    out: list[tuple[str, str, dict[str, Any]]] = []
    for ins in data.bundle.insights:
        out += [
            (ins.interview_id, f"insight {ins.id} [{ins.kind}]", e)
            for e in ins.evidence
            if e.get("status") != EvidenceStatus.verified
        ]
    for a in data.bundle.analyses:
        for f in a.facts:
            out += [
                (a.interview_id, f"company fact {f.attribute}: {f.value}", e)
                for e in f.evidence
                if e.get("status") != EvidenceStatus.verified
            ]
        for name, item in buying_process_items(a.buying_process or {}):
            out += [
                (
                    a.interview_id,
                    f"buying process, {field_title(name).lower()}: {item_text(item)}",
                    e,
                )
                for e in item.get("evidence") or []
                if e.get("status") != EvidenceStatus.verified
            ]
    return out


def _unverified_section(data: ExportData) -> list[str]:
    rows = unverified_quotes(data)
    lines = ["", "## Quotes not verified, and why", ""]
    if not rows:
        return [*lines, "_Every quote was found in its transcript._"]
    lines.append(
        "Kept so nothing is hidden; never counted as support. Notes are interviewer notes, "
        "not the customer's words."
    )
    lines.append("")
    for iid, what, e in rows:
        reason = e.get("reason") or (
            "from interviewer notes" if e.get("status") == EvidenceStatus.note else "not found"
        )
        lines.append(
            f"- `{iid}` · {e.get('status')} · “{_inline(str(e.get('quote')))}” — backs "
            f"{_inline(what)} · why: {_inline(reason)}"
        )
    return lines


def interview_doc(rec: InterviewRecord, data: ExportData) -> str:
    """One interview: account, summary, insights with quotes, company facts, buying process."""
    analysis = next((a for a in data.bundle.analyses if a.interview_id == rec.id), None)
    insights = [i for i in data.bundle.insights if i.interview_id == rec.id]
    lines = [
        f"# {_inline(rec.title)}",
        "",
        f"`{rec.id}` · {rec.format}"
        + ("" if rec.verbatim else " · interviewer notes, not verbatim"),
    ]
    if rec.company:
        lines.append(f"Account: {_inline(rec.company)}")
    people = [
        f"{_inline(p.name)}"
        + (f", {_inline(p.title)}" if p.title else "")
        + (f" ({p.dmu_role})" if p.dmu_role else "")
        for p in rec.meta.participants
    ]
    if people:
        lines.append("Participants: " + "; ".join(people))
    if analysis is None:
        return "\n".join([*lines, "", "_Not extracted yet: run `persona extract --all`._"]) + "\n"
    lines += ["", "## Summary", "", _inline(analysis.summary or "(none)")]
    if analysis.error:
        lines += ["", f"> Last extraction failed: {_inline(analysis.error)}"]
    lines += ["", "## Insights", ""]
    if not insights:
        lines.append("_None._")
    for ins in insights:
        role = f", {ins.dmu_role}" if ins.dmu_role else ""
        lines.append(f"- **{ins.kind}** — {_inline(ins.statement)} ({_inline(ins.speaker)}{role})")
        lines += _evidence_bullets(ins.evidence, data, rec.id)
    lines += ["", "## Buying process", ""]
    bp = analysis.buying_process or {}
    for name, heading in BUYING_PROCESS_FIELDS:
        items = [item for field_name, item in buying_process_items(bp) if field_name == name]
        if not items:
            lines.append(f"- **{heading}:** _not said_")
            continue
        lines.append(f"- **{heading}:**")
        for item in items:
            lines.append(f"  - {_inline(item_text(item))}")
            lines += ["  " + b for b in _evidence_bullets(item.get("evidence") or [], data, rec.id)]
    lines += ["", "## Company facts", ""]
    if not analysis.facts:
        lines.append("_None stated._")
    for f in analysis.facts:
        lines.append(f"- [{f.group}] {_inline(f.attribute)}: {_inline(f.value)}")
        lines += _evidence_bullets(f.evidence, data, rec.id)
    return "\n".join(lines) + "\n"


def _evidence_bullets(evidence: Sequence[dict[str, Any]], data: ExportData, iid: str) -> list[str]:
    out = []
    for e in evidence:
        key = (iid, e.get("start"), e.get("end"), normalise(str(e.get("quote") or "")))
        ref = data.evidence.by_key.get(key)
        link = f" [{ref.ref}](../evidence.md#{ref.anchor})" if ref else ""
        why = (
            f" — why: {_inline(e['reason'])}"
            if e.get("reason") and e.get("status") != EvidenceStatus.verified
            else ""
        )
        out.append(
            f"  - {EVIDENCE_MARKS.get(str(e.get('status')), e.get('status'))}: “{_inline(str(e.get('quote')))}”"
            f"{link}{why}"
        )
    return out


def index_doc(
    data: ExportData,
    personas: Sequence[tuple[ReviewItem, str]],
    messaging: Sequence[tuple[ReviewItem, str]],
    other_files: Sequence[str],
    interviews: Sequence[tuple[InterviewRecord, str]] = (),
) -> str:
    """README of the export: what is where, provenance, and that drafts are drafts."""
    b = data.bundle
    quotes = data.evidence.quotes
    verified = sum(q.status == EvidenceStatus.verified for q in quotes)
    with_evidence = sum(i.verified for i in b.insights)
    accounts = len(b.icp_statistics.accounts)
    lines = [
        f"# Persona Assistant export — {_inline(data.workspace_name)}",
        "",
        "> **Drafts are drafts.** Items marked *draft* were generated and not yet reviewed by a "
        "person. Every claim shows its support (distinct interviews and accounts) and links "
        "to its quotes; a claim marked **ASSUMPTION** has no verified quote behind it.",
        "",
        f"{len(b.interviews)} interviews, {accounts} accounts, {len(b.insights)} insights "
        f"({with_evidence} with a verified quote), {len(quotes)} quotes ({verified} verified).",
        *(
            [
                "",
                f"**Filtered:** only interviews matching {b.filter} (interview pages, insights, "
                "evidence); drafts and ICP statistics cover every interview.",
            ]
            if b.filter
            else []
        ),
        "",
        "## Contents",
        "",
        "- [Ideal Customer Profile](icp.md)",
    ]
    lines += [f"- Persona: [{_inline(i.title)}]({path}) ({i.status})" for i, path in personas]
    lines += [f"- Messaging: [{_inline(i.title)}]({path}) ({i.status})" for i, path in messaging]
    lines += ["- [Themes](themes.md)", "- [Evidence appendix](evidence.md)"]
    lines += [
        f"- Interview: [{_inline(rec.title)}]({path})"
        + (f" ({_inline(rec.company)})" if rec.company else "")
        for rec, path in interviews
    ]
    lines += [f"- [{name}]({name})" for name in other_files]
    rejected = sum(i.status == "rejected" for i in b.review_items)
    if rejected:
        lines += [
            "",
            f"{rejected} rejected item(s) are left out of these pages (kept in JSON/CSV).",
        ]
    empty = data.empty_parts()
    if empty:
        lines += ["", "## Empty parts", ""] + [f"- {e}" for e in empty]
    lines += ["", "## Provenance", ""]
    if not b.provenance:
        lines.append("_Nothing generated by a model yet._")
    else:
        lines += [
            "| stage | model | prompt version | source | count |",
            "| --- | --- | --- | --- | --- |",
        ]
        for p in b.provenance:
            source = FIXTURE_MODEL + " (replayed)" if p.fixture else "model"
            lines.append(f"| {p.stage} | {p.model} | {p.prompt_version} | {source} | {p.count} |")
    return "\n".join(lines) + "\n"


def _unique(path: str, taken: set[str], item: ReviewItem) -> str:
    if path in taken:
        stem, ext = path.rsplit(".", 1)
        path = f"{stem}--{slug(item.id)}.{ext}"
    taken.add(path)
    return path


def messaging_names(item: ReviewItem, personas: Mapping[str, ReviewItem]) -> tuple[str, str]:
    """(persona, role) of a messaging item keyed ``messaging:PERSONA_KEY:ROLE``.

    The persona is the persona item's title when it exists, else its key.
    """
    parts = item.key.split(":")
    if len(parts) < 3:
        return item.title, "all"
    persona_key = ":".join(parts[1:-1])
    persona = personas.get(persona_key)
    if persona is not None:
        return persona.title, parts[-1]
    return persona_key.removeprefix("persona:"), parts[-1]


def render_markdown(data: ExportData, other_files: Sequence[str] = ()) -> dict[str, str]:
    """Every Markdown file of the export: {relative path: text}."""
    files: dict[str, str] = {}
    taken: set[str] = set()
    personas = []
    for item in data.items("persona"):
        path = _unique(f"personas/{slug(item.title)}.md", taken, item)
        files[path] = persona_card(item, data)
        personas.append((item, path))
    messaging = []
    by_key = {i.key: i for i in data.bundle.review_items if i.kind == "persona"}
    for item in data.items("messaging"):
        persona, role = messaging_names(item, by_key)
        path = _unique(f"messaging/{slug(persona)}--{slug(role)}.md", taken, item)
        files[path] = messaging_doc(item, data, persona, role)
        messaging.append((item, path))
    files["icp.md"] = icp_doc(data.items("icp"), data)
    files["themes.md"] = themes_doc(data.items("theme"), data)
    interviews = []
    for rec in data.bundle.interviews:
        path = f"interviews/{slug(rec.id)}.md"
        files[path] = interview_doc(rec, data)
        interviews.append((rec, path))
    files["evidence.md"] = evidence_doc(data)
    files["index.md"] = index_doc(data, personas, messaging, other_files, interviews)
    return files
