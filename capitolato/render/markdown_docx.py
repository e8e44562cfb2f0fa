"""Render Markdown (CommonMark + pipe tables + ```tabella``` blocks) to a Word document.

The body is built directly as WordprocessingML with lxml on top of a
python-docx document opened from the reference: python-docx's per-paragraph
helpers (style lookup by name, ``Run.text``, ``row.cells``) are far too slow for
long tenders and cannot express merged, fixed-width, accessible tables.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from docx.document import Document as DocxDocument
from docx.image.exceptions import UnrecognizedImageError
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.text.paragraph import Paragraph
from lxml import etree
from markdown_it import MarkdownIt
from markdown_it.token import Token

from capitolato.fsutil import atomic_write_bytes
from capitolato.render.errors import LogoError
from capitolato.render.html_page import markdown_to_html
from capitolato.render.meta import DRAFT_NOTICE, DocumentMeta, italian_date
from capitolato.render.ooxml import (
    R_ID,
    W_HYPERLINK,
    W_KEEPNEXT,
    W_OUTLINELVL,
    W_PPR,
    W_VAL,
    add_break,
    add_field,
    add_text_run,
    cm_to_twips,
    new_paragraph,
    normalise_package,
    sub,
)
from capitolato.render.reference import load_reference, shipped_styles
from capitolato.render.tabella import Cell, Column, Tabella, parse_tabella, resolve_widths
from capitolato.render.toc import TocCollector
from capitolato.render.wordml import (
    ListNumbering,
    StyleMap,
    apply_core_properties,
    apply_language,
    apply_settings,
)

__all__ = ["markdown_to_docx", "markdown_to_docx_bytes", "markdown_to_html", "DocumentMeta"]

W_TBL = qn("w:tbl")
W_SECTPR = qn("w:sectPr")
DEFAULT_TEXT_WIDTH_TWIPS = 9072
_INLINE_SYNTAX = frozenset("*_`\\[]<>!&\n")
LINK_SCHEMES = ("http://", "https://", "mailto:")
_JC = {"left": "left", "center": "center", "right": "right", "justify": "both"}


def _parser() -> MarkdownIt:
    """CommonMark without raw HTML: spec values are data and must show up as typed."""
    return MarkdownIt("commonmark", {"html": False}).enable("table")


_MD = _parser()


def markdown_to_docx(markdown: str, out: Path, meta: DocumentMeta, reference: Path | None = None) -> None:
    """Write ``out`` atomically; identical inputs give byte-identical files."""
    atomic_write_bytes(Path(out), markdown_to_docx_bytes(markdown, meta, reference))


def markdown_to_docx_bytes(markdown: str, meta: DocumentMeta, reference: Path | None = None) -> bytes:
    """The .docx package in memory, so a caller can write several documents all or nothing."""
    doc = load_reference(reference)
    styles = StyleMap(doc, shipped_styles() if reference is not None else None)
    writer = _BodyWriter(doc, styles)
    writer.cover(meta)
    writer.table_of_contents()
    writer.blocks(_MD.parse(markdown))
    writer.finish()
    _header_footer(doc, styles, meta)
    apply_settings(doc, meta.language)
    apply_language(doc, meta.language)
    apply_core_properties(doc, meta)
    buffer = io.BytesIO()
    doc.save(buffer)
    return normalise_package(buffer.getvalue())


@dataclass
class _ListLevel:
    num_id: int
    style_id: str | None
    continue_style_id: str | None


class _BodyWriter:
    """Walks markdown-it block tokens and appends the matching WordprocessingML to the body."""

    def __init__(self, doc: DocxDocument, styles: StyleMap) -> None:
        self._doc = doc
        self._styles = styles
        self._numbering: ListNumbering | None = None
        body = doc.element.body
        self._sect_pr = body.find(W_SECTPR)
        if self._sect_pr is not None:
            body.remove(self._sect_pr)
        self._body = body
        self._lists: list[_ListLevel] = []
        self._first_in_item = False
        self._quote_depth = 0
        self._toc = TocCollector()
        self._toc_end: etree._Element | None = None
        self.style_ids = {name: styles.id(name) for name in (
            "heading 1", "heading 2", "heading 3", "title", "subtitle", "quote", "caption", "toc heading",
            "copertina", "copertina ente", "tabella capitolato", "table grid", "testo tabella", "hyperlink",
            "list bullet", "list bullet 2", "list number", "list number 2", "list continue", "list continue 2",
            "toc 1", "toc 2", "toc 3",
        )}

    def finish(self) -> None:
        """Fill the index, then close the body: a table cannot be last and section properties go at the end."""
        if self._toc_end is not None:
            styles = {level: self.style_ids[f"toc {level}"] for level in (1, 2, 3)}
            for p in self._toc.paragraphs(styles):
                self._toc_end.addprevious(p)
        if len(self._body) == 0 or self._body[-1].tag == W_TBL:
            new_paragraph(self._body)
        if self._sect_pr is not None:
            self._body.append(self._sect_pr)

    def cover(self, meta: DocumentMeta) -> None:
        """First page: who, what, codes, when."""
        line = self.style_ids["copertina"]
        if meta.logo is not None:
            self._logo(meta)
        self._plain(meta.ente, self.style_ids["copertina ente"])
        if meta.office:
            self._plain(meta.office, line)
        self._plain(meta.title, self.style_ids["title"])
        if meta.subtitle:
            self._plain(meta.subtitle, self.style_ids["subtitle"])
        if meta.cig:
            self._plain(f"CIG: {meta.cig}", line)
        if meta.cup:
            self._plain(f"CUP: {meta.cup}", line)
        self._plain(italian_date(meta.date), line)
        if meta.draft:
            p = new_paragraph(self._body, line, "center")
            add_text_run(p, DRAFT_NOTICE, bold=True)

    def _plain(self, text: str, style_id: str | None) -> None:
        p = new_paragraph(self._body, style_id, None if style_id else "center")
        add_text_run(p, text)

    def _logo(self, meta: DocumentMeta) -> None:
        p = new_paragraph(self._body, self.style_ids["copertina"], "center")
        try:
            shape = Paragraph(p, self._doc._body).add_run().add_picture(str(meta.logo), height=Cm(2.5))
        except (OSError, UnrecognizedImageError) as exc:
            raise LogoError(f"Il logo «{meta.logo}» non è un'immagine leggibile (PNG, JPEG, GIF, BMP o TIFF).") from exc
        if shape.width > Cm(6):
            shape.height = int(shape.height * Cm(6) / shape.width)
            shape.width = Cm(6)
        shape._inline.docPr.set("descr", meta.logo_alt or f"Logo di {meta.ente}")

    def table_of_contents(self) -> None:
        """Reserve the index page; its entries are filled in by ``finish`` once headings are known."""
        heading = new_paragraph(self._body, self.style_ids["toc heading"])
        sub(_ppr(heading), "w:pageBreakBefore")
        add_text_run(heading, "Indice")
        self._toc_end = new_paragraph(self._body)
        add_break(self._toc_end, page=True)

    def blocks(self, tokens: Sequence[Token]) -> None:
        """Dispatch each block token; inline content is consumed with its container."""
        i = 0
        while i < len(tokens):
            i = self._block(tokens, i)

    def _block(self, tokens: Sequence[Token], i: int) -> int:
        token = tokens[i]
        kind = token.type
        if kind == "paragraph_open":
            self._paragraph(tokens[i + 1].children or [])
            return i + 3
        if kind == "heading_open":
            self._heading(int(token.tag[1]), tokens[i + 1].children or [])
            return i + 3
        if kind in ("bullet_list_open", "ordered_list_open"):
            self._open_list(token)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self._lists.pop()
        elif kind == "list_item_open":
            self._first_in_item = True
        elif kind == "blockquote_open":
            self._quote_depth += 1
        elif kind == "blockquote_close":
            self._quote_depth -= 1
        elif kind == "hr":
            add_break(new_paragraph(self._body), page=True)
        elif kind in ("fence", "code_block"):
            self._fence(token)
        elif kind == "table_open":
            return self._pipe_table(tokens, i)
        return i + 1

    def _paragraph(self, children: Sequence[Token]) -> None:
        p = new_paragraph(self._body, self._paragraph_style())
        if self._lists and self._first_in_item:
            self._first_in_item = False
            num_pr = sub(_ppr(p), "w:numPr")
            sub(num_pr, "w:ilvl").set(W_VAL, str(min(len(self._lists), 2) - 1))
            sub(num_pr, "w:numId").set(W_VAL, str(self._lists[-1].num_id))
        self._inline(p, children)

    def _paragraph_style(self) -> str | None:
        if self._lists:
            level = self._lists[-1]
            return level.style_id if self._first_in_item else level.continue_style_id
        return self.style_ids["quote"] if self._quote_depth else None

    def _heading(self, level: int, children: Sequence[Token]) -> None:
        level = min(level, 3)
        style_id = self.style_ids[f"heading {level}"]
        p = new_paragraph(self._body, style_id)
        if style_id is None:
            ppr = _ppr(p)
            ppr.append(etree.Element(W_KEEPNEXT))
            etree.SubElement(ppr, W_OUTLINELVL).set(W_VAL, str(level - 1))
        self._inline(p, children, bold=style_id is None)
        self._toc.bookmark(p, level, _plain_text(children))

    def _open_list(self, token: Token) -> None:
        nested = bool(self._lists)
        suffix = " 2" if nested else ""
        numbering = self._list_numbering()
        if token.type == "ordered_list_open":
            num_id = numbering.ordered(1 if nested else 0, int(token.attrGet("start") or 1))
            style_id = self.style_ids[f"list number{suffix}"]
        else:
            num_id = numbering.bullet()
            style_id = self.style_ids[f"list bullet{suffix}"]
        self._lists.append(_ListLevel(num_id, style_id, self.style_ids[f"list continue{suffix}"]))

    def _list_numbering(self) -> ListNumbering:
        if self._numbering is None:
            self._numbering = ListNumbering(self._doc)
        return self._numbering

    def _fence(self, token: Token) -> None:
        if token.info.strip() == "tabella":
            line = token.map[0] if token.map else None
            self._table(parse_tabella(token.content, line))
            return
        p = new_paragraph(self._body, None, "left")
        for number, line in enumerate(token.content.rstrip("\n").split("\n")):
            if number:
                add_break(p)
            add_text_run(p, line, mono=True)

    def _pipe_table(self, tokens: Sequence[Token], i: int) -> int:
        """Collect a pipe table into the same model as ```tabella``` so both render alike."""
        columns: list[Column] = []
        rows: list[tuple[Cell, ...]] = []
        current: list[Cell] = []
        in_head = False
        while tokens[i].type != "table_close":
            token = tokens[i]
            if token.type == "thead_open":
                in_head = True
            elif token.type == "thead_close":
                in_head = False
            elif token.type in ("th_open", "td_open"):
                text = tokens[i + 1].content
                if in_head:
                    columns.append(Column(title=text, align=_css_align(token.attrGet("style"))))
                else:
                    current.append(Cell(text=text, col=len(current)))
            elif token.type == "tr_close" and not in_head:
                rows.append(tuple(current))
                current = []
            i += 1
        self._table(Tabella(columns=tuple(columns), rows=tuple(rows)))
        return i + 1

    def _table(self, table: Tabella) -> None:
        available_cm = self._text_width_twips() * 2.54 / 1440
        widths = [cm_to_twips(w) for w in resolve_widths(table.columns, available_cm)]
        if table.caption:
            caption = new_paragraph(self._body, self.style_ids["caption"])
            _ppr(caption).append(etree.Element(W_KEEPNEXT))
            add_text_run(caption, table.caption)
        elif len(self._body) and self._body[-1].tag == W_TBL:
            new_paragraph(self._body)
        _TableWriter(self, table, widths).write(self._body)

    def _text_width_twips(self) -> int:
        if self._sect_pr is None:
            return DEFAULT_TEXT_WIDTH_TWIPS
        size = self._sect_pr.find(qn("w:pgSz"))
        margins = self._sect_pr.find(qn("w:pgMar"))
        try:
            return int(size.get(qn("w:w"))) - int(margins.get(qn("w:left"))) - int(margins.get(qn("w:right")))
        except (AttributeError, TypeError, ValueError):
            return DEFAULT_TEXT_WIDTH_TWIPS

    def inline_markdown(self, p: etree._Element, text: str, *, bold: bool = False) -> None:
        """Render a table cell's text, which may use inline Markdown."""
        if not text:
            return
        if not any(ch in _INLINE_SYNTAX for ch in text):
            add_text_run(p, text, bold=bold)
            return
        tokens = _MD.parseInline(text)
        self._inline(p, tokens[0].children or [], bold=bold)

    def _inline(self, p: etree._Element, children: Sequence[Token], *, bold: bool = False) -> None:
        _InlineWriter(self._doc, p, self.style_ids["hyperlink"], bold).write(children)


