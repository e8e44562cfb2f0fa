"""`capitolato validate`: load and validate specs, nothing else."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from capitolato.cli.app import EXIT_INPUT, EXIT_OK

SpecPaths = Annotated[Optional[list[Path]], typer.Argument(
    metavar="PERCORSO", help="capitolato.yaml, la sua cartella, una cartella di gare o un glob (predefinito: .).")]


def validate(paths: SpecPaths = None) -> None:
    """Controlla che gli spec siano leggibili e ben formati (struttura, tipi, valori ammessi, clausole)."""
    from capitolato.batch import discover, run
    from capitolato.cli.output import err, print_problems, say
    from capitolato.cli.summary import validate_line
    from capitolato.spec.load import load_spec

    results = list(run(load_spec, discover(paths or [Path(".")]), jobs=1))
    for result in results:
        print_problems(result.warnings, label="avviso")
        if result.ok:
            say("[green]✓[/green] {}: spec valido ({})", result.path, result.value.procedure.subject)
        print_problems(result.problems)
    failed = sum(not result.ok for result in results)
    if len(results) > 1:
        err.print(validate_line(len(results) - failed, failed))
    raise typer.Exit(EXIT_OK if all(result.ok for result in results) else EXIT_INPUT)


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)
