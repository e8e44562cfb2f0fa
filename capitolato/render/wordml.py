"""Document-level WordprocessingML: styles lookup, list numbering, settings, language, properties."""

from __future__ import annotations

import copy
import datetime as dt

from docx.document import Document as DocxDocument
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.parts.numbering import NumberingPart
from lxml import etree

from capitolato.render.meta import DocumentMeta
from capitolato.render.ooxml import W_LANG, W_VAL, source_date_epoch

W_STYLE = qn("w:style")
W_NAME = qn("w:name")
W_STYLEID = qn("w:styleId")
W_BASEDON = qn("w:basedOn")
W_ABSTRACTNUM = qn("w:abstractNum")
W_ABSTRACTNUMID = qn("w:abstractNumId")
W_NUM = qn("w:num")
W_NUMID = qn("w:numId")

_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr",
    "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions", "w:readModeInkLockDown", "w:smartTagType",
    "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
)
_BULLET_LEVELS = (("bullet", "•"), ("bullet", "–"))
_DECIMAL_LEVELS = (("decimal", "%1."), ("lowerLetter", "%2)"))


class StyleMap:
    """Style ids by case-insensitive name, resolved once per document.

    Lookup is by name because localised Word files use other ids
    (``Titolo1`` for "heading 1"); styles the reference lacks are copied from
    the shipped reference so the output keeps its structure.
    """

    def __init__(self, doc: DocxDocument, fallback: etree._Element | None) -> None:
        self._styles = doc.styles.element
        self._ids = _index(self._styles)
        self._fallback = _index_elements(fallback) if fallback is not None else {}

    def id(self, name: str) -> str | None:
        """The style id for ``name``, importing it from the fallback when missing."""
        key = name.lower()
        if key not in self._ids and key in self._fallback:
            self._import(self._fallback[key])
        return self._ids.get(key)

    def _import(self, style: etree._Element) -> None:
        clone = copy.deepcopy(style)
        for num_pr in clone.iter(qn("w:numPr")):
            num_pr.getparent().remove(num_pr)
        based_on = clone.find(W_BASEDON)
        if based_on is not None:
            parent = next((el for el in self._fallback.values() if el.get(W_STYLEID) == based_on.get(W_VAL)), None)
            if parent is not None:
                parent_id = self.id(parent.find(W_NAME).get(W_VAL))
                based_on.set(W_VAL, parent_id or "")
        self._styles.append(clone)
        self._ids[clone.find(W_NAME).get(W_VAL).lower()] = clone.get(W_STYLEID)


def _index(styles: etree._Element) -> dict[str, str]:
    return {name: el.get(W_STYLEID) for name, el in _index_elements(styles).items()}


def _index_elements(styles: etree._Element) -> dict[str, etree._Element]:
    found: dict[str, etree._Element] = {}
    for style in styles.iterchildren(W_STYLE):
        name = style.find(W_NAME)
        if name is not None and style.get(W_STYLEID):
            found.setdefault(name.get(W_VAL, "").lower(), style)
    return found


class ListNumbering:
    """Numbering definitions owned by the renderer, independent of the reference's list styles.

    Every ordered list gets its own ``w:num`` so numbering restarts at its
    ``start``; bullet lists share one.
    """

    def __init__(self, doc: DocxDocument) -> None:
        self._root = _numbering_part(doc).element
        abstract_ids = [int(el.get(W_ABSTRACTNUMID)) for el in self._root.iterchildren(W_ABSTRACTNUM)]
        num_ids = [int(el.get(W_NUMID)) for el in self._root.iterchildren(W_NUM)]
        self._next_abstract = max(abstract_ids, default=0) + 1
        self._next_num = max(num_ids, default=0) + 1
        self._bullet_abstract: int | None = None
        self._decimal_abstract: int | None = None
        self._bullet_num: int | None = None

    def bullet(self) -> int:
        """The shared numId for bullet lists."""
        if self._bullet_num is None:
            self._bullet_abstract = self._add_abstract(_BULLET_LEVELS)
            self._bullet_num = self._add_num(self._bullet_abstract, None, 0)
        return self._bullet_num

    def ordered(self, level: int, start: int) -> int:
        """A fresh numId whose ``level`` restarts at ``start``."""
        if self._decimal_abstract is None:
            self._decimal_abstract = self._add_abstract(_DECIMAL_LEVELS)
        return self._add_num(self._decimal_abstract, start, level)

    def _add_abstract(self, levels: tuple[tuple[str, str], ...]) -> int:
        abstract_id = self._next_abstract
        self._next_abstract += 1
        lvls = "".join(
            f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{567 * (i + 1)}" w:hanging="397"/></w:pPr></w:lvl>'
            for i, (fmt, text) in enumerate(levels)
        )
        element = parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
            f'<w:multiLevelType w:val="hybridMultilevel"/>{lvls}</w:abstractNum>'
        )
        first_num = self._root.find(W_NUM)
        if first_num is not None:
            first_num.addprevious(element)
        else:
            self._append(element)
        return abstract_id

    def _add_num(self, abstract_id: int, start: int | None, level: int) -> int:
        num_id = self._next_num
        self._next_num += 1
        override = (
            f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
            if start is not None else ""
        )
        self._append(parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{override}</w:num>'
        ))
        return num_id

    def _append(self, element: etree._Element) -> None:
        cleanup = self._root.find(qn("w:numIdMacAtCleanup"))
        if cleanup is not None:
            cleanup.addprevious(element)
        else:
            self._root.append(element)


