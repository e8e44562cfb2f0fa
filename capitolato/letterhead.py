"""The authority's letterhead on the generated Word documents: its headers and footers win, ours fill the gaps.

A reference .docx (`--riferimento carta-intestata.docx`) already gives page size, margins, styles, fonts and theme
colours, because the documents are built on it. Its headers and footers (coat of arms, name, address, PEC) are put
back here, after rendering: for the first page and for the other pages, each one that has content in the letterhead
replaces ours, with its images and links; one the letterhead leaves empty keeps ours («Pagina X di Y»). A letterhead
without a distinct first page gives its header and footer to the cover too. The «BOZZA» notice of a draft is kept
below the letterhead's header. The reference is read through `capitolato.render.reference.sanitised_reference`: checked (no macros, no zip
bombs) and stripped of what a letterhead must not carry (external links, OLE objects, comments, fields).
"""

from __future__ import annotations

import copy
import io
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.section import Section
from lxml import etree

from capitolato.render.reference import sanitised_reference

R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CONTENT = (qn("w:t"), qn("w:drawing"), qn("w:pict"), qn("w:object"), qn("w:fldSimple"), qn("w:instrText"))
_PARTS = ("header", "footer", "first_page_header", "first_page_footer")


def apply_letterhead(docx: bytes, reference: Path, *, keep_text: str | None = None) -> bytes:
    """`docx` (built on `reference`) with the letterhead's headers and footers, as a new package."""
    document = Document(io.BytesIO(docx))
    apply_letterhead_to(document, reference, keep_text=keep_text)
    return _saved(document)


def apply_letterhead_to(document: DocxDocument, reference: Path, *, keep_text: str | None = None) -> None:
    """Put the letterhead's headers and footers on `document`; `keep_text` marks one of our paragraphs to keep
    under the letterhead's header (the draft notice)."""
    letterhead = sanitised_reference(Path(reference)).sections[0]
    section = document.sections[0]
    distinct_first = letterhead.different_first_page_header_footer
    for name in _PARTS:
        source_name = name if distinct_first or not name.startswith("first_page") else name.removeprefix("first_page_")
        source = getattr(letterhead, source_name)
        if source.is_linked_to_previous or not has_content(source._element):
            continue
        _replace(getattr(section, name), source, keep_text)
    if not distinct_first:
        section.different_first_page_header_footer = True


def has_content(element: etree._Element) -> bool:
    """A header or footer that shows something: text, an image, a drawing, a field."""
    return any(node.tag in _CONTENT and (node.tag != qn("w:t") or (node.text or "").strip())
               for node in element.iter())


def _replace(target: object, source: object, keep_text: str | None) -> None:
    """Our header/footer `target` takes the letterhead's content, with its images and hyperlinks re-related."""
    target.is_linked_to_previous = False
    element, source_part, target_part = target._element, source.part, target.part
    kept = [copy.deepcopy(p) for p in element if keep_text and keep_text in "".join(element.itertext())
            and keep_text in "".join(p.itertext())]
    for child in list(element):
        element.remove(child)
    mapping = {r_id: _relate(target_part, rel) for r_id, rel in source_part.rels.items()}
    for child in source._element:
        clone = copy.deepcopy(child)
        for node in clone.iter():
            for attribute, value in list(node.attrib.items()):
                if attribute.startswith(f"{{{R_NS}}}") and value in mapping:
                    node.set(attribute, mapping[value])
        element.append(clone)
    element.extend(kept)


def _relate(part: object, rel: object) -> str:
    """The same relationship from our part: images copied into our package, external links as they are."""
    if rel.is_external:
        return part.relate_to(rel.target_ref, rel.reltype, is_external=True)
    if rel.reltype == RT.IMAGE:
        image_part = part.package.get_or_add_image_part(io.BytesIO(rel.target_part.blob))
        return part.relate_to(image_part, RT.IMAGE)
    return part.relate_to(rel.target_part, rel.reltype)


def _saved(document: DocxDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def header_texts(section: Section) -> dict[str, str]:
    """The visible text of each header and footer of a section (for tests and the build summary)."""
    return {name: "".join(getattr(section, name)._element.itertext()) for name in _PARTS}
