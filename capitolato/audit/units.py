"""The searchable pieces of a read document: paragraphs, headings, list items and table rows, each with its place."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from capitolato.document.model import Document, Heading, ListBlock, Position, Table, plain_text, walk

SENTENCE_BREAK = re.compile(r"(?<=[.;!?])\s+(?=[A-ZÀ-ÖØ-Ý«\"(])")


@dataclass(frozen=True)
class Unit:
    """One piece of text; `section` is the heading it falls under (number and title), for the report."""

    text: str
    position: Position
    section: str | None = None
    heading: bool = False
    table_row: bool = False


def units(document: Document) -> Iterator[Unit]:
    section: str | None = None
    for block in walk(document.blocks):
        position = getattr(block, "position", None) or Position()
        if isinstance(block, ListBlock):
            continue
        if isinstance(block, Heading):
            text = " ".join(part for part in (block.number, plain_text(block.inlines)) if part)
            section = text
            yield Unit(text, position, section, heading=True)
        elif isinstance(block, Table):
            yield from _rows(block, position, section)
        elif hasattr(block, "inlines"):
            text = " ".join(plain_text(block.inlines).split())
            if text:
                yield Unit(text, position, section)


def _rows(table: Table, position: Position, section: str | None) -> Iterator[Unit]:
    header = " | ".join(" ".join(plain_text(c.title).split()) for c in table.columns)
    if header.strip(" |"):
        yield Unit(header, position, section, table_row=True)
    for row in table.rows:
        cells = [" ".join(plain_text(cell.inlines).split()) for cell in row if not cell.continuation]
        text = " | ".join(cells)
        if text.strip(" |"):
            yield Unit(text, position, section, table_row=True)


def sentence_at(text: str, offset: int) -> str:
    """The sentence of `text` that holds `offset` (table rows and short texts are one sentence)."""
    start = 0
    for match in SENTENCE_BREAK.finditer(text):
        if match.start() >= offset:
            return text[start:match.start()].strip()
        start = match.end()
    return text[start:].strip()
