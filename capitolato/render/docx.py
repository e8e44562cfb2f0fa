"""Write the typed document as a Word package.

The body is built directly as WordprocessingML with lxml on top of a python-docx document opened from the reference:
python-docx's per-paragraph helpers (style lookup by name, ``Run.text``, ``row.cells``) are far too slow for long
tenders and cannot express merged, fixed-width, accessible tables.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from docx.document import Document as DocxDocument
from docx.image.exceptions import UnrecognizedImageError
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from capitolato.document.model import (
    Block,
    Cell,
    Document,
    Figure,
    Heading,
    Inline,
    LineBreak,
    ListBlock,
    Paragraph,
    Placeholder,
    Reference,
    Table,
    Text,
    plain_text,
)
from capitolato.layout import paragraph_property, scale_font, table_layout
from capitolato.letterhead import apply_letterhead_to
from capitolato.render.errors import LogoError
from capitolato.render.meta import DRAFT_NOTICE, DocumentMeta, italian_date
from capitolato.render.ooxml import (
    W_KEEPNEXT,
    W_OUTLINELVL,
    W_PPR,
    W_VAL,
    add_break,
    add_field,
    add_text_run,
    new_paragraph,
    normalise_package,
    sub,
)
from capitolato.render.reference import load_reference, shipped_styles
from capitolato.render.toc import TocCollector
from capitolato.render.wordml import (
    ListNumbering,
    StyleMap,
    apply_core_properties,
    apply_language,
    apply_settings,
)

W_TBL = qn("w:tbl")
W_SECTPR = qn("w:sectPr")
DEFAULT_TEXT_WIDTH_TWIPS = 9072
SPACE_AFTER_TABLE_TWIPS = 160
TABLE_FONT_HALF_POINTS = 20  # «Testo tabella» of the shipped reference: 10 pt
_JC = {"left": "left", "center": "center", "right": "right", "justify": "both"}
SVG_BLIP_URI = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
ASVG = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"


def render_docx(document: Document, meta: DocumentMeta, reference: Path | None = None) -> bytes:
    """The .docx package in memory; identical inputs give byte-identical files."""
    doc = load_reference(reference)
    styles = StyleMap(doc, shipped_styles() if reference is not None else None)
    writer = _BodyWriter(doc, styles)
    writer.cover(meta)
    writer.table_of_contents()
    writer.blocks(document.blocks)
    writer.finish()
    _header_footer(doc, styles, meta)
    if reference is not None:
        apply_letterhead_to(doc, reference, keep_text=DRAFT_NOTICE)
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
    """Walks the document's blocks and appends the matching WordprocessingML to the body."""

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
        self._after_table = False
        self._space_before_next = False
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
            shape = DocxParagraph(p, self._doc._body).add_run().add_picture(str(meta.logo), height=Cm(2.5))
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

    def blocks(self, blocks: Sequence[Block]) -> None:
        for block in blocks:
            self._block(block)

    def _block(self, block: Block) -> None:
        after_table, self._after_table = self._after_table, isinstance(block, Table)
        if after_table:
            self._space_before_next = True
        if isinstance(block, Paragraph):
            self._paragraph(block)
        elif isinstance(block, Heading):
            self._heading(block)
        elif isinstance(block, ListBlock):
            self._list(block)
        elif isinstance(block, Table):
            self._table(block)
        elif isinstance(block, Figure):
            self._figure(block)

    def _paragraph(self, block: Paragraph) -> None:
        style = self._paragraph_style(block)
        p = new_paragraph(self._body, style, "left" if block.style == "code" else None)
        if self._lists and self._first_in_item:
            self._first_in_item = False
            num_pr = sub(_ppr(p), "w:numPr")
            sub(num_pr, "w:ilvl").set(W_VAL, str(min(len(self._lists), 2) - 1))
            sub(num_pr, "w:numId").set(W_VAL, str(self._lists[-1].num_id))
        self.inlines(p, block.inlines, mono=block.style == "code")
        self._keep_layout(p, block.inlines)

    def _keep_layout(self, p: etree._Element, inlines: Sequence[Inline]) -> None:
        """A lead-in («…le seguenti organizzazioni:») stays with its list or table; text after a table keeps a gap."""
        if plain_text(inlines).rstrip().endswith(":"):
            paragraph_property(p, "keepNext")
        if self._space_before_next:
            self._space_before_next = False
            paragraph_property(p, "spacing", before=str(SPACE_AFTER_TABLE_TWIPS))

    def _paragraph_style(self, block: Paragraph) -> str | None:
        if self._lists:
            level = self._lists[-1]
            return level.style_id if self._first_in_item else level.continue_style_id
        return self.style_ids["quote"] if block.style == "quote" else None

    def _heading(self, block: Heading) -> None:
        level = min(block.level, 3)
        style_id = self.style_ids[f"heading {level}"]
        p = new_paragraph(self._body, style_id)
        if style_id is None:
            ppr = _ppr(p)
            ppr.append(etree.Element(W_KEEPNEXT))
            etree.SubElement(ppr, W_OUTLINELVL).set(W_VAL, str(level - 1))
        self.inlines(p, block.inlines, bold=style_id is None)
        paragraph_property(p, "keepNext")
        paragraph_property(p, "keepLines")
        if self._space_before_next:
            self._space_before_next = False
        self._toc.bookmark(p, level, plain_text(block.inlines))

    def _list(self, block: ListBlock) -> None:
        nested = bool(self._lists)
        suffix = " 2" if nested else ""
        numbering = self._list_numbering()
        if block.ordered:
            num_id = numbering.ordered(1 if nested else 0, block.start)
            style_id = self.style_ids[f"list number{suffix}"]
        else:
            num_id = numbering.bullet()
            style_id = self.style_ids[f"list bullet{suffix}"]
        self._lists.append(_ListLevel(num_id, style_id, self.style_ids[f"list continue{suffix}"]))
        for item in block.items:
            self._first_in_item = True
            self.blocks(item)
        self._first_in_item = False
        self._lists.pop()

    def _list_numbering(self) -> ListNumbering:
        if self._numbering is None:
            self._numbering = ListNumbering(self._doc)
        return self._numbering

    def _table(self, table: Table) -> None:
        available_cm = self._text_width_twips() * 2.54 / 1440
        layout = table_layout(table, available_cm)
        widths = [int(w * 1440 / 2.54) for w in layout.widths]
        if table.caption:
            caption = new_paragraph(self._body, self.style_ids["caption"])
            _ppr(caption).append(etree.Element(W_KEEPNEXT))
            if self._space_before_next:
                paragraph_property(caption, "spacing", before=str(SPACE_AFTER_TABLE_TWIPS))
            add_text_run(caption, table.caption)
        elif len(self._body) and self._body[-1].tag == W_TBL:
            new_paragraph(self._body)
        self._space_before_next = False
        _TableWriter(self, table, widths).write(self._body)
        if layout.font_scale < 1:
            scale_font(self._body[-1], round(TABLE_FONT_HALF_POINTS * layout.font_scale))

    def _figure(self, figure: Figure) -> None:
        p = new_paragraph(self._body, self.style_ids["copertina"], "center")
        if figure.png is not None:
            shape = DocxParagraph(p, self._doc._body).add_run().add_picture(io.BytesIO(figure.png),
                                                                             width=Cm(figure.width_cm))
            shape._inline.docPr.set("descr", figure.alt)
            if figure.svg is not None:
                _attach_svg(self._doc, shape, figure.svg)
        else:
            add_text_run(p, figure.alt, italic=True)
        if figure.caption:
            add_text_run(new_paragraph(self._body, self.style_ids["caption"]), figure.caption)

    def _text_width_twips(self) -> int:
        if self._sect_pr is None:
            return DEFAULT_TEXT_WIDTH_TWIPS
        size = self._sect_pr.find(qn("w:pgSz"))
        margins = self._sect_pr.find(qn("w:pgMar"))
        try:
            return int(size.get(qn("w:w"))) - int(margins.get(qn("w:left"))) - int(margins.get(qn("w:right")))
        except (AttributeError, TypeError, ValueError):
            return DEFAULT_TEXT_WIDTH_TWIPS

    def inlines(self, p: etree._Element, inlines: Sequence[Inline], *, bold: bool = False, mono: bool = False) -> None:
        """Runs for the inline nodes; a placeholder is highlighted so it cannot be missed."""
        for node in inlines:
            if isinstance(node, LineBreak):
                add_break(p)
            elif isinstance(node, Text):
                add_text_run(p, node.text, bold=bold or node.bold, italic=node.italic, mono=mono, script=node.script)
            elif isinstance(node, Placeholder):
                add_text_run(p, node.text, bold=True, highlight=True)
            elif isinstance(node, Reference):
                add_text_run(p, node.text, bold=bold)


