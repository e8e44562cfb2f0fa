"""`build`: the tender's documents written to disk, atomically, never overwriting without `force`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

from capitolato.document.assemble import assemble
from capitolato.document.model import Document, Heading, ListBlock, Paragraph, Text
from capitolato.errors import Location, OutputError, Problem, SpecError
from capitolato.fsutil import ReadRefused, StagedWrites, folder_lock, guard_outputs, os_reason, read_bounded
from capitolato.library.load import Library, load_library
from capitolato.model.tender import Spec
from capitolato.slug import slug
from capitolato.spec.load import spec_libraries
from capitolato.typography import typeset_document

SLUG_LENGTH = 40


class OutputFormat(StrEnum):
    DOCX = "docx"
    MARKDOWN = "md"
    HTML = "html"
    PDF = "pdf"


@dataclass(frozen=True)
class OpenFinding:
    """A finding left open in a draft, listed in the draft's appendix."""

    code: str
    severity: str
    message: str
    location: str


def default_output_dir(spec: Spec) -> Path:
    base = spec.source.path.parent if spec.source is not None else Path.cwd()
    return base / "build"


def output_paths(spec: Spec, documents: Sequence[Document], out_dir: Path,
                 formats: Sequence[OutputFormat]) -> dict[tuple[str, OutputFormat], Path]:
    name = slug(spec.procedure.subject, SLUG_LENGTH, fallback="gara")
    return {(document.kind, fmt): out_dir / f"{document.kind}_{name}.{fmt.value}"
            for document in documents for fmt in formats}


def build(spec: Spec, out_dir: Path | str | None = None, formats: Sequence[OutputFormat | str] = ("docx",), *,
          library: Library | None = None, reference: Path | None = None, force: bool = False,
          draft: bool = False, open_findings: Sequence[OpenFinding] = (), notes: list[str] | None = None,
          documents: Sequence[Document] | None = None) -> list[Path]:
    """Write every document of the tender in every format; return the paths written.

    `notes` collects what the officer should know about the output (an index left without page numbers).
    `documents` are the tender's documents already assembled from this spec and library (by the check's rules)."""
    chosen = [OutputFormat(f) for f in formats]
    library = library or load_library(spec_libraries(spec))
    documents = list(documents) if documents is not None else assemble(spec, library)
    if draft:
        documents = [_with_findings_appendix(d, open_findings) for d in documents]
    documents = [typeset_document(d, spec_values=spec.typeset_spec_values) for d in documents]
    target_dir = Path(out_dir) if out_dir is not None else default_output_dir(spec)
    targets = output_paths(spec, documents, target_dir, chosen)
    reference = reference or _spec_reference(spec)
    inputs = run_inputs(spec, reference)
    _check_linked_files(spec)
    guard_outputs(targets.values(), force=force, inputs=inputs)
    _prepare_folder(target_dir)
    with folder_lock(target_dir), StagedWrites(force=force, inputs=inputs) as staged:
        for document in documents:
            meta = document_meta(spec, document, draft)
            rendered = _render(document, meta, chosen, reference, notes)
            for fmt in chosen:
                staged.write(targets[(document.kind, fmt)], rendered[fmt])
    return list(targets.values())


MAX_LOGO_BYTES = 10 * 1024 * 1024


def _check_linked_files(spec: Spec) -> None:
    """The logo the spec names must be a regular file of bounded size (not a FIFO, a device, a looping link):
    refused at the spec's own line before anything is rendered."""
    if not spec.authority.logo or spec.source is None:
        return
    try:
        read_bounded(spec.source.path.parent / spec.authority.logo, MAX_LOGO_BYTES)
    except ReadRefused as exc:
        location = spec.source.locate(("ente", "logo"))
        raise SpecError([Problem(location, f"logo «{spec.authority.logo}»: {exc.reason}")]) from None


