"""Word documents (.docx), read with python-docx.

Paragraphs and table rows are read in document order as text lines, which
the text layouts then read like a Markdown file. A soft line break inside a
paragraph starts a new line (Otter and Teams put the header and the words in
one paragraph). A paragraph entirely in bold becomes ``**text**`` (a Q&A
document's questions), unless it starts with a ``Name:`` label or ends with a
timestamp (a bold label or Otter header reads the same either way); other run
formatting is ignored. A table row becomes ``first cell: other cells``, which
covers the common speaker | text table layout. Each paragraph is followed by
a blank line, so notes keep one paragraph per turn. Paragraphs in a Title or
Heading style become Markdown headings (the first is the title).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from assistant.errors import ParseError


def docx_lines(path: Path) -> list[str]:
    """The document's paragraphs and table rows as text lines."""
    try:
        document = Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ParseError(str(path), f"not a valid .docx (Word) file: {exc}") from None
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.extend(_paragraph_lines(block))
        elif isinstance(block, Table):
            lines.extend(_table_lines(block))
    return lines


_LABEL_OR_TIME = re.compile(r"^[^:]{1,40}:\s|\d:\d{2}\W*$")


def _all_bold(paragraph: Paragraph) -> bool:
    """Every run holding text is bold (directly, or through the paragraph's style)."""
    style_bold = bool(paragraph.style is not None and paragraph.style.font.bold)
    runs = [r for r in paragraph.runs if r.text.strip()]
    return bool(runs) and all(r.bold or (r.bold is None and style_bold) for r in runs)


def _paragraph_lines(paragraph: Paragraph) -> list[str]:
    text = paragraph.text.strip()
    if not text:
        return [""]
    style = paragraph.style.name if paragraph.style is not None else ""
    if style and (style == "Title" or style.startswith("Heading")):
        return ["", f"# {' '.join(text.split())}", ""]
    lines = [line.strip() for line in text.split("\n")]
    if _all_bold(paragraph):
        lines = [
            f"**{line}**" if line and not _LABEL_OR_TIME.search(line) else line for line in lines
        ]
    return [*lines, ""]


def _table_lines(table: Table) -> list[str]:
    lines: list[str] = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            value = " ".join(cell.text.split())
            if value and (not cells or cells[-1] != value):
                cells.append(value)
        if len(cells) >= 2:
            lines.append(f"{cells[0]}: {' '.join(cells[1:])}")
        elif cells:
            lines.append(cells[0])
    return lines
