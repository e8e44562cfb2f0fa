"""`capitolato presets`: the starting points `capitolato new` offers."""

from __future__ import annotations

import typer

from capitolato.cli.app import handles_errors


@handles_errors
def presets() -> None:
    """Elenca i modelli di gara (preset) per «capitolato new»: nome, descrizione, procedura."""
    from rich.table import Table

    from capitolato.cli.output import out
    from capitolato.scaffold.presets import discover

    found = discover()
    table = Table(title=f"Modelli di gara ({len(found)})")
    table.add_column("nome", no_wrap=True)
    table.add_column("descrizione", overflow="fold")
    table.add_column("procedura", overflow="fold")
    for preset in found:
        table.add_row(preset.name, preset.info.description, preset.info.procedure)
    out.print(table)
    out.print("Per iniziare: [bold]capitolato new CARTELLA --preset NOME[/bold]")


def register(app: typer.Typer) -> None:
    app.command("presets")(presets)