class _InlineWriter:
    """Turns inline tokens into runs, merging adjacent text with the same formatting."""

    def __init__(self, doc: DocxDocument, p: etree._Element, link_style: str | None, bold: bool) -> None:
        self._doc = doc
        self._p = p
        self._target = p
        self._link_style = link_style
        self._bold = 1 if bold else 0
        self._italic = 0
        self._buffer: list[str] = []

    def write(self, children: Sequence[Token]) -> None:
        for token in children:
            self._token(token)
        self._flush()

    def _token(self, token: Token) -> None:
        kind = token.type
        if kind == "text":
            self._buffer.append(token.content)
        elif kind == "softbreak":
            self._buffer.append(" ")
        elif kind == "hardbreak":
            self._flush()
            add_break(self._target)
        elif kind == "code_inline":
            self._flush()
            add_text_run(self._target, token.content, bold=self._bold > 0, italic=self._italic > 0, mono=True)
        elif kind in ("strong_open", "strong_close", "em_open", "em_close"):
            self._flush()
            step = 1 if kind.endswith("_open") else -1
            if kind.startswith("strong"):
                self._bold += step
            else:
                self._italic += step
        elif kind == "link_open":
            self._flush()
            self._open_link(str(token.attrGet("href") or ""))
        elif kind == "link_close":
            self._flush()
            self._target = self._p
        elif kind == "image":
            self._buffer.append(token.content)
        else:
            self._buffer.append(token.content)

    def _open_link(self, href: str) -> None:
        if not href.startswith(LINK_SCHEMES):
            return
        r_id = self._doc.part.relate_to(href, RT.HYPERLINK, is_external=True)
        link = etree.SubElement(self._p, W_HYPERLINK)
        link.set(R_ID, r_id)
        self._target = link

    def _flush(self) -> None:
        if not self._buffer:
            return
        text = "".join(self._buffer)
        self._buffer.clear()
        if not text:
            return
        in_link = self._target is not self._p
        add_text_run(
            self._target, text, bold=self._bold > 0, italic=self._italic > 0,
            char_style=self._link_style if in_link else None,
        )