class _TableWriter:
    """Emits a fixed-layout table: grid widths, repeating accessible header, merges, totals."""

    def __init__(self, body: _BodyWriter, table: Table, widths: list[int]) -> None:
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
        header = [Cell(c.title, i) for i, c in enumerate(self._table.columns)]
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
        tr_pr = sub(tr, "w:trPr")
        sub(tr_pr, "w:cantSplit")
        if header:
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
            self._body.inlines(p, cell.inlines, bold=header or cell.bold)


def _attach_svg(doc: DocxDocument, shape, svg: bytes) -> None:
    """The vector original beside the PNG (asvg:svgBlip): Word 2016+ and LibreOffice draw it, older readers the PNG."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.part import Part

    part = doc.part
    image = Part(part.package.next_partname("/word/media/image%d.svg"), "image/svg+xml", svg, part.package)
    rid = part.relate_to(image, RELATIONSHIP_TYPE.IMAGE)
    blip = shape._inline.graphic.graphicData.pic.blipFill.blip
    extension = etree.SubElement(etree.SubElement(blip, qn("a:extLst")), qn("a:ext"), uri=SVG_BLIP_URI)
    etree.SubElement(extension, f"{{{ASVG}}}svgBlip", nsmap={"asvg": ASVG}).set(qn("r:embed"), rid)


def _ppr(p: etree._Element) -> etree._Element:
    ppr = p.find(W_PPR)
    if ppr is None:
        ppr = etree.Element(W_PPR)
        p.insert(0, ppr)
    return ppr


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
