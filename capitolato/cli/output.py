"""Consoles and the one way problems are printed."""

from __future__ import annotations

import os
from collections.abc import Iterable

from rich.console import Console
from rich.markup import escape

from capitolato.errors import Problem


def _console(stderr: bool) -> Console:
    no_color = "NO_COLOR" in os.environ
    force = "FORCE_COLOR" in os.environ and not no_color
    return Console(stderr=stderr, no_color=no_color, force_terminal=True if force else None,
                   highlight=False, soft_wrap=True)


out = _console(stderr=False)
err = _console(stderr=True)


def print_problems(problems: Iterable[Problem], *, label: str = "errore") -> None:
    for problem in problems:
        hint = f" [dim]({escape(problem.hint)})[/dim]" if problem.hint else ""
        err.print(f"[bold]{escape(str(problem.location))}[/bold]: [red]{label}[/red]: "
                  f"{escape(problem.message)}{hint}")
