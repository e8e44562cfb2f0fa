"""Build templates/riferimento.docx, the reference document that gives capitolato's Word output its look.

Run from the repository root: ``python scripts/genera_riferimento.py``.
The output is byte-identical on every run, so it can be committed and checked in CI.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from capitolato.fsutil import atomic_write_bytes  # noqa: E402
from capitolato.render.meta import DocumentMeta  # noqa: E402
from capitolato.render.ooxml import normalise_package  # noqa: E402
from capitolato.render.wordml import apply_core_properties  # noqa: E402

OUTPUT = REPO / "templates" / "riferimento.docx"
BODY_FONT = "Times New Roman"
BLUE = "1F3864"
LANG = '<w:lang w:val="it-IT" w:eastAsia="it-IT" w:bidi="ar-SA"/>'
TEXT_WIDTH = 9072
KEPT_TABLE_STYLES = {"TableNormal", "TableGrid"}
DROPPED_RELS = {RT.THUMBNAIL, "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects", RT.CUSTOM_XML}
APP_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    b"<Application>capitolato</Application><DocSecurity>0</DocSecurity></Properties>"
)


def _p(style_id: str, name: str, ppr: str = "", rpr: str = "", based_on: str | None = "Normal",
       next_id: str | None = None, extra: str = "") -> str:
    based = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    nxt = f'<w:next w:val="{next_id}"/>' if next_id else ""
    return (
        f'<w:style w:type="paragraph" w:styleId="{style_id}"><w:name w:val="{name}"/>{based}{nxt}'
        f"{extra}<w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}{LANG}</w:rPr></w:style>"
    )


def _heading(level: int, size: int, before: int) -> str:
    return _p(
        f"Heading{level}", f"heading {level}",
        ppr=f'<w:keepNext/><w:keepLines/><w:spacing w:before="{before}" w:after="120"/>'
            f'<w:jc w:val="left"/><w:outlineLvl w:val="{level - 1}"/>',
        rpr=f'<w:b/><w:bCs/><w:color w:val="{BLUE}"/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/>',
        next_id="Normal", extra='<w:uiPriority w:val="9"/>',
    )


def _toc(level: int) -> str:
    bold = "<w:b/>" if level == 1 else ""
    return _p(
        f"TOC{level}", f"toc {level}",
        ppr=f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH}"/></w:tabs>'
            f'<w:spacing w:before="{60 if level == 1 else 0}" w:after="40"/>'
            f'<w:ind w:left="{284 * (level - 1)}"/><w:jc w:val="left"/>',
        rpr=bold, next_id="Normal", extra='<w:uiPriority w:val="39"/>',
    )


PARAGRAPH_STYLES = [
    _p("Normal", "Normal", based_on=None, ppr='<w:widowControl/><w:jc w:val="both"/>'),
    _heading(1, 28, 360),
    _heading(2, 24, 240),
    _heading(3, 22, 200),
    _p("Title", "Title", ppr='<w:spacing w:before="2400" w:after="240"/><w:jc w:val="center"/>',
       rpr=f'<w:b/><w:color w:val="{BLUE}"/><w:sz w:val="44"/><w:szCs w:val="44"/>', next_id="Subtitle"),
    _p("Subtitle", "Subtitle", ppr='<w:spacing w:after="480"/><w:jc w:val="center"/>',
       rpr='<w:i/><w:sz w:val="28"/><w:szCs w:val="28"/>', next_id="Normal"),
    _p("Copertina", "Copertina", ppr='<w:spacing w:after="120"/><w:jc w:val="center"/>',
       rpr='<w:sz w:val="24"/><w:szCs w:val="24"/>'),
    _p("Copertinaente", "Copertina ente", ppr='<w:spacing w:after="60"/><w:jc w:val="center"/>',
       rpr=f'<w:b/><w:smallCaps/><w:color w:val="{BLUE}"/><w:sz w:val="32"/><w:szCs w:val="32"/>',
       next_id="Copertina"),
    _p("ListBullet", "List Bullet", ppr='<w:spacing w:after="60"/><w:contextualSpacing/>'),
    _p("ListBullet2", "List Bullet 2", ppr='<w:spacing w:after="60"/><w:contextualSpacing/>'),
    _p("ListNumber", "List Number", ppr='<w:spacing w:after="60"/><w:contextualSpacing/>'),
    _p("ListNumber2", "List Number 2", ppr='<w:spacing w:after="60"/><w:contextualSpacing/>'),
    _p("ListContinue", "List Continue", ppr='<w:spacing w:after="60"/><w:ind w:left="567"/>'),
    _p("ListContinue2", "List Continue 2", ppr='<w:spacing w:after="60"/><w:ind w:left="1134"/>'),
    _p("Quote", "Quote", ppr='<w:ind w:left="567" w:right="567"/>', rpr='<w:i/><w:color w:val="404040"/>'),
    _p("Caption", "caption", ppr='<w:keepNext/><w:spacing w:before="120" w:after="60"/><w:jc w:val="left"/>',
       rpr=f'<w:b/><w:color w:val="{BLUE}"/><w:sz w:val="20"/><w:szCs w:val="20"/>', next_id="Normal"),
    _p("TOCHeading", "TOC Heading", ppr='<w:keepNext/><w:spacing w:after="240"/><w:jc w:val="left"/>',
       rpr=f'<w:b/><w:color w:val="{BLUE}"/><w:sz w:val="28"/><w:szCs w:val="28"/>', next_id="Normal"),
    _toc(1), _toc(2), _toc(3),
    _p("Header", "header", ppr='<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="1" w:color="808080"/></w:pBdr>'
       '<w:tabs><w:tab w:val="right" w:pos="9072"/></w:tabs><w:spacing w:after="0"/><w:jc w:val="left"/>',
       rpr='<w:color w:val="595959"/><w:sz w:val="18"/><w:szCs w:val="18"/>'),
    _p("Footer", "footer", ppr='<w:spacing w:after="0"/><w:jc w:val="center"/>',
       rpr='<w:color w:val="595959"/><w:sz w:val="18"/><w:szCs w:val="18"/>'),
    _p("Testotabella", "Testo tabella", ppr='<w:spacing w:before="20" w:after="20" w:line="240" w:lineRule="auto"/>'
       '<w:jc w:val="left"/>', rpr='<w:sz w:val="20"/><w:szCs w:val="20"/>'),
]

_BORDER = 'w:val="single" w:sz="4" w:space="0" w:color="808080"'
OTHER_STYLES = [
    '<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/><w:uiPriority w:val="99"/>'
    '<w:unhideWhenUsed/><w:rPr><w:color w:val="1F4E79"/><w:u w:val="single"/></w:rPr></w:style>',
    '<w:style w:type="table" w:styleId="Tabellacapitolato"><w:name w:val="Tabella capitolato"/>'
    '<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/><w:qFormat/>'
    '<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/><w:jc w:val="left"/></w:pPr>'
    f'<w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/>{LANG}</w:rPr>'
    f'<w:tblPr><w:tblBorders><w:top {_BORDER}/><w:left {_BORDER}/><w:bottom {_BORDER}/><w:right {_BORDER}/>'
    f'<w:insideH {_BORDER}/><w:insideV {_BORDER}/></w:tblBorders>'
    '<w:tblCellMar><w:top w:w="28" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
    '<w:bottom w:w="28" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>'
    '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr><w:tblPr/><w:trPr><w:tblHeader/></w:trPr>'
    '<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="DBE4F0"/></w:tcPr></w:tblStylePr>'
    '<w:tblStylePr w:type="lastRow"><w:rPr><w:b/><w:bCs/></w:rPr><w:tblPr/>'
    '<w:tcPr><w:tcBorders><w:top w:val="double" w:sz="4" w:space="0" w:color="808080"/></w:tcBorders>'
    '<w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/></w:tcPr></w:tblStylePr></w:style>',
]


def build() -> bytes:
    """The reference document as normalised .docx bytes."""
    doc = Document()
    _drop_parts(doc)
    _page_setup(doc)
    _styles(doc)
    _settings(doc)
    doc.part.package.part_related_by(RT.EXTENDED_PROPERTIES)._blob = APP_XML
    apply_core_properties(doc, DocumentMeta(
        title="Documento di riferimento per capitolato", ente="capitolato", date=dt.date(2026, 1, 1),
        subject="Stili dei documenti generati", keywords="capitolato, stili",
    ))
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    body.insert(0, parse_xml(f'<w:p {nsdecls("w")}><w:r><w:t>Documento di riferimento: '
                             "gli stili di questo file determinano l'aspetto dei documenti generati.</w:t></w:r></w:p>"))
    buffer = io.BytesIO()
    doc.save(buffer)
    return normalise_package(buffer.getvalue())


def _drop_parts(doc: DocxDocument) -> None:
    """Thumbnail, Word 2010 style duplicates and custom XML are noise in a reference."""
    for rels in (doc.part.package.rels, doc.part.rels):
        for r_id in [r_id for r_id, rel in rels.items() if rel.reltype in DROPPED_RELS]:
            del rels[r_id]


def _page_setup(doc: DocxDocument) -> None:
    sect_pr = doc.element.body.sectPr
    for tag in ("w:pgSz", "w:pgMar"):
        old = sect_pr.find(qn(tag))
        if old is not None:
            sect_pr.remove(old)
    sect_pr.insert(0, parse_xml(
        f'<w:pgMar {nsdecls("w")} w:top="1417" w:right="1417" w:bottom="1417" w:left="1417" '
        'w:header="709" w:footer="709" w:gutter="0"/>'))
    sect_pr.insert(0, parse_xml(f'<w:pgSz {nsdecls("w")} w:w="11906" w:h="16838"/>'))


def _styles(doc: DocxDocument) -> None:
    styles = doc.styles.element
    defaults = parse_xml(
        f'<w:docDefaults {nsdecls("w")}><w:rPrDefault><w:rPr>'
        f'<w:rFonts w:ascii="{BODY_FONT}" w:hAnsi="{BODY_FONT}" w:eastAsia="{BODY_FONT}" w:cs="{BODY_FONT}"/>'
        f'<w:sz w:val="22"/><w:szCs w:val="22"/>{LANG}</w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="276" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
        "</w:docDefaults>"
    )
    styles.replace(styles.find(qn("w:docDefaults")), defaults)
    by_id = {el.get(qn("w:styleId")): el for el in styles.iterchildren(qn("w:style"))}
    for style_id, element in by_id.items():
        if element.get(qn("w:type")) == "table" and style_id not in KEPT_TABLE_STYLES:
            styles.remove(element)
    for xml in PARAGRAPH_STYLES + OTHER_STYLES:
        element = parse_xml(xml.replace("<w:style ", f"<w:style {nsdecls('w')} ", 1))
        old = by_id.get(element.get(qn("w:styleId")))
        if old is not None and old.get(qn("w:default")):
            element.set(qn("w:default"), old.get(qn("w:default")))
        if old is not None and old.getparent() is not None:
            styles.replace(old, element)
        else:
            styles.append(element)


def _settings(doc: DocxDocument) -> None:
    settings = doc.settings.element
    for tag in ("w:savePreviewPicture", "w:rsids"):
        old = settings.find(qn(tag))
        if old is not None:
            settings.remove(old)
    for tag, value in (("w:decimalSymbol", ","), ("w:listSeparator", ";"), ("w:themeFontLang", "it-IT")):
        element = settings.find(qn(tag))
        if element is not None:
            element.set(qn("w:val"), value)
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        etree.strip_attributes(theme_lang, qn("w:eastAsia"))
    compat = settings.find(qn("w:compat"))
    if compat is not None:
        compat.insert(0, etree.Element(qn("w:doNotExpandShiftReturn")))


def main() -> None:
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(OUTPUT, build())
    print(f"Scritto {OUTPUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
