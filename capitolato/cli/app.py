"""The `capitolato` command: one Typer app, commands in their own modules, errors caught here once."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer

from capitolato import __version__
from capitolato.cli import italian_help
from capitolato.cli.commands import LazyGroup

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2
EXIT_INTERNAL = 70
EXIT_SIGINT, EXIT_SIGTERM = 130, 143


italian_help.install()

app = typer.Typer(
    name="capitolato",
    help="Capitolati d'appalto orientati all'impatto per i servizi sociali: "
         "specifica YAML, libreria di clausole, controlli e documenti Word.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode="rich",
    cls=LazyGroup,
)


def handles_errors(func: F) -> F:
    """The one edge where every command's outcome becomes an exit code (README, «Codici di uscita»).

    Typed input errors print in Italian and exit 2; Ctrl-C and SIGTERM stop the run, say what was written and exit
    130/143; a standard output that is closed or full is a message and exit 2, never a traceback or a silent 0;
    anything else is a bug: exit 70 with a message saying how to report it. Applied to every command.
    """
    if getattr(func, "_capitolato_guarded", False):
        return func

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from capitolato.cli import edge

        return edge.run_command(func, args, kwargs)

    wrapper._capitolato_guarded = True  # type: ignore[attr-defined]
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


def guard_all(typer_app: typer.Typer) -> None:
    """Every command, of this app and of its groups, goes through the one error edge."""
    for command in typer_app.registered_commands:
        if command.callback is not None:
            command.callback = handles_errors(command.callback)
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            guard_all(group.typer_instance)


def main() -> None:
    app()
