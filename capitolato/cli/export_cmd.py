"""`capitolato export`: the tender as machine-readable data (spec and facts, OCDS, eForms) for portals and pipelines."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer

from capitolato.cli.app import handles_errors


class ExportFormat(StrEnum):
    JSON = "json"
    OCDS = "ocds"
    EFORMS = "eforms"


@handles_errors
def export(
    path: Annotated[Path, typer.Argument(metavar="PERCORSO", help="capitolato.yaml o cartella che lo contiene.")] = Path("."),
    formato: Annotated[ExportFormat, typer.Option(
        "--formato", help="json (spec e dati derivati), ocds (release OCDS 1.1) o eforms (termini eForms).")]
    = ExportFormat.JSON,
    output: Annotated[Optional[Path], typer.Option(
        "-o", "--output", help="File di uscita (predefinito: standard output).")] = None,
    prefisso_ocid: Annotated[Optional[str], typer.Option(
        "--prefisso-ocid", help="Prefisso OCID registrato presso Open Contracting (predefinito: ocds-capitolato-).")]
    = None,
    libreria: Annotated[Optional[list[Path]], typer.Option(
        "--libreria", help="Cartella con le clausole dell'ente (ripetibile).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Sovrascrive il file di --output se esiste già.")] = False,
) -> None:
    """Esporta la gara in formato leggibile dalle macchine: JSON, release OCDS o termini eForms."""
    import json

    from capitolato.cli.output import say
    from capitolato.export import DEFAULT_OCID_PREFIX, eforms, ocds, tender_json
    from capitolato.export.ocds import check_ocid_prefix
    from capitolato.fsutil import atomic_write_bytes, guard_output
    from capitolato.library.load import load_library
    from capitolato.spec.load import load_spec, spec_libraries

    if output is not None:
        guard_output(output, force=force, inputs=[path])
    if prefisso_ocid is not None:
        check_ocid_prefix(prefisso_ocid)
    spec = load_spec(path, libraries=libreria or [])
    library = load_library(spec_libraries(spec, libreria or []))
    if formato is ExportFormat.OCDS:
        data = ocds(spec, ocid_prefix=prefisso_ocid or DEFAULT_OCID_PREFIX, library=library)
    elif formato is ExportFormat.EFORMS:
        data = eforms(spec, library=library)
    else:
        data = tender_json(spec)
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if output is None:
        typer.echo(text, nl=False)
        return
    atomic_write_bytes(output, text.encode("utf-8"), force=force)
    say("[green]✓[/green] {} ({})", output, formato.value)


def register(app: typer.Typer) -> None:
    app.command("export")(export)
