"""`capitolato build`: check each tender, then write its documents; many tenders in parallel."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from capitolato.cli.app import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, handles_errors

if TYPE_CHECKING:
    from capitolato.batch import TenderResult
    from capitolato.rules.finding import Finding


class Format(StrEnum):
    DOCX = "docx"
    MD = "md"
    HTML = "html"
    PDF = "pdf"


@dataclass
class BuildOutcome:
    """Documents written for one tender, or the check errors that stopped it."""

    written: list[Path] = field(default_factory=list)
    blocking: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@handles_errors
def build(
    paths: Annotated[Optional[list[Path]], typer.Argument(
        metavar="PERCORSO", help="capitolato.yaml, la sua cartella, una cartella di gare o un glob.")] = None,
    output: Annotated[Optional[Path], typer.Option(
        "-o", "--output", help="Cartella di uscita (predefinito: build/ accanto a ogni spec; con più gare, "
                               "una sottocartella per gara).")] = None,
    formato: Annotated[Optional[list[Format]], typer.Option(
        "--formato", help="Formato di uscita; ripetibile (predefinito: docx).")] = None,
    riferimento: Annotated[Optional[Path], typer.Option(
        "--riferimento", help="Documento Word di riferimento (stili, carta intestata).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Sovrascrive i file esistenti.")] = False,
    bozza: Annotated[bool, typer.Option(
        "--bozza", help="Genera anche con errori: intestazione BOZZA e allegato con i rilievi aperti.")] = False,
    libreria: Annotated[Optional[list[Path]], typer.Option(
        "--libreria", help="Cartella con le clausole dell'ente (ripetibile).")] = None,
    jobs: Annotated[Optional[int], typer.Option(
        "-j", "--jobs", min=1, help="Gare elaborate in parallelo (predefinito: numero di core).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Solo la riga di riepilogo.")] = False,
) -> None:
    """Genera i documenti di gara (capitolato speciale, disciplinare, avviso, convenzione) dopo il controllo."""
    from capitolato.batch import default_jobs, discover, run
    from capitolato.cli.output import err, track
    from capitolato.cli.summary import build_line

    specs = discover(paths or [Path(".")])
    job = partial(_build_one, output=output, formats=[f.value for f in (formato or [Format.DOCX])],
                  reference=riferimento, force=force, draft=bozza, libraries=libreria or [],
                  per_tender_folder=len(specs) > 1)
    results = track(run(job, specs, jobs or default_jobs()), len(specs), _progress_line, quiet=quiet)
    results.sort(key=lambda result: specs.index(result.path))
    _report(results, quiet)
    failed = sum(not r.ok for r in results)
    blocked = sum(bool(r.ok and r.value.blocking) for r in results)
    built = len(results) - failed - blocked
    files = sum(len(r.value.written) for r in results if r.ok and not r.value.blocking)
    err.print(build_line(built, files, blocked, failed))
    raise typer.Exit(EXIT_INPUT if failed else EXIT_FINDINGS if blocked else EXIT_OK)


def _build_one(spec_path: Path, *, output: Path | None, formats: list[str], reference: Path | None, force: bool,
               draft: bool, libraries: list[Path], per_tender_folder: bool) -> BuildOutcome:
    from capitolato.document.build import OpenFinding
    from capitolato.document.build import build as build_documents
    from capitolato.library.load import load_library
    from capitolato.rules import check
    from capitolato.rules.finding import Severity
    from capitolato.spec.load import load_spec, spec_libraries

    spec = load_spec(spec_path, libraries=libraries)
    library = load_library(spec_libraries(spec, libraries))
    findings = [f for f in check(spec, library) if not f.derogated]
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if errors and not draft:
        return BuildOutcome(blocking=errors)
    target = output / spec.source.path.parent.name if output and per_tender_folder else output
    open_findings = [OpenFinding(f.code, f.severity.label, f.message, str(f.location)) for f in findings]
    notes: list[str] = []
    written = build_documents(spec, target, formats, library=library, reference=reference, force=force,
                              draft=draft, open_findings=open_findings, notes=notes)
    return BuildOutcome(written=written, notes=notes)


def _progress_line(result: TenderResult[BuildOutcome]) -> str:
    if not result.ok:
        return f"[red]✗[/red] {result.path}: errori di input"
    if result.value.blocking:
        return f"[red]✗[/red] {result.path}: {len(result.value.blocking)} errori del controllo"
    return f"[green]✓[/green] {result.path}: {len(result.value.written)} file"


def _report(results: list[TenderResult[BuildOutcome]], quiet: bool) -> None:
    from capitolato.cli.output import err, print_problems
    from capitolato.errors import Problem

    for result in results:
        print_problems(result.problems)
        if not result.ok:
            continue
        blocking = result.value.blocking
        print_problems([Problem(f.location, f"{f.code} {f.message}", f.fix) for f in blocking])
        if blocking:
            err.print(f"[red]{len(blocking)} errori[/red] in {result.path}: documenti non generati "
                      "(correggere, oppure --bozza)")
        elif not quiet and len(results) == 1:
            for written in result.value.written:
                err.print(f"[green]✓[/green] {written}")
    if not quiet:
        for note in sorted({note for result in results if result.ok for note in result.value.notes}):
            err.print(f"[yellow]nota[/yellow]: {note}")


def register(app: typer.Typer) -> None:
    app.command("build")(build)
