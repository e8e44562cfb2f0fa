"""Table of contents: a TOC field pre-filled with entries so it reads well before any update.

Word refreshes the field on open (``updateFields``); LibreOffice keeps the
field result as the index content, and its PAGEREF page numbers are computed
at layout time, so the PDF shows correct page numbers without a UNO macro.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.oxml.ns import qn
from lxml import etree

from capitolato.render.ooxml import add_text_run, begin_field, end_field, new_paragraph, sub

TOC_INSTRUCTION = 'TOC \\o "1-3" \\h \\z \\u'
TOC_PLACEHOLDER = "Indice da aggiornare: in Word premere F9 (oppure clic destro › Aggiorna campo)."
W_BOOKMARK_START = qn("w:bookmarkStart")
W_BOOKMARK_END = qn("w:bookmarkEnd")


@dataclass(frozen=True)
class TocEntry:
    """A heading that the index lists, with the bookmark its entry links to."""

    level: int
    text: str
    bookmark: str


class TocCollector:
    """Hands out deterministic bookmarks to headings and builds the index paragraphs."""

    def __init__(self) -> None:
        self.entries: list[TocEntry] = []

    def bookmark(self, p: etree._Element, level: int, text: str) -> None:
        """Wrap the heading's runs (already in ``p``) in a ``_Toc`` bookmark."""
        number = len(self.entries) + 1
        name = f"_Toc{number:09d}"
        start = etree.Element(W_BOOKMARK_START)
        start.set(qn("w:id"), str(number))
        start.set(qn("w:name"), name)
        ppr = p.find(qn("w:pPr"))
        p.insert(0 if ppr is None else 1, start)
        sub(p, "w:bookmarkEnd", w_id=str(number))
        self.entries.append(TocEntry(level, text, name))

    def paragraphs(self, style_ids: dict[int, str | None]) -> list[etree._Element]:
        """The TOC field: one paragraph per entry, or a placeholder when there are no headings."""
        holder = etree.Element(qn("w:body"))
        if not self.entries:
            p = new_paragraph(holder)
            begin_field(p, TOC_INSTRUCTION)
            add_text_run(p, TOC_PLACEHOLDER)
            end_field(p)
            return list(holder)
        for index, entry in enumerate(self.entries):
            p = new_paragraph(holder, style_ids.get(entry.level))
            if index == 0:
                begin_field(p, TOC_INSTRUCTION)
            _entry(p, entry)
        end_field(holder[-1])
        return list(holder)


def _entry(p: etree._Element, entry: TocEntry) -> None:
    link = sub(p, "w:hyperlink", w_anchor=entry.bookmark, w_history="1")
    add_text_run(link, entry.text)
    sub(sub(link, "w:r"), "w:tab")
    begin_field(link, f"PAGEREF {entry.bookmark} \\h")
    end_field(link)
