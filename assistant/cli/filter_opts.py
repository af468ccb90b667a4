"""The interview filter options every listing command shares (see assistant.selection)."""

from __future__ import annotations

from typing import Annotated

import typer

from assistant.selection import InterviewFilter

PANEL = "Filter interviews"

Company = Annotated[
    str | None,
    typer.Option("--company", help="Only this account (any spelling).", rich_help_panel=PANEL),
]
Industry = Annotated[
    str | None,
    typer.Option(
        "--industry", help="Only accounts whose industry says this.", rich_help_panel=PANEL
    ),
]
Segment = Annotated[
    str | None,
    typer.Option(
        "--segment",
        help="Only accounts in this segment (see `persona segments`).",
        rich_help_panel=PANEL,
    ),
]
Role = Annotated[
    str | None,
    typer.Option(
        "--role",
        help="Only interviews with this DMU role (champion, economic_buyer, technical_buyer, "
        "end_user, other).",
        rich_help_panel=PANEL,
    ),
]
Tag = Annotated[
    str | None, typer.Option("--tag", help="Only interviews with this tag.", rich_help_panel=PANEL)
]


def make_filter(
    company: str | None,
    industry: str | None,
    segment: str | None,
    role: str | None,
    tag: str | None,
) -> InterviewFilter:
    """The filter the options ask for."""
    return InterviewFilter(company=company, industry=industry, segment=segment, role=role, tag=tag)
