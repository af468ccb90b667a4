"""Inline SVG bar charts of how often each theme comes up (no script, no image files)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assistant.export.html.claims import esc
from assistant.wording import count

PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#999933", "#555555")
"""Okabe–Ito colours (readable with colour blindness), then olive and grey."""
WIDTH, LABEL_W, BAR_H, GAP, GROUP_GAP = 760, 280, 12, 2, 12
LABEL_CHARS = 40


@dataclass
class Row:
    """One theme: its label, where it links, and a count per key (a role, a segment)."""

    label: str
    href: str
    values: Mapping[str, int]


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def bar_chart(title: str, rows: Sequence[Row], keys: Sequence[str], unit: str) -> str:
    """Grouped horizontal bars: per row, one bar per key with a value, labelled with its count.

    ``keys`` name the bars (a legend shows their colours); ``unit`` is the
    counted noun (``interview``).
    """
    if not rows:
        return '<p class="muted">No themes to chart yet.</p>'
    colour = {k: PALETTE[i % len(PALETTE)] for i, k in enumerate(keys)}
    top = max((v for r in rows for v in r.values.values()), default=0) or 1
    scale = (WIDTH - LABEL_W - 60) / top
    parts: list[str] = []
    y = 4
    for row in rows:
        bars = [(k, row.values[k]) for k in keys if row.values.get(k)]
        height = max(len(bars), 1) * (BAR_H + GAP)
        parts.append(
            f'<a href="#{esc(row.href)}"><text x="0" y="{y + height / 2 + 4:.0f}">'
            f"<title>{esc(row.label)}</title>{esc(_short(row.label))}</text></a>"
        )
        for i, (key, value) in enumerate(bars):
            by = y + i * (BAR_H + GAP)
            w = max(value * scale, 2)
            parts.append(
                f'<rect x="{LABEL_W}" y="{by}" width="{w:.1f}" height="{BAR_H}" '
                f'fill="{colour[key]}"><title>{esc(row.label)} — {esc(key)}: '
                f"{esc(count(value, unit))}</title></rect>"
                f'<text x="{LABEL_W + w + 4:.1f}" y="{by + BAR_H - 2}">{value}</text>'
            )
        y += height + GROUP_GAP
    legend = "".join(f'<span><i style="background:{colour[k]}"></i>{esc(k)}</span>' for k in keys)
    return (
        f"<figure><figcaption><strong>{esc(title)}</strong></figcaption>"
        f'<div class="legend">{legend}</div>'
        f'<svg class="chart" role="img" '
        f'aria-label="{esc(title)}" width="{WIDTH}" height="{y}" viewBox="0 0 {WIDTH} {y}">'
        + "".join(parts)
        + "</svg></figure>"
    )
