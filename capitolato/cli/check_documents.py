"""`capitolato check FILE.docx|FILE.pdf|FILE.odt …`: the audit of tender documents written elsewhere.

Same exit codes, formats and batch behaviour as the check of specs; the text and JSON reports add the facts read
from each document (the «estratti»), and `--annota` writes a commented copy of a Word file.
"""

from __future__ import annotations

import glob
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from capitolato.cli.app import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK
from capitolato.readers import SUFFIXES

if TYPE_CHECKING:
    from capitolato.audit import Audit
    from capitolato.batch import TenderResult
    from capitolato.rules.report import Outcome

SKIPPED = {"build", "node_modules"}


def split_documents(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """(documents, spec paths): files with a document suffix and the documents below a folder; the folder itself is
    kept for the spec search when it holds a capitolato.yaml too (or holds no document), so a mixed tree runs both."""
    from capitolato.spec.load import SPEC_FILE_NAME

    documents: list[Path] = []
    others: list[Path] = []
    for argument in paths:
        text = str(argument)
        for match in (sorted(glob.glob(text, recursive=True)) if glob.has_magic(text) else [text]) or [text]:
            path = Path(match)
            if path.suffix.lower() in SUFFIXES:
                documents.append(path)
            elif path.is_dir() and _documents_in(path):
                documents += _documents_in(path)
                if any(path.rglob(SPEC_FILE_NAME)):
                    others.append(path)
            else:
                others.append(path)
    return list(dict.fromkeys(documents)), others


def _documents_in(folder: Path) -> list[Path]:
    """Documents below a folder, skipping hidden folders, Word lock files and build outputs (as the spec search)."""
    found = [p for p in folder.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file()
             and not p.name.startswith(("~$", "."))
             and not any(part.startswith(".") or part in SKIPPED for part in p.relative_to(folder).parts[:-1])]
    return sorted(found)


def audit_documents(documents: list[Path], *, select: list[str], ignore: list[str], quiet: bool,
                    jobs: int | None) -> tuple[list[Audit], int]:
    """The audits of the documents that could be read, and how many could not (their problems already printed)."""
    from capitolato.batch import default_jobs, run
    from capitolato.cli.output import print_problems, track

    job = partial(_audit_one, select=select, ignore=ignore)
    results = track(run(job, documents, jobs or default_jobs()), len(documents), _progress_line, quiet=quiet)
    results.sort(key=lambda result: documents.index(result.path))
    for result in results:
        print_problems(result.problems)
    audits: list[Audit] = [result.value for result in results if result.ok]
    return audits, len(results) - len(audits)


def render_documents(audits: list[Audit], output_format: str, specs: list[Outcome] | None = None) -> str:
    """The report of the audits, with the outcomes of the specs checked in the same run (a mixed folder)."""
    from capitolato.audit.report import print_audits, to_json
    from capitolato.cli.check_cmd import ReportFormat, _captured, _render
    from capitolato.rules.report import Outcome

    specs = specs or []
    if output_format == "text":
        text = _captured(lambda console: print_audits(audits, console))
        return (_render(specs, ReportFormat.TEXT, False) if specs else "") + text
    if output_format == "json":
        return to_json(audits, specs)
    return _render([*specs, *(Outcome(a.path, a.findings) for a in audits)], ReportFormat(output_format), False)


def check_documents(documents: list[Path], *, select: list[str], ignore: list[str], fail_on: str,
                    output_format: str, quiet: bool, output: Path | None, annotate: Path | None, force: bool,
                    jobs: int | None) -> None:
    from capitolato.audit.report import failing
    from capitolato.cli.check_cmd import _emit
    from capitolato.cli.output import err
    from capitolato.rules.finding import Severity
    from capitolato.rules.report import summarise

    audits, unread = audit_documents(documents, select=select, ignore=ignore, quiet=quiet, jobs=jobs)
    if annotate is not None:
        _annotate(audits, annotate, force)
    if output is not None or not quiet:
        _emit(render_documents(audits, output_format), output, force)
    findings = [f for a in audits for f in a.findings]
    err.print(f"{summarise(findings)} ({len(audits)} {'documento' if len(audits) == 1 else 'documenti'})")
    if unread:
        raise typer.Exit(EXIT_INPUT)
    raise typer.Exit(EXIT_FINDINGS if failing(audits, Severity(fail_on)) else EXIT_OK)


def _audit_one(path: Path, select: list[str], ignore: list[str]) -> Audit:
    from capitolato.audit import audit

    return audit(path, select=select, ignore=ignore)


def _progress_line(result: TenderResult[Audit]) -> str:
    if not result.ok:
        return f"[red]✗[/red] {result.path}: non leggibile"
    from capitolato.rules.report import summarise

    return f"{'[green]✓[/green]' if not result.value.findings else '•'} {result.path}: {summarise(result.value.findings)}"


def _annotate(audits: list[Audit], target: Path, force: bool) -> None:
    from capitolato.audit.annotate import write_annotated
    from capitolato.errors import OutputError, Problem, Location

    words = [a for a in audits if a.path.suffix.lower() == ".docx"]
    if len(words) != 1 or len(audits) != 1:
        raise OutputError([Problem(Location(str(target)), "--annota vuole un solo documento Word (.docx) da controllare",
                                   "per un PDF i rilievi riportano pagina e riga")])
    write_annotated(words[0], target, force=force)
