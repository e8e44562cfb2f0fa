"""`capitolato check`: run the rules on one or more tenders and report the findings."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from capitolato.cli.app import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK

if TYPE_CHECKING:
    from rich.console import Console

    from capitolato.batch import TenderResult
    from capitolato.rules.report import Outcome

class ReportFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    GITHUB = "github"
    JUNIT = "junit"
    CODEQUALITY = "codequality"


class FailOn(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


def check(
    paths: Annotated[Optional[list[Path]], typer.Argument(
        metavar="PERCORSO", help="capitolato.yaml, la sua cartella, o una cartella di gare (una sottocartella per gara); "
                                 "oppure documenti di gara .docx, .pdf, .odt (o cartelle che li contengono).")] = None,
    select: Annotated[Optional[list[str]], typer.Option(
        "--select", help="Solo queste regole: codici o famiglie (AWD001, AWD, ALL), separati da virgole.")] = None,
    ignore: Annotated[Optional[list[str]], typer.Option(
        "--ignore", help="Escludi queste regole: codici o famiglie, separati da virgole.")] = None,
    fail_on: Annotated[FailOn, typer.Option(
        "--fail-on", help="Gravità minima che fa uscire con codice 1.")] = FailOn.ERROR,
    output_format: Annotated[ReportFormat, typer.Option(
        "--format", "--formato", help="text, json, sarif, github (annotazioni dei workflow), junit, codequality (GitLab).")] = ReportFormat.TEXT,
    statistics: Annotated[bool, typer.Option("--statistics", help="Conteggio dei rilievi per regola.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Solo la riga di riepilogo.")] = False,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="Scrivi il rapporto in questo file invece che sullo schermo.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Sovrascrive il file di --output (o la copia di --annota) se esiste già.")] = False,
    libreria: Annotated[Optional[list[Path]], typer.Option(
        "--libreria", help="Cartella con le clausole dell'ente (ripetibile).")] = None,
    fix: Annotated[bool, typer.Option(
        "--fix", help="Applica le correzioni sicure (clausole obbligatorie mancanti, segnate DA VERIFICARE), poi controlla.")] = False,
    diff: Annotated[bool, typer.Option("--diff", help="Mostra le correzioni sicure come diff, senza scrivere.")] = False,
    jobs: Annotated[Optional[int], typer.Option(
        "-j", "--jobs", min=1, help="Capitolati controllati in parallelo (predefinito: numero di core).")] = None,
    annota: Annotated[Optional[Path], typer.Option(
        "--annota", metavar="COPIA.docx", help="Per un documento Word: scrivi una copia con i rilievi come commenti.")] = None,
) -> None:
    """Controlla i capitolati: clausole sociali, punteggi, governance, impatto; anche i bandi in Word o PDF.

    Esce con 0 se pulito, 1 se ci sono rilievi di gravità pari o superiore a --fail-on, 2 per errori di input."""
    arguments = dict(paths=paths, select=select, ignore=ignore, fail_on=fail_on, output_format=output_format,
                     statistics=statistics, quiet=quiet, output=output, force=force, libreria=libreria, fix=fix,
                     diff=diff, jobs=jobs, annota=annota)
    from capitolato.cli import check_cache

    spec = None
    if check_cache.enabled() and not (fix or diff) and output is None and annota is None:
        spec = check_cache.cacheable_spec(paths)
    if spec is None:
        _check(**arguments)
        return
    _cached_check(spec, arguments)


def _cached_check(spec: Path, arguments: dict[str, object]) -> None:
    """The plain check of one spec through the result cache (capitolato/cli/check_cache.py)."""
    from capitolato import errors, fsutil
    from capitolato.cli import check_cache

    options = tuple((name, [str(v) for v in value] if isinstance(value, list) else str(value))
                    for name, value in sorted(arguments.items()))
    try:
        name = check_cache.key(spec, options)
    except OSError:
        _check(**arguments)
        return
    code = check_cache.replay(name)
    if code is not None:
        raise typer.Exit(code)
    with check_cache.recording() as record:
        try:
            _check(**arguments)
        except typer.Exit as stop:
            code = getattr(stop, "exit_code", None)
            if code in (EXIT_OK, EXIT_FINDINGS) and record.complete and not errors.has_warnings():
                check_cache.store(name, record.chunks, code, sorted(fsutil.ledger().resolved), record.folders)
            raise


def _check(paths: Optional[list[Path]], select: Optional[list[str]], ignore: Optional[list[str]], fail_on: FailOn,
           output_format: ReportFormat, statistics: bool, quiet: bool, output: Optional[Path], force: bool,
           libreria: Optional[list[Path]], fix: bool, diff: bool, jobs: Optional[int], annota: Optional[Path]) -> None:
    """The check itself: what the result cache records and replays."""
    from capitolato.cli.output import err
    from capitolato.rules.config import normalise
    from capitolato.rules.finding import Severity
    from capitolato.rules.report import all_findings, summarise

    normalise(select or [], "--select")
    normalise(ignore or [], "--ignore")

    from capitolato.cli.check_documents import check_documents, split_documents

    documents, others = split_documents(paths or [Path(".")])
    if documents and not others:
        check_documents(documents, select=select or [], ignore=ignore or [], fail_on=fail_on.value,
                        output_format=output_format.value, quiet=quiet, output=output, annotate=annota, force=force,
                        jobs=jobs)
    spec_paths = others if documents else paths or [Path(".")]
    if fix or diff:
        from capitolato.cli.fix_cmd import apply_fixes

        changed = apply_fixes(_tenders(spec_paths), write=not diff, select=select or [],
                              ignore=ignore or [], libraries=libreria or [])
        if diff:
            raise typer.Exit(EXIT_FINDINGS if changed else EXIT_OK)
    from capitolato.batch import default_jobs, run
    from capitolato.cli.output import print_problems, track

    specs = _tenders(spec_paths)
    if output is not None:
        from capitolato.fsutil import guard_output

        guard_output(output, force=force, inputs=[*specs, *documents, *(libreria or [])])
    job = partial(_check_one, select=select or [], ignore=ignore or [], libraries=libreria or [])
    results = track(run(job, specs, jobs or default_jobs()), len(specs), _progress_line, quiet=quiet)
    results.sort(key=lambda result: specs.index(result.path))
    for result in results:
        print_problems(result.warnings, label="avviso")
        print_problems(result.problems)
    outcomes = [result.value for result in results if result.ok]
    failed = len(outcomes) < len(results)
    audits, unread = _documents_too(documents, select or [], ignore or [], quiet, jobs, annota, force)
    findings = [*all_findings(outcomes), *(f for a in audits for f in a.findings)]
    if output is not None or not quiet:
        _emit(_mixed_report(outcomes, audits, output_format, statistics) if documents else
              _render(outcomes, output_format, statistics), output, force)
    from capitolato.cli.summary import check_line

    err.print(check_line(str(summarise(findings)), len(outcomes), len(results) - len(outcomes))
              + (f" e {len(audits)} {'documento' if len(audits) == 1 else 'documenti'}" if documents else ""))
    threshold = Severity(fail_on.value).rank
    if failed or unread:
        raise typer.Exit(EXIT_INPUT)
    if any(not f.derogated and f.severity.rank >= threshold for f in findings):
        raise typer.Exit(EXIT_FINDINGS)
    raise typer.Exit(EXIT_OK)


def _documents_too(documents: list[Path], select: list[str], ignore: list[str], quiet: bool, jobs: int | None,
                   annotate: Path | None, force: bool) -> tuple[list, int]:
    """The documents of a mixed run (specs and documents in the same folders or arguments)."""
    if not documents:
        return [], 0
    from capitolato.cli.check_documents import _annotate, audit_documents

    audits, unread = audit_documents(documents, select=select, ignore=ignore, quiet=quiet, jobs=jobs)
    if annotate is not None:
        _annotate(audits, annotate, force)
    return audits, unread


def _mixed_report(outcomes: list[Outcome], audits: list, output_format: ReportFormat, statistics: bool) -> str:
    from capitolato.cli.check_documents import render_documents
    from capitolato.rules.report import Outcome as SpecOutcome

    if statistics:
        return _render([*outcomes, *(SpecOutcome(a.path, a.findings) for a in audits)], output_format, True)
    return render_documents(audits, output_format.value, outcomes)


def _tenders(paths: list[Path]) -> list[Path]:
    from capitolato.batch import discover

    return discover(paths)


def _progress_line(result: TenderResult[Outcome]) -> str:
    from capitolato.cli.output import lit

    if not result.ok:
        return f"[red]✗[/red] {lit(result.path)}: non leggibile"
    from capitolato.rules.report import summarise

    mark = "[green]✓[/green]" if not result.value.findings else "•"
    return f"{mark} {lit(result.path)}: {summarise(result.value.findings)}"


def _check_one(spec_path: Path, select: list[str], ignore: list[str], libraries: list[Path]) -> Outcome:
    from capitolato.cli.check_cache import note_folders
    from capitolato.library.load import load_library
    from capitolato.rules import check as run_check
    from capitolato.rules.report import Outcome
    from capitolato.spec.load import load_spec, spec_libraries

    spec = load_spec(spec_path, libraries=libraries)
    folders = spec_libraries(spec, libraries)
    note_folders(folders)
    library = load_library(folders)
    return Outcome(spec.source.path, run_check(spec, library, select=select, ignore=ignore))


def _render(outcomes: list[Outcome], output_format: ReportFormat, statistics: bool) -> str:
    from capitolato.rules import report

    findings = report.all_findings(outcomes)
    if statistics:
        if output_format is ReportFormat.JSON:
            return report.statistics_json(findings)
        return _captured(lambda console: report.print_statistics(findings, console))
    renderers = {ReportFormat.JSON: report.to_json, ReportFormat.SARIF: report.to_sarif,
                 ReportFormat.GITHUB: report.to_github, ReportFormat.JUNIT: report.to_junit,
                 ReportFormat.CODEQUALITY: report.to_codequality}
    if output_format in renderers:
        return renderers[output_format](outcomes)
    return _captured(lambda console: report.print_text(outcomes, console))


def _captured(print_into: Callable[[Console], None]) -> str:
    """Rich output as text: colours only when stdout is a terminal that wants them."""
    from capitolato.cli.output import out

    with out.capture() as capture:
        print_into(out)
    return capture.get()


def _emit(text: str, output: Path | None, force: bool) -> None:
    if output is None:
        typer.echo(text, nl=False)
        return
    from capitolato.fsutil import atomic_write_bytes

    atomic_write_bytes(output, _plain(text).encode("utf-8"), force=force)


def _plain(text: str) -> str:
    from rich.text import Text

    return Text.from_ansi(text).plain


def register(app: typer.Typer) -> None:
    from capitolato.cli.app import handles_errors

    app.command("check")(handles_errors(check))