class _TableWriter:
    """Emits a fixed-layout table: grid widths, repeating accessible header, merges, totals."""

    def __init__(self, body: _BodyWriter, table: Tabella, widths: list[int]) -> None:
        self._body = body
        self._table = table
        self._widths = widths
        self._cell_style = body.style_ids["testo tabella"]
        self._aligns = [_JC.get(c.align or "") for c in table.columns]

    def write(self, parent: etree._Element) -> None:
        tbl = etree.SubElement(parent, W_TBL)
        self._properties(tbl)
        grid = sub(tbl, "w:tblGrid")
        for width in self._widths:
            sub(grid, "w:gridCol", w_w=str(width))
        header = [Cell(text=c.title, col=i) for i, c in enumerate(self._table.columns)]
        self._row(tbl, header, header=True)
        for row in self._table.rows:
            self._row(tbl, row)
        if self._table.total is not None:
            self._row(tbl, self._table.total)

    def _properties(self, tbl: etree._Element) -> None:
        pr = sub(tbl, "w:tblPr")
        style_id = self._body.style_ids["tabella capitolato"] or self._body.style_ids["table grid"]
        if style_id:
            sub(pr, "w:tblStyle", w_val=style_id)
        sub(pr, "w:tblW", w_w=str(sum(self._widths)), w_type="dxa")
        sub(pr, "w:tblLayout", w_type="fixed")
        has_total = self._table.total is not None
        sub(pr, "w:tblLook", w_val="0460" if has_total else "0420", w_firstRow="1",
            w_lastRow="1" if has_total else "0", w_firstColumn="0", w_lastColumn="0",
            w_noHBand="0", w_noVBand="1")
        if self._table.caption:
            sub(pr, "w:tblCaption", w_val=self._table.caption)

    def _row(self, tbl: etree._Element, cells: Sequence[Cell], *, header: bool = False) -> None:
        tr = sub(tbl, "w:tr")
        if header:
            tr_pr = sub(tr, "w:trPr")
            sub(tr_pr, "w:cantSplit")
            sub(tr_pr, "w:tblHeader")
        for cell in cells:
            self._cell(tr, cell, header)

    def _cell(self, tr: etree._Element, cell: Cell, header: bool) -> None:
        tc = sub(tr, "w:tc")
        tc_pr = sub(tc, "w:tcPr")
        width = sum(self._widths[cell.col:cell.col + cell.colspan])
        sub(tc_pr, "w:tcW", w_w=str(width), w_type="dxa")
        if cell.colspan > 1:
            sub(tc_pr, "w:gridSpan", w_val=str(cell.colspan))
        if cell.continuation:
            sub(tc_pr, "w:vMerge")
        elif cell.rowspan > 1:
            sub(tc_pr, "w:vMerge", w_val="restart")
        p = new_paragraph(tc, self._cell_style, self._aligns[cell.col])
        if not cell.continuation:
            self._body.inline_markdown(p, cell.text, bold=header or cell.bold)


