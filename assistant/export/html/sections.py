"""The report's sections: the ICP one-pager, persona cards, messaging and themes."""

from __future__ import annotations

from assistant.export.html.charts import Row, bar_chart
from assistant.export.html.claims import Report, esc, item_meta
from assistant.export.markdown.cards import messaging_names, persona_role
from assistant.export.markdown.icp import (
    icp_fit,
    icp_sections,
    icp_summary,
    segment_rows,
    segments_source,
)
from assistant.export.theme_counts import theme_counts
from assistant.wording import count


def icp_section(r: Report) -> list[str]:
    """The one-page ICP: sample, fit, badged claims by group, accounts, caveats, segments."""
    items = r.data.items("icp")
    stats = r.data.bundle.icp_statistics
    fit, source = icp_fit(items, r.data)
    out = ['<section id="icp">', "<h2>Ideal customer profile</h2>"]
    with_metrics = sum(a.score is not None for a in stats.accounts)
    out.append(
        f"<p><strong>Sample:</strong> {esc(count(stats.interviews, 'interview'))} across "
        f"{esc(count(len(stats.accounts), 'account'))} ({with_metrics} with account metrics).</p>"
    )
    if not items:
        out.append('<p class="muted">No ICP draft yet: run <code>persona icp</code>.</p>')
    elif fit is None:
        out.append(
            "<p><strong>Fit:</strong> not computed: the draft names no firmographic or "
            "tech-stack value found among the interviewed accounts.</p>"
        )
    else:
        crit = "; ".join(
            f"{a.replace('_', ' ')} ∈ {{{', '.join(v)}}}" for a, v in fit.criteria.items()
        )
        fitting = f": {', '.join(fit.fitting)}" if fit.fitting else ""
        out.append(
            f"<p><strong>Fit:</strong> {len(fit.fitting)} of {esc(count(fit.total, 'interviewed account'))} "
            f"fit the ICP as drafted ({esc(crit)}; {esc(source)}){esc(fitting)}.</p>"
        )
    for item in items:
        out += [f'<h3 id="{r.item_id("icp", item)}">{esc(item.title)}</h3>', item_meta(item)]
        lead = icp_summary(item)
        if lead:
            out += [
                '<ul class="claims lead">',
                *(r.claim(c, f"{item.title} · summary") for c in lead),
            ]
            out.append("</ul>")
        out += r.fields(icp_sections(item), item)
    caveats = [*stats.caveats, *([fit.caveat()] if fit is not None else [])]
    if caveats:
        out += ["<h4>Caveats</h4>", "<ul>"]
        out += [f"<li><strong>{esc(c.severity)}</strong>: {esc(c.message)}</li>" for c in caveats]
        out.append("</ul>")
    out += _accounts_table(r) + _segments_table(r) + ["</section>"]
    return out


def _accounts_table(r: Report) -> list[str]:
    stats = r.data.bundle.icp_statistics
    if not stats.accounts:
        return []
    out = [
        "<h4>Accounts</h4>",
        "<table><tr><th>account</th><th>interviews</th><th>score</th><th>best</th></tr>",
    ]
    for a in sorted(stats.accounts, key=lambda a: (-(a.score or -1), a.company)):
        score = "—" if a.score is None else f"{a.score:.2f}"
        out.append(
            f"<tr><td>{esc(a.company)}</td><td>{len(a.interviews)}</td><td>{score}</td>"
            f"<td>{'yes' if a.best else ''}</td></tr>"
        )
    return [*out, "</table>"]


def _segments_table(r: Report) -> list[str]:
    seg = r.data.bundle.segments
    if not seg or not seg.get("segments"):
        return []
    how = segments_source(seg)
    out = ["<h4>Segments</h4>", f"<p>Segments {esc(how)}."]
    if seg.get("icp_segment"):
        out[-1] += f" The ICP sits in <strong>{esc(seg['icp_segment'])}</strong>."
    out[-1] += "</p>"
    out.append(
        "<table><tr><th>segment</th><th>accounts</th><th>interviews</th>"
        "<th>fit the ICP</th><th>top pain</th></tr>"
    )
    for name, accounts, interviews, fits, pain in segment_rows(seg):
        out.append(
            f"<tr><td>{esc(name)}</td><td>{accounts}</td><td>{interviews}</td>"
            f"<td>{esc(fits)}</td><td>{esc(pain)}</td></tr>"
        )
    return [*out, "</table>"]


