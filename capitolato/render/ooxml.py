"""Low-level OOXML details: reproducible zip packaging and WordprocessingML builders."""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from collections.abc import Iterable
from functools import cache

from docx.oxml.ns import qn
from lxml import etree

ZIP_EPOCH_FLOOR = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)
ZIP_YEAR_LIMIT = 2107
_ZIP_ENTRY_MODE = 0o100644 << 16
_CONTENT_TYPES = "[Content_Types].xml"

W_P = qn("w:p")
W_PPR = qn("w:pPr")
W_PSTYLE = qn("w:pStyle")
W_JC = qn("w:jc")
W_R = qn("w:r")
W_RPR = qn("w:rPr")
W_RSTYLE = qn("w:rStyle")
W_RFONTS = qn("w:rFonts")
W_B = qn("w:b")
W_I = qn("w:i")
W_T = qn("w:t")
W_BR = qn("w:br")
W_VAL = qn("w:val")
W_TYPE = qn("w:type")
W_FLDCHAR = qn("w:fldChar")
W_FLDCHARTYPE = qn("w:fldCharType")
W_INSTRTEXT = qn("w:instrText")
W_NUMPR = qn("w:numPr")
W_ILVL = qn("w:ilvl")
W_NUMID = qn("w:numId")
W_OUTLINELVL = qn("w:outlineLvl")
W_KEEPNEXT = qn("w:keepNext")
W_HYPERLINK = qn("w:hyperlink")
W_LANG = qn("w:lang")
R_ID = qn("r:id")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

MONO_FONT = "Liberation Mono"


def source_date_epoch() -> dt.datetime | None:
    """The reproducible-builds timestamp, if ``SOURCE_DATE_EPOCH`` holds an integer."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw.isdigit():
        return None
    try:
        moment = dt.datetime.fromtimestamp(int(raw), tz=dt.UTC)
    except (OverflowError, OSError, ValueError):
        moment = None
    if moment is None or moment.year > ZIP_YEAR_LIMIT:
        from capitolato.errors import RenderError, single

        raise single(RenderError, "SOURCE_DATE_EPOCH", f"valore fuori dall'intervallo delle date ({raw[:30]})",
                     hint="secondi dal 1° gennaio 1970 fino al 2107 (limite del formato .docx), es. 1767225600 per il 1° gennaio 2026")
    return moment


def zip_timestamp() -> tuple[int, int, int, int, int, int]:
    """Entry time for the zip: ``SOURCE_DATE_EPOCH`` clamped to the zip format's 1980 floor."""
    moment = max(source_date_epoch() or ZIP_EPOCH_FLOOR, ZIP_EPOCH_FLOOR)
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def _entry_order(name: str) -> tuple[int, str]:
    return (0 if name == _CONTENT_TYPES else 1, name)


def normalise_package(data: bytes, drop: Iterable[str] = ()) -> bytes:
    """Rewrite a zip so that identical content gives identical bytes.

    Entry order, timestamps, permissions, creator system and compression are
    fixed; entries named in ``drop`` are left out.
    """
    dropped = set(drop)
    stamp = zip_timestamp()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for name in sorted(source.namelist(), key=_entry_order):
            if name in dropped:
                continue
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = _ZIP_ENTRY_MODE
            target.writestr(info, source.read(name), compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    return out.getvalue()


@cache
def clark(name: str) -> str:
    """``w:val`` → ``{namespace}val``; cached because table building calls it per cell."""
    return qn(name)


def sub(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    """Append ``tag`` (e.g. ``w:tcW``); attribute names are given as ``w_val`` for ``w:val``."""
    child = etree.SubElement(parent, clark(tag))
    for key, value in attrs.items():
        child.set(clark(key.replace("_", ":", 1)), value)
    return child


def add_text_run(p: etree._Element, text: str, *, bold: bool = False, italic: bool = False,
                 mono: bool = False, char_style: str | None = None, script: str | None = None,
                 highlight: bool = False) -> etree._Element:
    """Append a run holding ``text`` verbatim (no tab/newline parsing, unlike ``Run.text``).

    `script` is «sub» or «super»; `highlight` marks a placeholder in yellow.
    """
    r = etree.SubElement(p, W_R)
    if bold or italic or mono or char_style or script or highlight:
        rpr = etree.SubElement(r, W_RPR)
        if char_style:
            etree.SubElement(rpr, W_RSTYLE).set(W_VAL, char_style)
        if mono:
            fonts = etree.SubElement(rpr, W_RFONTS)
            fonts.set(qn("w:ascii"), MONO_FONT)
            fonts.set(qn("w:hAnsi"), MONO_FONT)
        if bold:
            etree.SubElement(rpr, W_B)
        if italic:
            etree.SubElement(rpr, W_I)
        if highlight:
            etree.SubElement(rpr, qn("w:highlight")).set(W_VAL, "yellow")
        if script:
            etree.SubElement(rpr, qn("w:vertAlign")).set(W_VAL, "subscript" if script == "sub" else "superscript")
    t = etree.SubElement(r, W_T)
    t.text = text
    if text[:1].isspace() or text[-1:].isspace():
        t.set(XML_SPACE, "preserve")
    return r


def add_break(p: etree._Element, page: bool = False) -> None:
    """Append a line break, or a page break when ``page`` is true."""
    br = etree.SubElement(etree.SubElement(p, W_R), W_BR)
    if page:
        br.set(W_TYPE, "page")


def new_paragraph(parent: etree._Element, style_id: str | None = None, align: str | None = None) -> etree._Element:
    """Append a ``w:p`` with an optional paragraph style and justification."""
    p = etree.SubElement(parent, W_P)
    if style_id or align:
        ppr = etree.SubElement(p, W_PPR)
        if style_id:
            etree.SubElement(ppr, W_PSTYLE).set(W_VAL, style_id)
        if align:
            etree.SubElement(ppr, W_JC).set(W_VAL, align)
    return p


def add_field(p: etree._Element, instruction: str, placeholder: str, *, bold: bool = False) -> None:
    """Append a complex field (``begin``/``separate``/``end``) showing ``placeholder`` until updated."""
    begin_field(p, instruction)
    add_text_run(p, placeholder, bold=bold)
    end_field(p)


def begin_field(p: etree._Element, instruction: str) -> None:
    """Open a complex field; its result runs follow until ``end_field``, possibly in later paragraphs."""
    _add_fld_char(p, "begin")
    r = etree.SubElement(p, W_R)
    instr = etree.SubElement(r, W_INSTRTEXT)
    instr.set(XML_SPACE, "preserve")
    instr.text = f" {instruction} "
    _add_fld_char(p, "separate")


def end_field(p: etree._Element) -> None:
    """Close the innermost open complex field."""
    _add_fld_char(p, "end")


def _add_fld_char(p: etree._Element, kind: str) -> None:
    etree.SubElement(etree.SubElement(p, W_R), W_FLDCHAR).set(W_FLDCHARTYPE, kind)


def cm_to_twips(cm: float) -> int:
    """Word table and indent measures are twentieths of a point."""
    return round(cm * 1440 / 2.54)