def run_inputs(spec: Spec, reference: Path | None) -> list[Path]:
    """The files a build reads besides the clause library: none of them may become an output."""
    files = [spec.source.path] if spec.source is not None else []
    if reference is not None:
        files.append(Path(reference))
    if spec.authority.logo and spec.source is not None:
        files.append(spec.source.path.parent / spec.authority.logo)
    return files


def _spec_reference(spec: Spec) -> Path | None:
    if spec.reference_docx and spec.source is not None:
        return (spec.source.path.parent / spec.reference_docx).resolve()
    return None


def document_meta(spec: Spec, document: Document, draft: bool):
    from capitolato.render.meta import DocumentMeta

    authority, procedure = spec.authority, spec.procedure
    logo = None
    if authority.logo and spec.source is not None:
        logo = (spec.source.path.parent / authority.logo).resolve()
    return DocumentMeta(
        title=document.title, ente=authority.name, date=procedure.notice_date, subtitle=procedure.subject,
        office=authority.office or "", cig=procedure.cig or "", cup=procedure.cup or "",
        subject=procedure.subject, keywords=", ".join(["capitolato", *procedure.cpv]),
        logo=logo, logo_alt=authority.logo_alt or f"Logo di {authority.name}", draft=draft,
    )


def _render(document: Document, meta, formats: Sequence[OutputFormat], reference: Path | None,
            notes: list[str] | None) -> dict[OutputFormat, bytes]:
    """One document in every format, in memory: nothing reaches the output folder until every one is ready.

    The Word package is made once; the PDF is its LibreOffice conversion, and that same conversion gives the Word
    index its page numbers (capitolato.toc_pages); without a PDF, LibreOffice lays the document out for the index
    (seconds per document, skipped with `CAPITOLATO_INDICE=campo`)."""
    from capitolato.render.document import pdf_bytes, render_bytes

    rendered = {fmt: render_bytes(document, meta, fmt.value, reference) for fmt in formats
                if fmt not in (OutputFormat.DOCX, OutputFormat.PDF)}
    if OutputFormat.DOCX not in formats and OutputFormat.PDF not in formats:
        return rendered
    docx = render_bytes(document, meta, "docx", reference)
    if OutputFormat.PDF in formats:
        rendered[OutputFormat.PDF] = pdf_bytes(document.kind, docx)
    if OutputFormat.DOCX in formats:
        rendered[OutputFormat.DOCX] = _indexed(docx, rendered.get(OutputFormat.PDF), notes)
    return {fmt: rendered[fmt] for fmt in formats}


def _indexed(docx: bytes, pdf: bytes | None, notes: list[str] | None) -> bytes:
    """The Word package with its index's page numbers when they are computed; otherwise as it is, with a note."""
    from capitolato.toc_pages import fill_page_numbers, note_without_numbers

    filled = fill_page_numbers(docx, pdf)
    note = note_without_numbers()
    if filled is None and notes is not None and note not in notes:
        notes.append(note)
    return docx if filled is None else filled


def _prepare_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError([Problem(Location(str(folder)), "il percorso di uscita è un file, non una cartella")]) from None
    except OSError as exc:
        raise OutputError([Problem(Location(str(folder)),
                                   f"impossibile creare la cartella di uscita: {os_reason(exc)}")]) from None


def _with_findings_appendix(document: Document, findings: Sequence[OpenFinding]) -> Document:
    appendix = [Heading(1, (Text("Allegato – Rilievi aperti della bozza"),)),
                Paragraph((Text("Questa bozza è stata generata nonostante i rilievi seguenti, da risolvere prima "
                                "della pubblicazione."),))]
    if findings:
        appendix.append(ListBlock(tuple(
            (Paragraph((Text(f.code, bold=True), Text(f" ({f.severity}) {f.message} — {f.location}"))),)
            for f in findings)))
    else:
        appendix.append(Paragraph((Text("Nessun rilievo aperto."),)))
    return replace(document, blocks=(*document.blocks, *appendix))
