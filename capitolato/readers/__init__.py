"""Readers of tender documents written elsewhere (Word, PDF, OpenDocument) into the typed document model.

Each reader returns a `Document` of kind «letto» whose blocks carry their `Position` (paragraph, and page and line
where the format has them); headings numbered by hand are recognised (`headings`). The format libraries are imported
only here, when a document is read.
"""

from __future__ import annotations

from pathlib import Path

from capitolato.document.model import Document
from capitolato.errors import CapitolatoError, Location, Problem

SUFFIXES = (".docx", ".pdf", ".odt")


class DocumentError(CapitolatoError):
    """A tender document cannot be read (damaged, scanned without text, unsupported format)."""


def document_error(path: Path, message: str, hint: str | None = None) -> DocumentError:
    return DocumentError([Problem(Location(str(path)), message, hint)])


def is_document(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES


def read_document(path: Path) -> Document:
    """The document at `path`, read with the reader of its format."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise document_error(path, "file non trovato")
    if suffix == ".docx":
        from capitolato.readers.docx import read_docx

        return read_docx(path)
    if suffix == ".pdf":
        from capitolato.readers.pdf import read_pdf

        return read_pdf(path)
    if suffix == ".odt":
        from capitolato.readers.odt import read_odt

        return read_odt(path)
    raise document_error(path, f"formato {suffix or 'senza estensione'} non supportato",
                         "si leggono documenti .docx, .pdf e .odt (un .doc va prima salvato come .docx)")


def missing_library(path: Path, package: str) -> DocumentError:
    return document_error(path, f"per leggere questo formato serve il pacchetto «{package}», non installato",
                          "pip install 'capitolato[documenti]'")
