"""`persona export`: Markdown, JSON, CSV and HTML exports of a workspace.

- ``md``: persona cards, the one-page ICP, messaging per persona and role,
  themes, the evidence appendix and an index (:mod:`.markdown`);
- ``json``: ``export.json``, which round-trips through the models (:mod:`.json_export`);
- ``csv``: ``insights.csv`` and ``claims.csv`` (:mod:`.csv_export`);
- ``html``: ``report.html``, one self-contained page to share (:mod:`.html`).

Output is deterministic for the same workspace, secrets in the environment
are never written, files that are not the export's own are never touched,
and files are readable by others (0644) unless private (:mod:`.writer`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from assistant.errors import UsageError
from assistant.export.csv_export import render_csv
from assistant.export.data import ExportBundle, ExportData, collect_export_data
from assistant.export.html import HTML_FILE, render_html
from assistant.export.json_export import JSON_FILE, load_bundle, render_json
from assistant.export.markdown import render_markdown
from assistant.export.writer import write_files
from assistant.privacy import Redactor
from assistant.workspace import Workspace

FORMATS: tuple[str, ...] = ("md", "json", "csv", "html")


def parse_formats(values: Iterable[str] | None) -> list[str]:
    """Formats from ``--format`` values (repeated, comma-separated or ``all``); default all."""
    chosen: list[str] = []
    for value in values or ["all"]:
        for part in value.split(","):
            name = part.strip().lower()
            if name == "all":
                chosen.extend(FORMATS)
            elif name in FORMATS:
                chosen.append(name)
            else:
                raise UsageError(
                    f"unknown export format {part.strip()!r}: use md, json, csv, html or all"
                )
    return [f for f in FORMATS if f in chosen]


def write_export(
    data: ExportData,
    formats: Iterable[str],
    out_dir: Path,
    *,
    bom: bool = False,
    redactor: Redactor | None = None,
    private: bool = False,
) -> list[Path]:
    """Write ``data`` in ``formats`` under ``out_dir``; return the written files, sorted.

    ``bom``: start the CSV files with a UTF-8 byte-order mark (for Excel).
    ``redactor`` (`persona export --redact`): every file's text with PII and
    known names replaced by placeholders, for sharing outside the team.
    ``private``: files readable by you only (0600) instead of 0644.
    """
    chosen = parse_formats(formats)

    def text(t: str) -> bytes:
        return (redactor.redact(t) if redactor is not None else t).encode("utf-8")

    files: dict[str, dict[str, bytes]] = {}
    if "json" in chosen:
        files["json"] = {p: text(t) for p, t in render_json(data).items()}
    if "csv" in chosen:
        prefix = "\ufeff" if bom else ""
        files["csv"] = {p: prefix.encode("utf-8") + text(t) for p, t in render_csv(data).items()}
    if "html" in chosen:
        files["html"] = {p: text(t) for p, t in render_html(data).items()}
    if "md" in chosen:
        others = sorted(p for fmt in files.values() for p in fmt)
        files["md"] = {p: text(t) for p, t in render_markdown(data, others).items()}
    return write_files(out_dir, files, private=private)


def private_exports(ws: Workspace) -> bool:
    """Whether the workspace asks for private export files (``[export] private``)."""
    from assistant.settings import load_settings

    return load_settings(ws.config_data()).export.private


def export_workspace(
    ws: Workspace, formats: Iterable[str], out_dir: Path | None = None, *, bom: bool = False
) -> list[Path]:
    """Export the workspace (default folder: its ``exports/``); return the written files."""
    chosen = parse_formats(formats)
    return write_export(
        collect_export_data(ws),
        chosen,
        out_dir or ws.exports_dir,
        bom=bom,
        private=private_exports(ws),
    )


__all__ = [
    "FORMATS",
    "HTML_FILE",
    "JSON_FILE",
    "ExportBundle",
    "ExportData",
    "collect_export_data",
    "export_workspace",
    "load_bundle",
    "parse_formats",
    "private_exports",
    "render_html",
    "write_export",
]