def persona_section(r: Report) -> tuple[list[str], list[tuple[str, str]]]:
    """Every persona as a card; returns the HTML and (anchor, title) per card for the contents."""
    items = r.data.items("persona")
    out = ['<section id="personas">', "<h2>Personas</h2>"]
    if not items:
        out.append('<p class="muted">No persona drafts yet: run <code>persona personas</code>.</p>')
    out.append('<div class="cards">')
    toc: list[tuple[str, str]] = []
    for item in items:
        anchor = r.item_id("persona", item)
        toc.append((anchor, item.title))
        out += [
            f'<article class="card" id="{anchor}"><span class="solo" id="only-{anchor}"></span>',
            f"<header><h3>{esc(item.title)}</h3>",
            f'<div class="meta">Role: {esc(persona_role(item))} · '
            f'<a class="solo-link" href="#only-{anchor}">this card alone</a></div></header>',
            '<div class="body">',
            item_meta(item),
        ]
        cover = r.data.bundle.persona_coverage.get(item.key)
        if cover is not None:
            out.append(f"<p><strong>Covers:</strong> {esc(cover['coverage'])}</p>")
            out += [f'<p class="warning">Warning: {esc(w)}</p>' for w in cover["warnings"]]
        out += r.item_fields(item)
        out += ["</div>", "</article>"]
    out += ["</div>", "</section>"]
    return out, toc


def messaging_section(r: Report) -> list[str]:
    """Messaging per persona and DMU role; an unsupported message is badged as an assumption."""
    items = r.data.items("messaging")
    personas = {i.key: i for i in r.data.bundle.review_items if i.kind == "persona"}
    out = ['<section id="messaging">', "<h2>Messaging</h2>"]
    if not items:
        out.append(
            '<p class="muted">No messaging drafts yet: run <code>persona messaging</code>.</p>'
        )
    for item in items:
        persona, role = messaging_names(item, personas)
        out += [
            f'<h3 id="{r.item_id("messaging", item)}">{esc(item.title)}</h3>',
            f"<p>Persona: <strong>{esc(persona)}</strong> · role: {esc(role.replace('_', ' '))}</p>",
            item_meta(item),
        ]
        out += r.item_fields(item)
    return [*out, "</section>"]


def themes_section(r: Report) -> list[str]:
    """Charts of theme frequency (overall, by role, by segment), then each theme's claims."""
    counts = theme_counts(r.data)
    anchors = {tc.item.id: r.item_id("theme", tc.item) for tc in counts}
    out = ['<section id="themes">', "<h2>Themes</h2>"]
    if not counts:
        out.append('<p class="muted">No themes yet: run <code>persona themes</code>.</p>')
        return [*out, "</section>"]
    out.append(
        '<p class="muted">Counted: interviews with a verified quote behind any claim of the '
        "theme. An interview with participants in two roles counts once for each role.</p>"
    )
    total = [
        Row(tc.item.title, anchors[tc.item.id], {"interviews": len(tc.interviews)}) for tc in counts
    ]
    out.append(bar_chart("Interviews per theme", total, ["interviews"], "interview"))
    by_role = [{k.replace("_", " "): v for k, v in tc.by_role.items()} for tc in counts]
    out.append(
        bar_chart(
            "Interviews per theme, by role",
            [
                Row(tc.item.title, anchors[tc.item.id], r)
                for tc, r in zip(counts, by_role, strict=True)
            ],
            sorted({k for r in by_role for k in r}),
            "interview",
        )
    )
    segments = sorted({k for tc in counts for k in tc.by_segment})
    if len(segments) > 1:
        out.append(
            bar_chart(
                "Interviews per theme, by segment",
                [Row(tc.item.title, anchors[tc.item.id], tc.by_segment) for tc in counts],
                segments,
                "interview",
            )
        )
    for tc in counts:
        item = tc.item
        out += [f'<h3 id="{anchors[item.id]}">{esc(item.title)}</h3>', item_meta(item)]
        out += r.item_fields(item)
    return [*out, "</section>"]