def _plain_text(children: Sequence[Token]) -> str:
    return "".join(" " if t.type == "softbreak" else t.content for t in children
                   if t.type in ("text", "code_inline", "softbreak"))


def _ppr(p: etree._Element) -> etree._Element:
    ppr = p.find(W_PPR)
    if ppr is None:
        ppr = etree.Element(W_PPR)
        p.insert(0, ppr)
    return ppr


def _css_align(style: str | None) -> str | None:
    """markdown-it marks pipe-table alignment as ``text-align:right``."""
    if not style or "text-align:" not in style:
        return None
    return style.split("text-align:", 1)[1].strip().rstrip(";") or None


def _header_footer(doc: DocxDocument, styles: StyleMap, meta: DocumentMeta) -> None:
    """Ente and draft notice on top, ``Pagina X di Y`` below; the cover page stays clean."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    header_style, footer_style = styles.id("header"), styles.id("footer")
    header = _fresh(section.header)
    add_text_run(new_paragraph(header, header_style), meta.ente)
    first_header = _fresh(section.first_page_header)
    p = new_paragraph(first_header, header_style)
    if meta.draft:
        for target in (new_paragraph(header, header_style), p):
            add_text_run(target, DRAFT_NOTICE, bold=True)
    footer = _fresh(section.footer)
    p = new_paragraph(footer, footer_style, "center")
    add_text_run(p, "Pagina ")
    add_field(p, "PAGE", "1")
    add_text_run(p, " di ")
    add_field(p, "NUMPAGES", "1")
    new_paragraph(_fresh(section.first_page_footer), footer_style)


def _fresh(part_proxy: object) -> etree._Element:
    """Unlink a header/footer from the previous section and empty it."""
    part_proxy.is_linked_to_previous = False
    element = part_proxy._element
    for child in list(element):
        element.remove(child)
    return element
