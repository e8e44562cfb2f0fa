"""OpenDocument text (.odt) reader: content.xml read directly with lxml (already installed with python-docx).

An .odt is a zip whose content.xml has few, well-specified elements for what an audit needs (text:h with its
outline level, text:p, text:list, table:table, text:soft-page-break where the last layout broke pages), so a small
reader does the job without odfpy (unmaintained since 2020) or a LibreOffice conversion (slow, and absent on many
machines). Bold comes from the automatic and named styles (fo:font-weight).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from capitolato.document.model import Block, Cell, Column, Document, Inline, LineBreak, Paragraph, Position, Table, Text
from capitolato.readers import document_error
from capitolato.readers.blocks import ListItem, group_lists, text_block

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
}
TEXT, TABLE, STYLE, FO = (f"{{{NS[k]}}}" for k in ("text", "table", "style", "fo"))


def read_odt(path: Path) -> Document:
    from lxml import etree

    try:
        with zipfile.ZipFile(path) as archive:
            content = etree.fromstring(archive.read("content.xml"))
            styles = etree.fromstring(archive.read("styles.xml")) if "styles.xml" in archive.namelist() else None
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as exc:
        raise document_error(path, f"il file OpenDocument non si può aprire ({type(exc).__name__})",
                             "è un .odt valido?") from None
    body = content.find("office:body/office:text", NS)
    if body is None:
        raise document_error(path, "il file OpenDocument non contiene un documento di testo")
    reader = _Reader(_bold_styles(content, styles), bool(body.findall(".//text:soft-page-break", NS)))
    items = list(reader.blocks(body))
    title = next((b.inlines[0].text for b in items if not isinstance(b, ListItem) and hasattr(b, "level")), path.stem)
    return Document("letto", title, group_lists(items), source=str(path))


def _bold_styles(*roots: Any) -> set[str]:
    """Names of the text and paragraph styles that set bold (their children inherit it)."""
    bold: set[str] = set()
    parents: dict[str, str] = {}
    for root in roots:
        if root is None:
            continue
        for style in root.iterfind(".//style:style", NS):
            name = style.get(f"{STYLE}name")
            if style.get(f"{STYLE}parent-style-name"):
                parents[name] = style.get(f"{STYLE}parent-style-name")
            props = style.find("style:text-properties", NS)
            if props is not None and props.get(f"{FO}font-weight") in ("bold", "700", "800", "900"):
                bold.add(name)
    changed = True
    while changed:
        changed = False
        for name, parent in parents.items():
            if parent in bold and name not in bold:
                bold.add(name)
                changed = True
    return bold


class _Reader:
    def __init__(self, bold: set[str], paged: bool) -> None:
        self.bold = bold
        self.page: int | None = 1 if paged else None
        self.index = 0

    def blocks(self, parent: Any) -> Iterator[Block | ListItem]:
        for element in parent:
            tag = element.tag
            if tag == f"{TEXT}soft-page-break":
                self._turn_page()
            elif tag in (f"{TEXT}p", f"{TEXT}h"):
                block = self._paragraph(element)
                if block is not None:
                    yield block
            elif tag == f"{TEXT}list":
                yield from self._list(element)
            elif tag == f"{TABLE}table":
                self.index += 1
                yield self._table(element)
            elif tag == f"{TEXT}section":
                yield from self.blocks(element)

    def _turn_page(self) -> None:
        if self.page is not None:
            self.page += 1

    def _position(self) -> Position:
        self.index += 1
        return Position(paragraph=self.index, page=self.page)

    def _paragraph(self, element: Any) -> Block | None:
        position = self._position()
        if element.find(".//text:soft-page-break", NS) is not None:
            self._turn_page()
        inlines = self._inlines(element, element.get(f"{TEXT}style-name") in self.bold)
        if not "".join(n.text for n in inlines if isinstance(n, Text)).strip():
            return None
        level = int(element.get(f"{TEXT}outline-level", "1")) if element.tag == f"{TEXT}h" else None
        return text_block(inlines, position, styled_level=level)

    def _list(self, element: Any) -> Iterator[Block | ListItem]:
        for item in element.iterfind("text:list-item", NS):
            for child in item:
                if child.tag == f"{TEXT}list":
                    yield from self._list(child)
                elif child.tag in (f"{TEXT}p", f"{TEXT}h"):
                    position = self._position()
                    inlines = self._inlines(child, child.get(f"{TEXT}style-name") in self.bold)
                    if inlines:
                        yield ListItem(Paragraph(inlines, position=position), ordered=False)

    def _inlines(self, element: Any, bold: bool) -> tuple[Inline, ...]:
        inlines: list[Inline] = []
        self._collect(element, bold, inlines)
        return tuple(inlines)

    def _collect(self, element: Any, bold: bool, inlines: list[Inline]) -> None:
        if element.text:
            inlines.append(Text(element.text, bold=bold))
        for child in element:
            tag = child.tag
            if tag == f"{TEXT}line-break":
                inlines.append(LineBreak())
            elif tag in (f"{TEXT}s", f"{TEXT}tab"):
                inlines.append(Text(" " * int(child.get(f"{TEXT}c", "1")), bold=bold))
            elif tag == f"{TEXT}span" or tag == f"{TEXT}a":
                self._collect(child, bold or child.get(f"{TEXT}style-name") in self.bold, inlines)
            elif tag not in (f"{TEXT}note", f"{TEXT}soft-page-break"):
                self._collect(child, bold, inlines)
            if child.tail:
                inlines.append(Text(child.tail, bold=bold))

    def _table(self, element: Any) -> Table:
        position = Position(paragraph=self.index, page=self.page)
        rows: list[tuple[Cell, ...]] = []
        for tr in element.iterfind(".//table:table-row", NS):
            col, row = 0, []
            for tc in tr:
                if tc.tag not in (f"{TABLE}table-cell", f"{TABLE}covered-table-cell"):
                    continue
                span = int(tc.get(f"{TABLE}number-columns-spanned", "1"))
                inlines: list[Inline] = []
                for p in tc.iterfind("text:p", NS):
                    if inlines:
                        inlines.append(LineBreak())
                    inlines.extend(self._inlines(p, p.get(f"{TEXT}style-name") in self.bold))
                row.append(Cell(tuple(inlines), col, colspan=span, rowspan=int(tc.get(f"{TABLE}number-rows-spanned", "1")),
                                continuation=tc.tag == f"{TABLE}covered-table-cell"))
                col += 1
            rows.append(tuple(row))
        header = rows[0] if rows else ()
        return Table(tuple(Column(cell.inlines) for cell in header), tuple(rows[1:]), position=position)
