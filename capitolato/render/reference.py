"""Open the reference .docx (shipped or user-supplied) that provides page setup and styles."""

from __future__ import annotations

import io
import zipfile
import zlib
from functools import lru_cache
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

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
    """Open the reference, with an empty body ready to be filled.

    A user-supplied file is checked first (real docx, no macros, no zip bomb)
    because it comes from outside and is opened with full trust by python-docx.
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
    _drop_thumbnail(doc)
    return doc


def _read(path: Path, label: str) -> bytes:
    try:
        if path.stat().st_size > MAX_UNCOMPRESSED_BYTES:
            raise ReferenceDocError(f"Il documento di riferimento «{label}» supera i 50 MB.")
        return path.read_bytes()
    except OSError as exc:
        raise ReferenceDocError(f"Impossibile leggere il documento di riferimento «{label}»: {exc.strerror or exc}.") from exc


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


def _drop_thumbnail(doc: DocxDocument) -> None:
    """The thumbnail would show the reference's content, not ours."""
    rels = doc.part.package.rels
    for r_id in [r_id for r_id, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
        del rels[r_id]


@lru_cache(maxsize=1)
def shipped_styles() -> etree._Element:
    """The shipped reference's styles, used to fill styles missing from a user reference."""
    with zipfile.ZipFile(default_reference_path()) as archive:
        return etree.fromstring(archive.read("word/styles.xml"), _SAFE_PARSER)
