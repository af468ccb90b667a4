"""Persona cards, messaging documents and the themes page."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from assistant.export.data import ExportData
from assistant.export.markdown.parts import (
    Footnotes,
    field_lines,
    field_title,
    inline,
    item_doc,
    item_header,
)
from assistant.review import ReviewItem


def persona_role(item: ReviewItem) -> str:
    """The persona's DMU role: its dmu_role (or role) claim, else the role in its key."""
    for name in ("dmu_role", "role"):
        claims = item.fields.get(name)
        if claims:
            return claims[0].text
    parts = item.key.split(":")  # persona:ROLE[:VARIANT]
    return parts[1].replace("_", " ") if len(parts) > 1 else "—"


def persona_card(item: ReviewItem, data: ExportData) -> str:
    """A persona card: name, role, coverage, every field's claims with evidence."""
    head: list[str] = []
    cover = data.bundle.persona_coverage.get(item.key)
    if cover is not None:
        head += ["", f"**Covers:** {inline(cover['coverage'])}"]
        head += [f"> **Warning:** {inline(w)}" for w in cover["warnings"]]
    about = f"**Role:** {inline(persona_role(item))} · **Item:** `{item.id}`"
    return item_doc(item, data, about, head)


def messaging_doc(item: ReviewItem, data: ExportData, persona: str, role: str) -> str:
    """Messaging for one persona and DMU role; a message with no evidence is flagged."""
    about = (
        f"**Persona:** {inline(persona)} · **Role:** {inline(role.replace('_', ' '))} · "
        f"**Item:** `{item.id}`"
    )
    return item_doc(item, data, about)


def themes_doc(items: Sequence[ReviewItem], data: ExportData) -> str:
    notes = Footnotes(data, "evidence.md")
    lines = ["# Themes"]
    if not items:
        lines += ["", "_No themes yet: run `persona themes`._"]
    for item in items:
        lines += ["", f"## {inline(item.title)}", "", f"`{item.id}` · " + item_header(item)]
        for name, claims in item.fields.items():
            lines += field_lines(field_title(name), claims, notes, "###")
    lines += notes.render()
    return "\n".join(lines) + "\n"


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
