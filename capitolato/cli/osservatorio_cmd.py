"""`capitolato osservatorio`: buone e cattive pratiche su molte gare — database, indicatori, linee guida, rapporto."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from capitolato.cli.app import EXIT_INPUT, handles_errors

if TYPE_CHECKING:
    from capitolato.batch import TenderResult


@handles_errors
def osservatorio(
    paths: Annotated[list[Path], typer.Argument(
        metavar="PERCORSO", help="Cartelle o file delle gare: capitolato.yaml e documenti .docx, .pdf, .odt "
                                 "(i documenti di una cartella sono una gara).")],
    output: Annotated[Path, typer.Option(
        "-o", "--output", metavar="CARTELLA",
        help="Cartella del database, dei dati aperti e del rapporto (predefinita: osservatorio/).")]
    = Path("osservatorio"),
    linee_guida: Annotated[Optional[Path], typer.Option(
        "--linee-guida", metavar="FILE",
        help="Linee guida dell'ente in YAML (predefinite: quelle ricavate dal modello di Melzo).")] = None,
    jobs: Annotated[Optional[int], typer.Option(
        "-j", "--jobs", min=1, help="File letti in parallelo (predefinito: numero di core).")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Sovrascrive i file di uscita che l'osservatorio non ha scritto o che sono stati modificati.")]
    = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Solo la riga di riepilogo.")] = False,
) -> None:
    """Legge un archivio di gare (spec e documenti) e le valuta sulle linee guida: graduatoria, rapporto, dati aperti.

    Fatti e rilievi di ogni gara restano in un database DuckDB, aggiornato solo per i file cambiati."""
    from capitolato.batch import default_jobs
    from capitolato.cli.output import print_problems, say, track
    from capitolato.observatory import load_guidelines, observe
    from capitolato.observatory.sources import shown

    guidelines = load_guidelines(linee_guida)

    def progress(results, total: int) -> list[TenderResult[Any]]:
        return track(results, total, _progress_line, quiet=quiet)

    observation = observe(paths, output, guidelines, jobs=jobs or default_jobs(), force=force, track=progress)
    for _, problems in sorted(observation.failed.items()):
        print_problems(problems)
    if not quiet:
        for path in observation.written:
            say("[green]✓[/green] {}", shown(path))
    readable = sum(t["stato"] == "letta" for t in observation.tenders)
    say("{} gare ({} lette), {} file letti, {} invariati, {} non leggibili; linee guida: {} ({})",
        len(observation.tenders), readable, len(observation.read), len(observation.reused), len(observation.failed),
        len(guidelines.items), guidelines.name)
    if observation.failed:
        raise typer.Exit(EXIT_INPUT)


def _progress_line(result: TenderResult[Any]) -> str:
    from capitolato.cli.output import lit
    from capitolato.observatory.sources import shown

    if not result.ok:
        return f"[red]✗[/red] {lit(shown(result.path))}: non leggibile"
    return f"• {lit(shown(result.path))}: {len(result.value['rilievi'])} rilievi"


def register(app: typer.Typer) -> None:
    app.command("osservatorio")(osservatorio)
