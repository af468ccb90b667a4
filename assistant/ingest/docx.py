"""Word documents (.docx), read with python-docx.

Paragraphs and table rows are read in document order and then parsed like
plain text: ``Name: text`` labels (bold or not: run formatting is ignored, the
label is the text before the colon). A table row becomes ``first cell: other
cells``, which covers the common speaker | text table layout. Each paragraph
is followed by a blank line, so notes keep one paragraph per turn. Paragraphs in a
Title or Heading style become Markdown headings (the first is the title).
Without recognisable labels the document is interviewer notes.
"""

from __future__ import annotations

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


def _paragraph_lines(paragraph: Paragraph) -> list[str]:
    text = paragraph.text.strip()
    if not text:
        return [""]
    style = paragraph.style.name if paragraph.style is not None else ""
    if style and (style == "Title" or style.startswith("Heading")):
        return ["", f"# {' '.join(text.split())}", ""]
    return [*text.split("\n"), ""]


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
