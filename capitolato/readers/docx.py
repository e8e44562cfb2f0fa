"""Word (.docx) reader, with python-docx: body paragraphs and tables in order, bold runs, lists, merged cells.

Positions: `paragraph` counts the body's paragraphs and tables from 1 (the same count `audit.annotate` uses to
anchor comments); `page` follows the page breaks Word recorded when it last laid the document out
(`w:lastRenderedPageBreak`) and the explicit ones, and is left empty when the file records neither.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from capitolato.document.model import Block, Cell, Column, Document, Inline, LineBreak, Paragraph, Position, Table, Text
from capitolato.readers import document_error
from capitolato.readers.blocks import ListItem, group_lists, text_block

NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HEADING_STYLE = re.compile(r"^(?:heading|titolo|intestazione)\s*(\d)$", re.IGNORECASE)
TOC_STYLE = re.compile(r"^(?:toc|sommario|indice)\s*\d", re.IGNORECASE)
PAGE_BREAKS = ".//w:lastRenderedPageBreak|.//w:br[@w:type='page']"


def _xpath(element: Any, expression: str) -> list[Any]:
    """XPath with the w: prefix on any element (python-docx's own and plain lxml ones alike)."""
    from lxml import etree

    return etree._Element.xpath(element, expression, namespaces=NS)


def read_docx(path: Path) -> Document:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        word = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise document_error(path, f"il file Word non si può aprire ({type(exc).__name__})",
                             "è un .docx valido? un .doc va prima salvato come .docx") from None
    reader = _Reader(word)
    items = list(reader.blocks())
    title = next((b.inlines[0].text for b in items if not isinstance(b, ListItem) and hasattr(b, "level")), path.stem)
    return Document("letto", title, group_lists(items), source=str(path))


def body_elements(word: Any) -> Iterator[Any]:
    """The body's paragraphs and tables in reading order, content controls opened: what `paragraph` counts."""
    yield from _flatten(word.element.body)


def _flatten(parent: Any) -> Iterator[Any]:
    for child in parent.iterchildren():
        if child.tag in (f"{W}p", f"{W}tbl"):
            yield child
        elif child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from _flatten(content)


class _Reader:
    def __init__(self, word: Any) -> None:
        self.word = word
        self.page: int | None = 1 if _xpath(word.element.body, PAGE_BREAKS) else None
        self.ordered = _ordered_numberings(word)

    def blocks(self) -> Iterator[Block | ListItem]:
        from docx.table import Table as DocxTable
        from docx.text.paragraph import Paragraph as DocxParagraph

        for index, element in enumerate(body_elements(self.word), start=1):
            position = Position(paragraph=index, page=self.page)
            if element.tag == f"{W}tbl":
                yield _table(DocxTable(element, self.word._body), position)
            else:
                block = self._paragraph(DocxParagraph(element, self.word._body), position)
                if block is not None:
                    yield block
            if self.page is not None:
                self.page += len(_xpath(element, PAGE_BREAKS))

    def _paragraph(self, paragraph: Any, position: Position) -> Block | ListItem | None:
        inlines = paragraph_inlines(paragraph)
        if not "".join(n.text for n in inlines if isinstance(n, Text)).strip():
            return None
        if TOC_STYLE.match(paragraph.style.name or ""):
            return None
        level = _styled_level(paragraph)
        num_id = _num_id(paragraph)
        if level is None and num_id is not None:
            return ListItem(Paragraph(inlines, position=position), ordered=num_id in self.ordered)
        return text_block(inlines, position, styled_level=level)


def paragraph_inlines(paragraph: Any) -> tuple[Inline, ...]:
    """Runs (hyperlinks' too) as Text with their effective bold and italic; line breaks kept."""
    from docx.text.hyperlink import Hyperlink

    style_bold = _style_flag(paragraph.style, "bold")
    style_italic = _style_flag(paragraph.style, "italic")
    inlines: list[Inline] = []
    for item in paragraph.iter_inner_content():
        runs = item.runs if isinstance(item, Hyperlink) else [item]
        for run in runs:
            bold = _run_flag(run, "bold", style_bold)
            italic = _run_flag(run, "italic", style_italic)
            for piece in re.split(r"(\n)", run.text):
                if piece == "\n":
                    inlines.append(LineBreak())
                elif piece:
                    inlines.append(Text(piece.replace("\t", " "), bold=bold, italic=italic))
    return tuple(inlines)


def _run_flag(run: Any, name: str, inherited: bool) -> bool:
    value = getattr(run, name)
    if value is None and run.style is not None:
        value = _style_flag(run.style, name) or None
    return inherited if value is None else bool(value)


def _style_flag(style: Any, name: str) -> bool:
    while style is not None:
        value = getattr(style.font, name)
        if value is not None:
            return bool(value)
        style = style.base_style
    return False


def _styled_level(paragraph: Any) -> int | None:
    style = paragraph.style
    while style is not None:
        match = HEADING_STYLE.match(style.name or "")
        if match:
            return int(match.group(1))
        if (style.name or "").lower() in ("title", "titolo"):
            return 1
        style = style.base_style
    return None


def _num_id(paragraph: Any) -> str | None:
    found = _xpath(paragraph._p, "./w:pPr/w:numPr/w:numId/@w:val")
    return found[0] if found and found[0] != "0" else None


def _ordered_numberings(word: Any) -> set[str]:
    """The numbering ids whose first level counts (decimal, letters, roman) rather than bullets."""
    try:
        numbering = word.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return set()
    ordered_abstract = {a.get(f"{W}abstractNumId") for a in numbering.iterfind(f"{W}abstractNum")
                        if (_xpath(a, "./w:lvl[@w:ilvl='0']/w:numFmt/@w:val") or ["bullet"])[0] != "bullet"}
    return {n.get(f"{W}numId") for n in numbering.iterfind(f"{W}num")
            if (_xpath(n, "./w:abstractNumId/@w:val") or [None])[0] in ordered_abstract}


def _table(table: Any, position: Position) -> Table:
    """Rows of cells on the grid; a vertical merge's covered slots are continuations, the first row is the header."""
    from docx.text.paragraph import Paragraph as DocxParagraph

    rows: list[list[Cell]] = []
    for tr in table._tbl.iterfind(f"{W}tr"):
        col, row = 0, []
        for tc in tr.iterfind(f"{W}tc"):
            span = int((_xpath(tc, "./w:tcPr/w:gridSpan/@w:val") or ["1"])[0])
            merge = _xpath(tc, "./w:tcPr/w:vMerge")
            continuation = bool(merge) and merge[0].get(f"{W}val") in (None, "continue")
            inlines: list[Inline] = []
            for p in tc.iterfind(f"{W}p"):
                if inlines:
                    inlines.append(LineBreak())
                inlines.extend(paragraph_inlines(DocxParagraph(p, table._parent)))
            bold = bool(inlines) and all(n.bold for n in inlines if isinstance(n, Text) and n.text.strip())
            row.append(Cell(tuple(inlines), col, colspan=span, bold=bold, continuation=continuation))
            col += span
        rows.append(row)
    rows = _with_rowspans(rows)
    width = max((c.col + c.colspan for row in rows for c in row), default=0)
    header = rows[0] if rows else []
    titles = {c.col: c.inlines for c in header}
    columns = tuple(Column(titles.get(i, ())) for i in range(width))
    return Table(columns, tuple(tuple(r) for r in rows[1:]), position=position)


def _with_rowspans(rows: list[list[Cell]]) -> list[list[Cell]]:
    """Each merge's first cell gets the number of rows it covers."""
    from dataclasses import replace

    for r, row in enumerate(rows):
        for i, cell in enumerate(row):
            if cell.continuation:
                continue
            span = 1
            while r + span < len(rows) and any(c.col == cell.col and c.continuation for c in rows[r + span]):
                span += 1
            if span > 1:
                row[i] = replace(cell, rowspan=span)
    return rows
