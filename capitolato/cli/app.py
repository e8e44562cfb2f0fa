"""The `capitolato` command: one Typer app, commands in their own modules, errors caught here once."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer

from capitolato import __version__
from capitolato.cli import italian_help

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2

italian_help.install()

app = typer.Typer(
    name="capitolato",
    help="Capitolati d'appalto orientati all'impatto per i servizi sociali: "
         "specifica YAML, libreria di clausole, controlli e documenti Word.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode="rich",
)


def handles_errors(func: F) -> F:
    """Turn the library's typed errors into Italian messages and exit code 2: the only place they are caught."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from capitolato.errors import CapitolatoError

        try:
            return func(*args, **kwargs)
        except CapitolatoError as exc:
            from capitolato.cli.output import print_problems

            print_problems(exc.problems)
            raise typer.Exit(EXIT_INPUT) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"capitolato {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[bool, typer.Option("--version", "-V", callback=_version, is_eager=True,
                                          help="Mostra la versione ed esce.")] = False,
) -> None:
    """Capitolati d'appalto orientati all'impatto per i servizi sociali."""


def _register() -> None:
    from capitolato.cli import (add_clause_cmd, build_cmd, check_cmd, clauses_cmd, export_cmd, monitora_cmd, new_cmd,
                                presets_cmd, rules_cmd, schema_cmd, validate_cmd)

    for module in (validate_cmd, schema_cmd, clauses_cmd, check_cmd, rules_cmd, build_cmd, new_cmd, presets_cmd,
                   add_clause_cmd, export_cmd, monitora_cmd):
        module.register(app)


_register()


def main() -> None:
    app()
