"""`capitolato aggiungi-clausola`: adds a library clause to a spec, keeping the user's comments and order."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from capitolato.cli.app import handles_errors


@handles_errors
def add_clause(
    clause_id: Annotated[str, typer.Argument(metavar="ID",
                                             help="Id della clausola (elenco: capitolato clauses list).")],
    path: Annotated[Path, typer.Argument(metavar="PERCORSO", help="capitolato.yaml o cartella che lo contiene.")] = Path("."),
    values: Annotated[Optional[list[str]], typer.Option(
        "--set", metavar="NOME=VALORE", help="Valore di un parametro della clausola (ripetibile).")] = None,
    diff: Annotated[bool, typer.Option("--diff", help="Mostra la modifica senza scrivere il file.")] = False,
    libreria: Annotated[Optional[list[Path]], typer.Option(
        "--libreria", help="Cartella con le clausole dell'ente (ripetibile).")] = None,
) -> None:
    """Aggiunge una clausola allo spec con i suoi parametri; commenti e ordine del file restano intatti."""
    from capitolato.cli.output import out, say
    from capitolato.scaffold.apply import add_clause as plan
    from capitolato.scaffold.essentials import parse_assignments

    added = plan(path, clause_id, parse_assignments(values or []), libreria or [])
    if diff:
        out.print(added.edit.diff(), markup=False, highlight=False, end="")
        return
    written = added.edit.write()
    say("[green]✓[/green] aggiunta la clausola «{}» a {} (segnata «DA VERIFICARE» per la revisione)", clause_id,
        written)
    for name, description in added.entry.placeholders.items():
        say("  [yellow]da completare[/yellow]: {} — {}", name, description)
    for required in added.requires:
        say("  [yellow]richiede anche[/yellow] «{}»: capitolato aggiungi-clausola {} {}", required, required,
            added.edit.path)


def register(app: typer.Typer) -> None:
    app.command("aggiungi-clausola")(add_clause)
