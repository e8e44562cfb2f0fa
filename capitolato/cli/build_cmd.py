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

    from capitolato.fsutil import record_inputs

    specs = discover(paths or [Path(".")])
    targets = target_folders(specs, output)
    record_inputs([*specs, *([riferimento] if riferimento else [])])
    job = partial(_build_one, targets=targets, formats=[f.value for f in (formato or [Format.DOCX])],
                  reference=riferimento, force=force, draft=bozza, libraries=libreria or [])
    results = track(run(job, specs, jobs or default_jobs()), len(specs), _progress_line, quiet=quiet)
    results.sort(key=lambda result: specs.index(result.path))
    _report(results, quiet)
    failed = sum(not r.ok for r in results)
    blocked = sum(bool(r.ok and r.value.blocking) for r in results)
    built = len(results) - failed - blocked
    files = sum(len(r.value.written) for r in results if r.ok and not r.value.blocking)
    err.print(build_line(built, files, blocked, failed))
    raise typer.Exit(EXIT_INPUT if failed else EXIT_FINDINGS if blocked else EXIT_OK)


def target_folders(specs: list[Path], output: Path | None) -> dict[Path, Path]:
    """Each tender's output folder: `build/` beside its spec, `-o` for one tender, `-o/<folder name>` for many.

    Two tenders of one batch never share a folder (their documents would overwrite each other): that is an error
    naming them, before anything is written.
    """
    if output is None:
        targets = {spec: spec.parent / "build" for spec in specs}
    elif len(specs) == 1:
        targets = {specs[0]: output}
    else:
        targets = {spec: output / spec.parent.resolve().name for spec in specs}
    _refuse_shared_folders(targets)
    return targets


def _refuse_shared_folders(targets: dict[Path, Path]) -> None:
    from capitolato.errors import Location, OutputError, Problem

    by_folder: dict[Path, list[Path]] = {}
    for spec, folder in targets.items():
        by_folder.setdefault(folder.absolute(), []).append(spec)
    problems = [Problem(Location(str(targets[specs[0]])),
                        "gare diverse scriverebbero i documenti nella stessa cartella: "
                        + ", ".join(str(spec) for spec in specs),
                        "rinominare le cartelle delle gare, oppure generarle una alla volta con -o diversi")
                for specs in by_folder.values() if len(specs) > 1]
    if problems:
        raise OutputError(problems)


def _build_one(spec_path: Path, *, targets: dict[Path, Path], formats: list[str], reference: Path | None,
               force: bool, draft: bool, libraries: list[Path]) -> BuildOutcome:
    from capitolato.document.build import OpenFinding
    from capitolato.document.build import build as build_documents
    from capitolato.library.load import load_library
    from capitolato.rules import check_and_assemble
    from capitolato.rules.finding import Severity
    from capitolato.spec.load import load_spec, spec_libraries

    spec = load_spec(spec_path, libraries=libraries)
    library = load_library(spec_libraries(spec, libraries))
    checked, documents = check_and_assemble(spec, library)
    findings = [f for f in checked if not f.derogated]
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if errors and not draft:
        return BuildOutcome(blocking=errors)
    target = targets[spec_path]
    open_findings = [OpenFinding(f.code, f.severity.label, f.message, str(f.location)) for f in findings]
    notes: list[str] = []
    written = build_documents(spec, target, formats, library=library, reference=reference, force=force,
                              draft=draft, open_findings=open_findings, notes=notes, documents=documents)
    return BuildOutcome(written=written, notes=notes)


def _progress_line(result: TenderResult[BuildOutcome]) -> str:
    from capitolato.cli.output import lit

    if not result.ok:
        return f"[red]✗[/red] {lit(result.path)}: errori di input"
    if result.value.blocking:
        return f"[red]✗[/red] {lit(result.path)}: {len(result.value.blocking)} errori del controllo"
    return f"[green]✓[/green] {lit(result.path)}: {len(result.value.written)} file"


def _report(results: list[TenderResult[BuildOutcome]], quiet: bool) -> None:
    from capitolato.cli.output import print_problems, say
    from capitolato.errors import Problem

    for result in results:
        print_problems(result.warnings, label="avviso")
        print_problems(result.problems)
        if not result.ok:
            continue
        blocking = result.value.blocking
        print_problems([Problem(f.location, f"{f.code} {f.message}", f.fix) for f in blocking])
        if blocking:
            say("[red]{} errori[/red] in {}: documenti non generati (correggere, oppure --bozza)", len(blocking),
                result.path)
        elif not quiet and len(results) == 1:
            for written in result.value.written:
                say("[green]✓[/green] {}", written)
    if not quiet:
        for note in sorted({note for result in results if result.ok for note in result.value.notes}):
            say("[yellow]nota[/yellow]: {}", note)


def register(app: typer.Typer) -> None:
    app.command("build")(build)
