"""`persona export`: write persona cards, the ICP one-pager, messaging, evidence, JSON and CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from assistant.cli import filter_opts as F
from assistant.cli.root import JsonOption, app, emit_json, info, open_workspace


@app.command("export")
def export_cmd(
    formats: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="md, json, csv or all (repeat or comma-separate; default: all).",
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
    json_out: JsonOption = False,
) -> None:
    """Export drafts and evidence: Markdown pages, a JSON bundle and CSV tables.

    Overwrites the export's own files in the folder and never deletes others.
    """
    from assistant.export import collect_export_data, parse_formats, write_export

    chosen = parse_formats(formats)
    ws = open_workspace()
    flt = F.make_filter(company, industry, segment, role, tag)
    data = collect_export_data(ws, flt)
    if flt.active:
        info(f"exporting {len(data.bundle.interviews)} interviews that match {flt.describe()}")
    out_dir = out if out is not None else ws.exports_dir
    redactor = None
    if redact:
        from assistant.privacy import workspace_redactor

        redactor = workspace_redactor(ws.conn)
    files = write_export(data, chosen, out_dir, bom=bom, redactor=redactor)
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
    info(f"wrote {len(files)} files ({', '.join(chosen)}) to {out_dir.resolve()}")
