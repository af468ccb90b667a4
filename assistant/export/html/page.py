"""The report's page: inline style sheet and the document around the sections.

Nothing is loaded from elsewhere: no fonts, scripts, images or style sheets by
URL; charts are inline SVG. ``#only-persona-…`` shows one persona card alone
(for a slide or a screenshot); printing drops the navigation.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

CARD_HEADER = "#1f3a5f"
"""Background of a persona card's header (the browser test looks for it)."""

STYLE = f"""
:root {{ --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --ok: #1a7f37; --warn: #9a6700;
  --bad: #cf222e; --second: #8250df; --bg-soft: #f6f8fa; }}
* {{ box-sizing: border-box; }}
body {{ margin: 0; color: var(--ink); background: #fff; line-height: 1.45;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }}
header.top, main, footer {{ max-width: 1040px; margin: 0 auto; padding: 0 24px; }}
header.top {{ padding-top: 24px; }}
h1 {{ font-size: 1.7em; margin: 0.2em 0; }}
h2 {{ font-size: 1.35em; border-bottom: 1px solid var(--line); padding-bottom: 4px; margin-top: 2em; }}
h3 {{ font-size: 1.1em; margin: 1.2em 0 0.4em; }}
h4 {{ font-size: 0.95em; margin: 0.9em 0 0.3em; color: var(--muted); text-transform: uppercase;
  letter-spacing: 0.03em; }}
a {{ color: #0969da; }}
nav.toc {{ background: var(--bg-soft); border: 1px solid var(--line); border-radius: 8px;
  padding: 8px 16px; margin: 16px auto; max-width: 992px; }}
nav.toc ul {{ margin: 4px 0; padding-left: 20px; }}
.note {{ background: #fff8c5; border: 1px solid #e3c96b; border-radius: 6px; padding: 8px 12px; }}
.muted, .meta {{ color: var(--muted); font-size: 0.9em; }}
ul.claims {{ list-style: none; padding-left: 0; margin: 0.3em 0; }}
li.claim {{ margin: 0.35em 0; padding-left: 0.2em; }}
.badge {{ display: inline-block; font-size: 0.78em; font-weight: 600; border-radius: 10px;
  padding: 1px 8px; margin-right: 6px; border: 1px solid; white-space: nowrap; }}
.badge-supported {{ color: var(--ok); border-color: var(--ok); background: #dafbe1; }}
.badge-assumption {{ color: var(--bad); border-color: var(--bad); background: #ffebe9; }}
.badge-secondhand {{ color: var(--second); border-color: var(--second); background: #fbefff; }}
.support {{ color: var(--muted); font-size: 0.88em; }}
.refs a {{ font-size: 0.8em; text-decoration: none; margin-left: 2px; }}
.pre {{ white-space: pre-wrap; display: block; margin: 4px 0 4px 12px; }}
.cards {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(460px, 1fr)); gap: 16px; }}
.card {{ border: 1px solid var(--line); border-radius: 10px; overflow: hidden; background: #fff;
  break-inside: avoid; }}
.card > header {{ background: {CARD_HEADER}; color: #fff; padding: 12px 16px; }}
.card > header h3 {{ margin: 0; font-size: 1.2em; }}
.card > header .meta {{ color: #d8e2ee; }}
.card > header a {{ color: #cfe3ff; }}
.card .body {{ padding: 4px 16px 12px; }}
.warning {{ color: var(--warn); }}
table {{ border-collapse: collapse; margin: 8px 0; font-size: 0.92em; }}
th, td {{ border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }}
th {{ background: var(--bg-soft); }}
.legend span {{ display: inline-block; margin-right: 14px; font-size: 0.88em; }}
.legend i {{ display: inline-block; width: 11px; height: 11px; margin-right: 4px;
  vertical-align: -1px; border-radius: 2px; }}
svg.chart {{ max-width: 100%; height: auto; }}
svg.chart text {{ font: 12px system-ui, sans-serif; fill: var(--ink); }}
article.quote {{ border-left: 4px solid var(--line); padding: 4px 12px; margin: 12px 0; }}
article.quote.verified {{ border-left-color: var(--ok); }}
article.quote.unverified {{ border-left-color: var(--bad); }}
article.quote:target {{ background: #fff8c5; }}
blockquote {{ margin: 4px 0; font-style: italic; }}
.context {{ background: var(--bg-soft); border-radius: 6px; padding: 4px 10px; margin: 6px 0;
  font-size: 0.92em; }}
.turn {{ margin: 4px 0; }}
.turn .who {{ font-weight: 600; margin-right: 6px; }}
.turn.interviewer {{ color: var(--muted); }}
mark {{ background: #fff1a8; padding: 0 1px; }}
footer {{ color: var(--muted); font-size: 0.85em; padding: 24px; border-top: 1px solid var(--line);
  margin-top: 32px; }}
body:has(.solo:target) header.top, body:has(.solo:target) nav.toc,
body:has(.solo:target) footer, body:has(.solo:target) main > section:not(:has(.solo:target)),
body:has(.solo:target) main > section > :not(.cards),
body:has(.solo:target) .cards > .card:not(:has(.solo:target)) {{ display: none; }}
body:has(.solo:target) .cards {{ display: block; padding-top: 16px; }}
@media print {{ nav.toc, .solo-link {{ display: none; }} a {{ color: inherit; }}
  h2 {{ break-after: avoid; }} }}
"""


def document(title: str, body: Sequence[str]) -> str:
    """The whole HTML file: head with the inline style sheet, then ``body``'s parts."""
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<meta name="generator" content="Persona Assistant">',
            f"<title>{escape(title)}</title>",
            f"<style>{STYLE}</style>",
            "</head>",
            "<body>",
            *body,
            "</body>",
            "</html>",
            "",
        ]
    )
