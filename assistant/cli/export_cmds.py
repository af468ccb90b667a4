"""`persona export`: persona cards, the ICP one-pager, messaging, evidence: Markdown, JSON,
CSV and a self-contained HTML report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from assistant.cli import filter_opts as F
from assistant.cli.root import JsonOption, app, emit_json, info, open_workspace
from assistant.wording import count


@app.command("export")
def export_cmd(
    formats: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="md, json, csv, html or all (repeat or comma-separate; default: all).",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            metavar="DIR",
            help="Folder to write (default: the workspace's exports/).",
        ),
    ] = None,
    bom: Annotated[
        bool, typer.Option("--bom", help="Start CSV files with a UTF-8 BOM (for Excel).")
    ] = False,
    company: F.Company = None,
    industry: F.Industry = None,
    segment: F.Segment = None,
    role: F.Role = None,
    tag: F.Tag = None,
    redact: Annotated[
        bool,
        typer.Option(
            "--redact",
            help="Replace emails, phones, card/ID numbers, addresses and known names with "
            "placeholders (for sharing outside the team).",
        ),
    ] = False,
    private: Annotated[
        bool | None,
        typer.Option(
            "--private/--no-private",
            help="Files readable by you only (0600); default: [export] private, else 0644.",
        ),
    ] = None,
    json_out: JsonOption = False,
) -> None:
    """Export drafts and evidence: Markdown pages, a JSON bundle, CSV tables and an HTML report.

    Overwrites the export's own files in the folder and never deletes others;
    a file in the way that an earlier export did not write stops the export.
    """
    from assistant.export import (
        collect_export_data,
        parse_formats,
        private_exports,
        write_export,
    )

    chosen = parse_formats(formats)
    ws = open_workspace()
    flt = F.make_filter(company, industry, segment, role, tag)
    data = collect_export_data(ws, flt)
    if flt.active:
        info(
            f"exporting {count(len(data.bundle.interviews), 'interview')} matching {flt.describe()}"
        )
    out_dir = out if out is not None else ws.exports_dir
    redactor = None
    if redact:
        from assistant.privacy import workspace_redactor

        redactor = workspace_redactor(ws.conn)
    if private is None:
        private = private_exports(ws)
    files = write_export(data, chosen, out_dir, bom=bom, redactor=redactor, private=private)
    empty = data.empty_parts()
    if json_out:
        emit_json(
            {
                "out_dir": str(out_dir.resolve()),
                "formats": chosen,
                "files": [str(p) for p in files],
                "empty": empty,
            }
        )
        return
    for path in files:
        typer.echo(str(path))
    for line in empty:
        info(f"empty: {line}")
    info(f"wrote {count(len(files), 'file')} ({', '.join(chosen)}) to {out_dir.resolve()}")
