"""`capitolato build`: check, then write the tender's documents."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer

from capitolato.cli.app import EXIT_FINDINGS, handles_errors


class Format(StrEnum):
    DOCX = "docx"
    MD = "md"
    HTML = "html"
    PDF = "pdf"


@handles_errors
def build(
    path: Annotated[Path, typer.Argument(help="capitolato.yaml o cartella che lo contiene.")] = Path("."),
    output: Annotated[Optional[Path], typer.Option("-o", "--output",
                                                   help="Cartella di uscita (default: build/ accanto allo spec).")] = None,
    formato: Annotated[Optional[list[Format]], typer.Option(
        "--formato", help="Formato di uscita; ripetibile (default: docx).")] = None,
    riferimento: Annotated[Optional[Path], typer.Option(
        "--riferimento", help="Documento Word di riferimento (stili, carta intestata).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Sovrascrive i file esistenti.")] = False,
    bozza: Annotated[bool, typer.Option(
        "--bozza", help="Genera anche con errori: intestazione BOZZA e allegato con i rilievi aperti.")] = False,
    libreria: Annotated[Optional[list[Path]], typer.Option(
        "--libreria", help="Cartella con le clausole dell'ente (ripetibile).")] = None,
) -> None:
    """Genera i documenti di gara (capitolato speciale, disciplinare, avviso, convenzione) dopo il controllo."""
    from capitolato.cli.output import err
    from capitolato.document.build import OpenFinding
    from capitolato.document.build import build as build_documents
    from capitolato.library.load import load_library
    from capitolato.rules import check
    from capitolato.rules.finding import Severity
    from capitolato.spec.load import load_spec, spec_libraries

    spec = load_spec(path, libraries=libreria or [])
    library = load_library(spec_libraries(spec, libreria or []))
    findings = [f for f in check(spec, library) if not f.derogated]
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if errors and not bozza:
        from capitolato.cli.output import print_problems
        from capitolato.errors import Problem

        print_problems([Problem(f.location, f"{f.code} {f.message}", f.fix) for f in errors])
        err.print(f"[red]{len(errors)} errori[/red]: documenti non generati (correggere, oppure --bozza)")
        raise typer.Exit(EXIT_FINDINGS)
    open_findings = [OpenFinding(f.code, f.severity.label, f.message, str(f.location)) for f in findings]
    written = build_documents(spec, output, [f.value for f in (formato or [Format.DOCX])], library=library,
                              reference=riferimento, force=force, draft=bozza, open_findings=open_findings)
    for written_path in written:
        err.print(f"[green]✓[/green] {written_path}")


def register(app: typer.Typer) -> None:
    app.command("build")(build)
