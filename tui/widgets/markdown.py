"""Markdown for one review item (copy and export); no Textual here."""

from __future__ import annotations

import re
from collections.abc import Mapping

from assistant.review import ReviewItem
from assistant.wording import count


def field_label(field: str, titles: Mapping[str, str] | None = None) -> str:
    """A field's heading: its title when given, else the name in words."""
    if titles and field in titles:
        return titles[field]
    return field.replace("_", " ").capitalize()


def item_markdown(item: ReviewItem) -> str:
    """The item as Markdown: title, status, and each field's claims with their quotes."""
    lines = [f"# {item.title}", "", f"Status: {item.status} · `{item.key}`", ""]
    for name, claims in item.fields.items():
        lines += [f"## {field_label(name)}", ""]
        for claim in claims:
            badge = {"supported": "", "secondhand": f" *({claim.secondhand_label})*"}.get(
                claim.status, " *(assumption)*"
            )
            support = claim.support
            lines.append(
                f"- {claim.text}{badge} — {count(support.interviews, 'interview')}, "
                f"{count(support.accounts, 'account')}"
            )
            for link in claim.evidence:
                if link.quote:
                    who = link.speaker_name or link.speaker or "unknown speaker"
                    lines.append(f"  - > “{link.quote}” — {who}, {link.interview_id}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def export_name(item: ReviewItem) -> str:
    """A file name for the item's export, from its key."""
    slug = re.sub(r"[^a-z0-9]+", "-", item.key.casefold()).strip("-")
    return f"{slug or item.id}.md"
