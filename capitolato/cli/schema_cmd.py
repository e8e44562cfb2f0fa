"""`capitolato schema`: the JSON Schema of the spec, generated from the model."""

from __future__ import annotations

import typer


def schema() -> None:
    """Stampa lo JSON Schema (2020-12) dello spec, per il completamento automatico negli editor."""
    from capitolato.spec.schema import schema_json

    typer.echo(schema_json())


def register(app: typer.Typer) -> None:
    app.command("schema")(schema)
