"""Open the reference .docx (shipped or user-supplied) and keep from it only what a letterhead is.

A reference comes from outside (an ente's letterhead, often made by someone else) and everything in it would be
copied into every published document. So it is opened, checked (a real docx, no macros, no zip bomb) and
sanitised: styles, numbering, page setup (sectPr), headers and footers with their own images, theme, fonts and
settings stay; the attached template, web settings and frames, every external or UNC relationship, OLE objects,
altChunk, comments, document variables, custom and app properties (names of people), printer settings,
protection, tracked revisions and media no kept part uses are dropped. `sanitised_reference` is the one way in.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from functools import lru_cache
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from capitolato.fsutil import ReadRefused, read_bounded
from capitolato.render.errors import ReferenceDocError
from capitolato.resources import data_path

MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_ENTRIES = 5000
MAIN_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def default_reference_path() -> Path:
    """The reference document shipped with capitolato."""
    return data_path("templates", "riferimento.docx")


def load_reference(path: Path | None) -> DocxDocument:
    """The sanitised reference with an empty body (only the final sectPr), ready to be filled."""
    return sanitised_reference(path)


def sanitised_reference(path: Path | None) -> DocxDocument:
    """Open, check and sanitise the reference: what is left is a letterhead and nothing else.

    Headers and footers stay (with their images), so a renderer can show the letterhead's own; the body is
    emptied but for the page setup. A user-supplied file is checked before python-docx trusts it.
    """
    label = "predefinito" if path is None else Path(path).name
    if path is None:
        data = _read(default_reference_path(), label)
    else:
        data = _read(Path(path), label)
        validate_reference(data, label)
    try:
        doc = Document(io.BytesIO(data))
    except Exception as exc:
        raise ReferenceDocError(f"Il documento di riferimento «{label}» non è leggibile come documento Word ({exc}).") from exc
    _clear_body(doc)
    sanitise(doc)
    check_sanitised(doc, label)
    return doc


def _read(path: Path, label: str) -> bytes:
    try:
        return read_bounded(path, MAX_UNCOMPRESSED_BYTES)
    except ReadRefused as exc:
        raise ReferenceDocError(f"Impossibile leggere il documento di riferimento «{label}»: {exc.reason}.") from None


def validate_reference(data: bytes, name: str) -> None:
    """Raise ``ReferenceDocError`` unless ``data`` is a plain, intact, reasonably sized .docx."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ReferenceDocError(
            f"«{name}» non è un file .docx valido: non è un archivio ZIP "
            "(file danneggiato, protetto da password o in vecchio formato .doc)."
        ) from exc
    with archive:
        _check_sizes(archive, name)
        names = set(archive.namelist())
        if "[Content_Types].xml" not in names or "word/document.xml" not in names:
            raise ReferenceDocError(f"«{name}» non è un documento Word: manca word/document.xml.")
        if any(entry.lower().endswith("vbaproject.bin") for entry in names):
            raise _macro_error(name)
        _check_content_types(archive.read("[Content_Types].xml"), name)
        _check_integrity(archive, name)


def _check_sizes(archive: zipfile.ZipFile, name: str) -> None:
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise ReferenceDocError(f"«{name}» contiene troppi file interni ({len(infos)}): non sembra un documento Word.")
    if sum(info.file_size for info in infos) > MAX_UNCOMPRESSED_BYTES:
        raise ReferenceDocError(f"«{name}» supera i 50 MB una volta decompresso: file rifiutato per sicurezza.")


def _check_content_types(xml: bytes, name: str) -> None:
    try:
        root = etree.fromstring(xml, _SAFE_PARSER)
    except etree.XMLSyntaxError as exc:
        raise ReferenceDocError(f"«{name}» è danneggiato: [Content_Types].xml non è XML valido.") from exc
    types = {el.get("ContentType", "") for el in root.iter(f"{_CT_NS}Override", f"{_CT_NS}Default")}
    if any("macroenabled" in ct.lower() or "vbaproject" in ct.lower() for ct in types):
        raise _macro_error(name)
    main = next((el.get("ContentType") for el in root.iter(f"{_CT_NS}Override")
                 if el.get("PartName") == "/word/document.xml"), None)
    if main != MAIN_CONTENT_TYPE:
        kind = "un modello (.dotx)" if main and "template" in main else "un documento Word standard"
        raise ReferenceDocError(f"«{name}» non è {kind}: usare un file .docx salvato come «Documento di Word».")


def _check_integrity(archive: zipfile.ZipFile, name: str) -> None:
    try:
        broken = archive.testzip()
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
        raise ReferenceDocError(f"«{name}» è danneggiato e non può essere letto ({exc}).") from exc
    if broken is not None:
        raise ReferenceDocError(f"«{name}» è danneggiato: il contenuto «{broken}» non supera il controllo di integrità.")


def _macro_error(name: str) -> ReferenceDocError:
    return ReferenceDocError(
        f"«{name}» contiene macro (formato .docm/.dotm): per sicurezza non è accettato come documento di riferimento. "
        "Salvarlo come «Documento di Word (.docx)»."
    )


def _clear_body(doc: DocxDocument) -> None:
    """Keep only the final section properties: the page setup is what we reuse."""
    body = doc.element.body
    sect_pr = qn("w:sectPr")
    for child in list(body):
        if child.tag != sect_pr:
            body.remove(child)


STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
PACKAGE_KEPT = frozenset({RT.OFFICE_DOCUMENT, RT.CORE_PROPERTIES})
MAIN_KEPT = frozenset({RT.STYLES, STYLES_WITH_EFFECTS, RT.NUMBERING, RT.SETTINGS, RT.FONT_TABLE, RT.THEME,
                       RT.HEADER, RT.FOOTER, RT.FOOTNOTES, RT.ENDNOTES})
PART_KEPT = frozenset({RT.IMAGE, RT.FONT})
SETTINGS_DROPPED = ("attachedTemplate", "docVars", "mailMerge", "documentProtection", "writeProtection",
                    "linkStyles", "saveThroughXslt", "trackRevisions", "removePersonalInformation",
                    "saveSubsetFonts", "hdrShapeDefaults")
FIELD_DROPPED = re.compile(r"^\s*(INCLUDEPICTURE|INCLUDETEXT|INCLUDE|LINK|DDE|DDEAUTO|IMPORT|HYPERLINK|DOCVARIABLE|"
                           r"AUTHOR|USERNAME|USERINITIALS|USERADDRESS|FILENAME|DATABASE|MERGEFIELD)\b", re.IGNORECASE)
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CLICKS = {qn("a:hlinkClick"), qn("a:hlinkHover")}
_OWNERS = {qn("w:drawing"), qn("w:pict"), qn("w:object"), qn("w:altChunk"), qn("w:headerReference"),
           qn("w:footerReference"), qn("w:printerSettings"), qn("w:subDoc"), qn("w:control"), qn("w:embed")}


def sanitise(doc: DocxDocument) -> None:
    """Keep the letterhead, drop everything else (see the module's docstring); media nobody uses is never saved,
    because python-docx writes only the parts still reachable through a relationship."""
    package = doc.part.package
    _keep_relationships(package.rels, PACKAGE_KEPT)
    _keep_relationships(doc.part.rels, MAIN_KEPT)
    _drop_settings(doc)
    for part in list(package.iter_parts()):
        if part is not doc.part:
            _keep_relationships(part.rels, PART_KEPT)
        element = getattr(part, "_element", None)
        if element is not None:
            _clean_xml(element, set(part.rels))


def _keep_relationships(rels, kept: frozenset[str]) -> None:
    """Only internal relationships of a kept type survive: an external one is how a document fetches a URL."""
    for r_id in [r_id for r_id, rel in rels.items() if rel.is_external or rel.reltype not in kept]:
        del rels[r_id]


def _drop_settings(doc: DocxDocument) -> None:
    """Settings keep page and compatibility options; nothing that attaches, merges, protects or tracks."""
    for rel in doc.part.rels.values():
        if rel.reltype != RT.SETTINGS:
            continue
        part = rel.target_part
        for name in SETTINGS_DROPPED:
            for element in part.element.findall(qn(f"w:{name}")):
                part.element.remove(element)
        for r_id in list(part.rels):
            del part.rels[r_id]


def _clean_xml(root: etree._Element, live_ids: set[str]) -> None:
    """Remove what pointed at a dropped relationship (a link loses its target but keeps its text), comments'
    anchors, and fields that fetch or reveal something when Word updates them."""
    for element in list(root.iter()):
        if element.getparent() is None and element is not root:
            continue
        dead = [value for name, value in element.attrib.items() if name.startswith(f"{{{_R_NS}}}")
                and value not in live_ids]
        if dead:
            _remove_reference(element)
    for tag in ("w:commentRangeStart", "w:commentRangeEnd", "w:commentReference", "w:altChunk", "w:object"):
        for element in list(root.iter(qn(tag))):
            _detach(element)
    for field in list(root.iter(qn("w:fldSimple"))):
        if FIELD_DROPPED.match(field.get(qn("w:instr"), "")):
            _unwrap(field)
    for instruction in list(root.iter(qn("w:instrText"))):
        if FIELD_DROPPED.match(instruction.text or ""):
            instruction.text = ""


def _remove_reference(element: etree._Element) -> None:
    if element.tag == qn("w:hyperlink"):
        _unwrap(element)
        return
    if element.tag in _CLICKS:
        _detach(element)
        return
    owner = element
    while owner is not None and owner.tag not in _OWNERS:
        owner = owner.getparent()
    _detach(owner if owner is not None else element)


def _unwrap(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    index = parent.index(element)
    for child in list(element):
        parent.insert(index, child)
        index += 1
    parent.remove(element)


def _detach(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)


def check_sanitised(doc: DocxDocument, label: str) -> None:
    """The sanitised package holds no external relationship and no part outside the letterhead's."""
    package = doc.part.package
    for part in package.iter_parts():
        for rel in part.rels.values():
            if rel.is_external:
                raise ReferenceDocError(f"«{label}»: il documento di riferimento conserva un collegamento esterno "
                                        f"({rel.reltype.rsplit('/', 1)[-1]}): non accettato.")
    unexpected = {rel.reltype for rel in package.rels.values()} - PACKAGE_KEPT
    unexpected |= {rel.reltype for rel in doc.part.rels.values()} - MAIN_KEPT
    if unexpected:
        raise ReferenceDocError(f"«{label}»: parti non ammesse nel documento di riferimento "
                                f"({', '.join(sorted(t.rsplit('/', 1)[-1] for t in unexpected))}).")


@lru_cache(maxsize=1)
def shipped_styles() -> etree._Element:
    """The shipped reference's styles, used to fill styles missing from a user reference."""
    with zipfile.ZipFile(default_reference_path()) as archive:
        return etree.fromstring(archive.read("word/styles.xml"), _SAFE_PARSER)