def _numbering_part(doc: DocxDocument) -> NumberingPart:
    """python-docx cannot create a numbering part, so build an empty one when missing."""
    try:
        return doc.part.part_related_by(RT.NUMBERING)
    except KeyError:
        part = NumberingPart(
            PackURI("/word/numbering.xml"), CT.WML_NUMBERING,
            parse_xml(f"<w:numbering {nsdecls('w')}/>"), doc.part.package,
        )
        doc.part.relate_to(part, RT.NUMBERING)
        return part


def apply_settings(doc: DocxDocument, language: str) -> None:
    """Ask Word to refresh fields (the TOC) on open and use one header for all pages."""
    settings = doc.settings.element
    doc.settings.odd_and_even_pages_header_footer = False
    update = settings.find(qn("w:updateFields"))
    if update is None:
        update = etree.Element(qn("w:updateFields"))
        settings.insert_element_before(update, *_AFTER_UPDATE_FIELDS)
    update.set(W_VAL, "true")
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(W_VAL, language)


def apply_language(doc: DocxDocument, language: str) -> None:
    """Set the proofing language on the document defaults and on every style that names one."""
    styles = doc.styles.element
    for lang in styles.iter(W_LANG):
        lang.set(W_VAL, language)
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = etree.Element(qn("w:docDefaults"))
        styles.insert(0, defaults)
    r_pr_default = defaults.find(qn("w:rPrDefault"))
    if r_pr_default is None:
        r_pr_default = etree.Element(qn("w:rPrDefault"))
        defaults.insert(0, r_pr_default)
    r_pr = r_pr_default.find(qn("w:rPr"))
    if r_pr is None:
        r_pr = etree.SubElement(r_pr_default, qn("w:rPr"))
    if r_pr.find(W_LANG) is None:
        etree.SubElement(r_pr, W_LANG).set(W_VAL, language)


def document_timestamp(meta: DocumentMeta) -> dt.datetime:
    """``SOURCE_DATE_EPOCH`` when set (reproducible builds), else the document date at midnight UTC."""
    return source_date_epoch() or dt.datetime.combine(meta.date, dt.time(), tzinfo=dt.UTC)


CORE_PROPERTY_LIMIT = 255


def core_text(text: str | None) -> str:
    """A core property fits Word's (and python-docx's) 255-character limit: a long oggetto, ente or CPV list is
    cut at a word with an ellipsis; the full text stays in the document body."""
    text = text or ""
    if len(text) <= CORE_PROPERTY_LIMIT:
        return text
    cut = text[:CORE_PROPERTY_LIMIT - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > CORE_PROPERTY_LIMIT // 2 else cut).rstrip(" ,;") + "…"


def apply_core_properties(doc: DocxDocument, meta: DocumentMeta) -> None:
    """Replace every core property so nothing leaks from the reference, the clock or the user account."""
    props = doc.core_properties
    element = props._element
    for child in list(element):
        element.remove(child)
    moment = document_timestamp(meta).replace(tzinfo=None)
    props.title = core_text(meta.title)
    props.subject = core_text(meta.subject or meta.subtitle)
    props.author = core_text(meta.author_or_ente)
    props.keywords = core_text(meta.keywords)
    props.language = meta.language
    props.created = moment
    props.modified = moment
    props.last_printed = moment
    props.revision = 1
