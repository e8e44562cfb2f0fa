"""Consoles and the one way problems are printed."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from rich.console import Console
from rich.markup import escape

from capitolato.errors import Problem
from capitolato.model.characters import neutralise

T = TypeVar("T")


class _Console(Console):
    """Rich ends the process with exit 1 when its reader leaves; 1 means findings here, so the broken pipe is
    raised as the OSError it is and the command edge reports it (exit 2, a message on standard error)."""

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))


def _console(stderr: bool) -> Console:
    no_color = "NO_COLOR" in os.environ
    force = "FORCE_COLOR" in os.environ and not no_color
    return _Console(stderr=stderr, no_color=no_color, force_terminal=True if force else None,
                    highlight=False, soft_wrap=True, emoji=False)


out = _console(stderr=False)
err = _console(stderr=True)


def lit(value: object) -> str:
    """Any value printed literally inside console markup: Rich tags escaped (`gara [/x]` stays that text).

    Backslashes at the end of a value would escape the tag after it. Rich shows 2n backslashes before a tag as n, but
    n at the end of the text as n: trailing ones are doubled and followed by the empty `[none]` tag, so that they
    always stand before a tag, whatever the template puts after the value.
    """
    text = neutralise(str(value))
    body = text.rstrip("\\")
    trailing = len(text) - len(body)
    return escape(body) + ("\\" * 2 * trailing + "[none]" if trailing else "")


def say(template: str, *values: object, console: Console | None = None) -> None:
    """Print a markup `template` whose `{}` fields are filled with `values` shown literally: the one way a
    message carrying paths or spec values reaches the terminal."""
    (console or err).print(template.format(*(lit(value) for value in values)))


def print_problems(problems: Iterable[Problem], *, label: str = "errore") -> None:
    colour = "yellow" if label == "avviso" else "red"
    for problem in problems:
        hint = f" [dim]({lit(problem.hint)})[/dim]" if problem.hint else ""
        err.print(f"[bold]{lit(problem.location)}[/bold]: [{colour}]{label}[/{colour}]: {lit(problem.message)}{hint}")


def interactive() -> bool:
    """A progress bar only for a person at a terminal; CI logs get one plain line per tender."""
    return err.is_terminal and os.environ.get("CI", "").lower() not in {"true", "1", "yes"}


def track(results: Iterator[T], total: int, line: Callable[[T], str], *, quiet: bool = False) -> list[T]:
    """Consume batch results, showing progress; returns them in completion order."""
    collected: list[T] = []
    if interactive() and not quiet and total > 1:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=err, transient=True) as progress:
            task = progress.add_task("Capitolati", total=total)
            for result in results:
                collected.append(result)
                progress.advance(task)
        return collected
    for result in results:
        collected.append(result)
        if not quiet and total > 1:
            err.print(line(result))
    return collected
