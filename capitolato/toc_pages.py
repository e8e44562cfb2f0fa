"""Page numbers in the Word table of contents, so Word shows them on first opening without asking to update.

Word fills a TOC's page numbers only when its fields are updated, and `updateFields` makes it ask on opening. When
LibreOffice and poppler are installed, each heading is found on its page of a LibreOffice layout — the PDF the
build writes anyway, or a layout made for the index — the PAGEREF results of the index are filled in and the prompt
is removed. Without them the field stays as it is (Word asks to update it) and the build says so. The layout made
only for the index costs seconds per document, most of a Word-only `build` (bench/README.md): a batch that does not
need the numbers (a CI draft) skips it with `CAPITOLATO_INDICE=campo`.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile

from lxml import etree

from capitolato.render.errors import LibreOfficeMissing, PdfConversionError

ENVIRONMENT = "CAPITOLATO_INDICE"
KEEP_FIELD = "campo"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NOTE_NO_LIBREOFFICE = ("indice senza numeri di pagina: LibreOffice o pdftotext non disponibili, Word li calcola "
                       "all'apertura dopo aver chiesto di aggiornare i campi")
NOTE_KEPT_FIELD = (f"indice senza numeri di pagina ({ENVIRONMENT}={KEEP_FIELD}): Word li calcola all'apertura dopo "
                   "aver chiesto di aggiornare i campi")
_SAFE = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def fill_page_numbers(docx: bytes, pdf: bytes | None = None) -> bytes | None:
    """The package with the index's page numbers and no update prompt, read from `pdf` (its LibreOffice
    conversion) or from a layout made now; None when they are not computed."""
    if keeps_field() or shutil.which("pdftotext") is None:
        return None
    try:
        pages = _page_texts(docx) if pdf is None else _pdf_pages(pdf)
    except (LibreOfficeMissing, PdfConversionError, OSError, subprocess.SubprocessError):
        return None
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
        infos = archive.infolist()
    document = etree.fromstring(parts["word/document.xml"], _SAFE)
    if not fill_document(document, pages):
        return None
    parts["word/document.xml"] = etree.tostring(document, xml_declaration=True, encoding="UTF-8", standalone=True)
    if "word/settings.xml" in parts:
        parts["word/settings.xml"] = _without_update_prompt(parts["word/settings.xml"])
    return _zipped(infos, parts)


def keeps_field() -> bool:
    """The officer (or a CI job) chose the index field without LibreOffice's page numbers."""
    return os.environ.get(ENVIRONMENT, "").lower() == KEEP_FIELD


def note_without_numbers() -> str:
    """Why the index has no page numbers: the field was chosen, or LibreOffice could not lay the document out."""
    return NOTE_KEPT_FIELD if keeps_field() else NOTE_NO_LIBREOFFICE


def fill_document(document: etree._Element, pages: list[str]) -> bool:
    """Write each TOC entry's page (1-based, as printed by «Pagina X») into its PAGEREF result; False if a heading
    was not found on any page."""
    headings = _bookmarked_headings(document)
    entries = [link for link in document.iter(f"{W}hyperlink") if link.get(f"{W}anchor", "").startswith("_Toc")]
    if not entries:
        return False
    normalised = [_normal(page) for page in pages]
    start = _after_index(_normal(headings.get(entries[-1].get(f"{W}anchor"), "")), normalised)
    for link in entries:
        found = _find(_normal(headings.get(link.get(f"{W}anchor"), "")), normalised, start)
        if found is None:
            return False
        start = found
        _set_result(link, str(found + 1))
    return True


def _bookmarked_headings(document: etree._Element) -> dict[str, str]:
    headings = {}
    for start in document.iter(f"{W}bookmarkStart"):
        name = start.get(f"{W}name", "")
        paragraph = start.getparent()
        if name.startswith("_Toc") and paragraph is not None:
            headings[name] = "".join(t.text or "" for t in paragraph.iter(f"{W}t"))
    return headings


def _after_index(last_heading: str, pages: list[str]) -> int:
    """The body starts after the page where the index lists its last entry (the index may take several pages)."""
    found = _find(last_heading, pages, 0)
    return 0 if found is None else found + 1


def _find(heading: str, pages: list[str], start: int) -> int | None:
    probe = heading[:60]
    if not probe:
        return None
    return next((index for index in range(start, len(pages)) if probe in pages[index]), None)


def _normal(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("’", "'").replace("\u00ad", "").lower()
    return re.sub(r"\s+", " ", re.sub(r"-\s*\n\s*", "", text)).strip()


def _set_result(link: etree._Element, page: str) -> None:
    """Put `page` between the PAGEREF field's separate and end marks (replacing an older result)."""
    runs = list(link.iter(f"{W}r"))
    separate = next((r for r in runs if _fld_char(r) == "separate" and _is_pageref(runs, r)), None)
    if separate is None:
        return
    following = separate.getnext()
    while following is not None and _fld_char(following) != "end":
        after = following.getnext()
        following.getparent().remove(following)
        following = after
    result = etree.Element(f"{W}r")
    etree.SubElement(result, f"{W}t").text = page
    separate.addnext(result)


def _fld_char(run: etree._Element) -> str | None:
    char = run.find(f"{W}fldChar")
    return None if char is None else char.get(f"{W}fldCharType")


def _is_pageref(runs: list[etree._Element], separate: etree._Element) -> bool:
    before = runs[:runs.index(separate)]
    instruction = next((r for r in reversed(before) if r.find(f"{W}instrText") is not None), None)
    return instruction is not None and "PAGEREF" in (instruction.findtext(f"{W}instrText") or "")


def _without_update_prompt(xml: bytes) -> bytes:
    settings = etree.fromstring(xml, _SAFE)
    for element in settings.findall(f"{W}updateFields"):
        settings.remove(element)
    return etree.tostring(settings, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_texts(docx: bytes) -> list[str]:
    from capitolato.render.document import pdf_bytes

    return _pdf_pages(pdf_bytes("documento", docx))


def _pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page of a PDF (pdftotext separates pages with form feeds)."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True,
                          timeout=120).stdout.decode("utf-8", "replace")
    return text.split("\f")


def _zipped(infos: list[zipfile.ZipInfo], parts: dict[str, bytes]) -> bytes:
    """The package again, same entries in the same order with the same dates (the build stays deterministic)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in infos:
            archive.writestr(info, parts[info.filename])
    return buffer.getvalue()
