"""The evidence appendix: every quote with its status, the turns around it (the quote
marked in its turn), and links back to the claims that cite it."""

from __future__ import annotations

from assistant.export.badges import EVIDENCE_MARKS
from assistant.export.data import QuoteRef
from assistant.export.html.claims import Report, esc
from assistant.export.markdown.evidence import unverified_quotes, unverified_reason
from assistant.export.markdown.parts import slug
from assistant.export.quote_context import ContextTurn
from assistant.models import EvidenceStatus


def _where(ref: QuoteRef) -> str:
    parts = [ref.speaker or "unknown speaker"]
    if ref.turn is not None:
        parts.append(f"turn {ref.turn}")
    if ref.start is not None:
        parts.append(f"chars {ref.start}–{ref.end}")
    return ", ".join(parts)


def _turn(turn: ContextTurn) -> str:
    text = turn.text
    if turn.mark is not None:
        lo, hi = turn.mark
        body = f"{esc(text[:lo])}<mark>{esc(text[lo:hi])}</mark>{esc(text[hi:])}"
    else:
        body = esc(text)
    here = " here" if turn.mark is not None else ""
    return (
        f'<p class="turn {esc(turn.role)}{here}"><span class="who">{esc(turn.speaker)}</span>'
        f'<span class="muted">turn {turn.index}</span> {body}</p>'
    )


def _quote(r: Report, ref: QuoteRef, mine: set[str]) -> list[str]:
    mark = EVIDENCE_MARKS.get(ref.status, ref.status)
    named = [f"{i} (added by you)" if i in mine else i for i in ref.insight_ids]
    out = [
        f'<article class="quote {esc(ref.status)}" id="{ref.anchor}">',
        f'<p class="meta"><strong>{ref.ref}</strong> · {esc(mark)} · {esc(_where(ref))}'
        + (f" · insights: {esc(', '.join(named))}" if named else "")
        + "</p>",
        f"<blockquote>“{esc(ref.quote)}”</blockquote>",
    ]
    if ref.reason and ref.status != EvidenceStatus.verified:
        out.append(f'<p class="warning">Why: {esc(ref.reason)}</p>')
    turns = r.data.context.get(ref.number)
    if turns:
        out += ['<div class="context">', *(_turn(t) for t in turns), "</div>"]
    else:
        out.append('<p class="muted">Not located in the transcript: no context to show.</p>')
    cites = r.cited_by.get(ref.number, [])
    if cites:
        links = ", ".join(f'<a href="#{c.anchor}">{esc(c.label)}</a>' for c in cites)
        out.append(f'<p class="meta">Cited by: {links}</p>')
    return [*out, "</article>"]


def evidence_section(r: Report) -> list[str]:
    """Every quote by interview, then every quote not verified and why (run last:
    the back links need the claims rendered first)."""
    out = [
        '<section id="evidence">',
        "<h2>Evidence appendix</h2>",
        '<p class="muted">Every quote behind an insight or a claim, in its transcript. '
        "<strong>verified</strong>: found at the location given (character offsets into the "
        "interview's normalised text, <code>persona show ID</code>); <strong>unverified</strong>: "
        "not found, never counted as support; <strong>note</strong>: from interviewer notes, "
        "not the customer's words.</p>",
    ]
    if not r.data.evidence.quotes:
        out.append('<p class="muted">No quotes yet: run <code>persona extract --all</code>.</p>')
    mine = {i.id for i in r.data.bundle.insights if i.added_by_user}  # highlights
    current = None
    for ref in r.data.evidence.quotes:
        if ref.interview_id != current:
            current = ref.interview_id
            rec = r.data.interviews.get(current)
            title = rec.title if rec else current
            company = (
                f" ({rec.company})" if rec and rec.company and rec.company not in rec.title else ""
            )
            out.append(
                f'<h3 id="{r.new_id("interview-" + slug(current))}">{esc(title)}{esc(company)} '
                f'<code class="muted">{esc(current)}</code></h3>'
            )
        out += _quote(r, ref, mine)
    rows = unverified_quotes(r.data)
    out.append("<h3>Quotes not verified, and why</h3>")
    if not rows:
        out.append('<p class="muted">Every quote was found in its transcript.</p>')
    else:
        out.append("<ul>")
        for iid, what, e in rows:
            reason = unverified_reason(e)
            out.append(
                f"<li><code>{esc(iid)}</code> · {esc(e.get('status'))} · “{esc(e.get('quote'))}” "
                f"— backs {esc(what)} · why: {esc(reason)}</li>"
            )
        out.append("</ul>")
    return [*out, "</section>"]
