"""`capitolato monitora`: the impact system during execution — measurements, progress, the Rapporto di impatto."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer

from capitolato.cli.app import handles_errors


class Format(StrEnum):
    DOCX = "docx"
    HTML = "html"
    PDF = "pdf"
    JSON = "json"
    CSV = "csv"


def _date(value: Optional[str]) -> Optional[dt.date]:
    if value is None:
        return None
    from capitolato.errors import CapitolatoError, single
    from capitolato.monitor.parse import ParseError, to_date

    try:
        return to_date(value)
    except ParseError as exc:
        raise single(CapitolatoError, "--al", str(exc)) from None


@handles_errors
def monitora(
    path: Annotated[Path, typer.Argument(metavar="PERCORSO", help="capitolato.yaml o la cartella della gara.")]
    = Path("."),
    misure: Annotated[Optional[list[Path]], typer.Option(
        "--misure", metavar="FILE",
        help="File (.csv, .xlsx, .yaml) o cartelle delle misure; ripetibile (predefinito: misure/ accanto allo spec).")]
    = None,
    output: Annotated[Optional[Path], typer.Option(
        "-o", "--output", metavar="CARTELLA", help="Cartella di uscita (predefinita: build/ accanto allo spec).")]
    = None,
    formato: Annotated[Optional[list[Format]], typer.Option(
        "--formato",
        help="Formato di uscita; ripetibile (predefiniti: docx, html, json e csv; pdf richiede LibreOffice).")] = None,
    al: Annotated[Optional[str], typer.Option(
        "--al", metavar="DATA", help="Data del rapporto, es. 30/06/2028 (predefinita: data dell'ultima misura).")]
    = None,
    force: Annotated[bool, typer.Option("--force", help="Sovrascrive i file esistenti.")] = False,
    libreria: Annotated[Optional[list[Path]], typer.Option(
        "--libreria", help="Cartella con le clausole dell'ente (ripetibile).")] = None,
) -> None:
    """Segue il sistema di valutazione d'impatto durante l'esecuzione: misure, avanzamento, Rapporto di impatto."""
    from capitolato.cli.output import err
    from capitolato.monitor import monitor_tender
    from capitolato.monitor.outputs import Format as OutputFormat
    from capitolato.monitor.outputs import write_outputs
    from capitolato.spec.load import load_spec

    at = _date(al)
    spec = load_spec(path, libraries=libreria or [])
    monitoring = monitor_tender(spec, misure or [], at)
    written = write_outputs(monitoring, output, [OutputFormat(f.value) for f in formato or []], force=force, inputs=monitoring.inputs)
    if not any(p.series for p in monitoring.indicators):
        err.print("[yellow]attenzione[/yellow]: nessuna misura fino alla data del rapporto (cartella misure/ accanto "
                  "allo spec, o --misure): tutti gli indicatori sono senza dati")
    for file in written:
        err.print(f"[green]✓[/green] {file}")
    counts = {status: sum(p.status is status for p in monitoring.indicators) for status in _statuses()}
    summary = ", ".join(f"{n} {status.value}" for status, n in counts.items() if n)
    err.print(f"{len(monitoring.indicators)} indicatori al {monitoring.at.strftime('%d/%m/%Y')}: {summary}")


def _statuses():
    from capitolato.monitor.progress import Status

    return list(Status)


def register(app: typer.Typer) -> None:
    app.command("monitora")(monitora)
