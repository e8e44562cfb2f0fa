"""One entry point for every output format of a typed document."""

from __future__ import annotations

import tempfile
from pathlib import Path

from capitolato.document.model import Document
from capitolato.render.meta import DocumentMeta

FORMATS = ("docx", "md", "html", "pdf")


def render_bytes(document: Document, meta: DocumentMeta, fmt: str, reference: Path | None = None) -> bytes:
    """The document in one format, in memory, so a caller can write several files all or nothing."""
    if fmt == "md":
        from capitolato.render.markdown import render_markdown

        return render_markdown(document).encode("utf-8")
    if fmt == "html":
        from capitolato.render.html import render_html

        return render_html(document, meta).encode("utf-8")
    if fmt not in ("docx", "pdf"):
        raise ValueError(f"formato sconosciuto: {fmt}")
    from capitolato.render.docx import render_docx

    docx = render_docx(document, meta, reference)
    return docx if fmt == "docx" else pdf_bytes(document.kind, docx)


def pdf_bytes(name: str, docx: bytes) -> bytes:
    """The PDF of a Word package, converted by LibreOffice."""
    from capitolato.render.pdf import docx_to_pdf

    with tempfile.TemporaryDirectory(prefix="capitolato-pdf-") as scratch:
        source = Path(scratch) / f"{name}.docx"
        source.write_bytes(docx)
        return docx_to_pdf(source, Path(scratch)).read_bytes()
