"""The typed document: what assembly produces, what readers of Word/PDF files produce, what renderers and rules read.

One model between every reader and every writer (as in pandoc): a document is a flat sequence of blocks — headings,
paragraphs, lists, tables, figures — whose inline content is runs of text, cross-references and placeholders. A value
that comes from the spec is a `Text` with its `origin` (the dotted spec path), never markup: whatever characters it
holds, every renderer writes it as text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

Script = Literal["sub", "super"]
ParagraphStyle = Literal["normal", "quote", "code"]
Align = Literal["left", "center", "right", "justify"]


@dataclass(frozen=True)
class Position:
    """Where a node was found in a document that was read (page and paragraph count from 1)."""

    paragraph: int | None = None
    page: int | None = None
    line: int | None = None


@dataclass(frozen=True)
class Text:
    text: str
    bold: bool = False
    italic: bool = False
    script: Script | None = None
    origin: str | None = None


@dataclass(frozen=True)
class Reference:
    """A cross-reference to another article of the same document, by section key; `text` is the resolved wording."""

    section: str
    text: str = ""
    resolved: bool = False


@dataclass(frozen=True)
class Placeholder:
    """A value still to be written by the officer («DA COMPLETARE …»): its own node, so rules and drafts can find it."""

    text: str
    origin: str | None = None


@dataclass(frozen=True)
class LineBreak:
    pass


Inline = Text | Reference | Placeholder | LineBreak


@dataclass(frozen=True)
class Paragraph:
    inlines: tuple[Inline, ...]
    style: ParagraphStyle = "normal"
    position: Position | None = None


@dataclass(frozen=True)
class Heading:
    """A heading; `number` is its numbering as printed («5», «Art. 5», «II.1)»), `section` the key of a generated one,
    `origin` the spec path of the clause use whose text follows it («clausole.3»)."""

    level: int
    inlines: tuple[Inline, ...]
    number: str | None = None
    section: str | None = None
    position: Position | None = None
    origin: str | None = None


@dataclass(frozen=True)
class ListBlock:
    items: tuple[tuple[Block, ...], ...]
    ordered: bool = False
    start: int = 1
    position: Position | None = None


@dataclass(frozen=True)
class Column:
    """A table column: header, width in cm (None = share what the others leave), alignment."""

    title: tuple[Inline, ...]
    width_cm: float | None = None
    align: Align | None = None


@dataclass(frozen=True)
class Cell:
    """A grid slot at `col`; `continuation` marks the slots covered by a vertical merge from above."""

    inlines: tuple[Inline, ...]
    col: int
    rowspan: int = 1
    colspan: int = 1
    bold: bool = False
    continuation: bool = False


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    total: tuple[Cell, ...] | None = None
    caption: str = ""
    position: Position | None = None


@dataclass(frozen=True)
class Figure:
    """An image with its text alternative: `svg` for vector outputs, `png` for the others."""

    alt: str
    caption: str = ""
    svg: bytes | None = None
    png: bytes | None = None
    width_cm: float = 15.0
    position: Position | None = None


Block = Paragraph | Heading | ListBlock | Table | Figure


@dataclass(frozen=True)
class Document:
    """One document: `kind` is the document type key (capitolato-speciale, disciplinare, …) or «letto» for a read one."""

    kind: str
    title: str
    blocks: tuple[Block, ...]
    source: str | None = None
    articles: tuple[Heading, ...] = field(default=())


def plain_text(inlines: tuple[Inline, ...] | list[Inline]) -> str:
    """The text a reader sees, one string (line breaks as spaces)."""
    parts: list[str] = []
    for node in inlines:
        if isinstance(node, LineBreak):
            parts.append(" ")
        else:
            parts.append(node.text)
    return "".join(parts)


def walk(blocks: tuple[Block, ...] | list[Block]) -> Iterator[Block]:
    """Every block in reading order, list items' blocks included (tables and figures as one block each)."""
    stack = list(reversed(blocks))
    while stack:
        block = stack.pop()
        yield block
        if isinstance(block, ListBlock):
            for item in reversed(block.items):
                stack.extend(reversed(item))


def inline_runs(block: Block) -> Iterator[tuple[Inline, ...]]:
    """Each run of inline content of a block: a paragraph's, a heading's, every cell and header of a table."""
    if isinstance(block, Paragraph | Heading):
        yield block.inlines
    elif isinstance(block, Table):
        for column in block.columns:
            yield column.title
        for row in (*block.rows, *((block.total,) if block.total else ())):
            for cell in row:
                if not cell.continuation:
                    yield cell.inlines
    elif isinstance(block, Figure):
        yield (Text(block.alt),)


def text_of(document: Document) -> str:
    """The document's whole text, one line per run: what text rules search."""
    return "\n".join(plain_text(run) for block in walk(document.blocks) for run in inline_runs(block))
