"""`capitolato validate`: load and validate a spec, nothing else."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from capitolato.cli.app import handles_errors

SpecPath = Annotated[Path, typer.Argument(help="capitolato.yaml o cartella che lo contiene.", show_default=True)]


@handles_errors
def validate(path: SpecPath = Path(".")) -> None:
    """Controlla che lo spec sia leggibile e ben formato (struttura, tipi, valori ammessi)."""
    from capitolato.cli.output import err
    from capitolato.spec.load import load_spec

    spec = load_spec(path)
    err.print(f"[green]✓[/green] {spec.source.path}: spec valido ({spec.procedure.subject})")


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)
