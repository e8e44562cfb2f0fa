"""Typed, located errors: the CLI catches them once and prints them in Italian."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Location:
    """A point in a user's file, 1-based like editors show it."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.file
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, where it is and how to fix it."""

    location: Location
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class CapitolatoError(Exception):
    """Base of every error the CLI turns into exit code 2."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class SpecError(CapitolatoError):
    """The tender spec cannot be read or does not validate."""


class LibraryError(CapitolatoError):
    """A clause library cannot be read or does not validate."""


class RenderError(CapitolatoError):
    """A template or clause text cannot be rendered."""


class OutputError(CapitolatoError):
    """An output file cannot be written safely."""


def single(error_type: type[CapitolatoError], path: Path | str, message: str,
           line: int = 0, column: int = 0, hint: str | None = None) -> CapitolatoError:
    """Build an error carrying one located problem."""
    return error_type([Problem(Location(str(path), line, column), message, hint)])


@dataclass
class ProblemList:
    """Collects problems so validation reports all of them at once."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, location: Location, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(location, message, hint))

    def raise_if_any(self, error_type: type[CapitolatoError]) -> None:
        if self.problems:
            raise error_type(sorted(self.problems, key=lambda p: p.location))


_WARNINGS: list[Problem] = []


def warn(location: Location, message: str, hint: str | None = None) -> None:
    """Record a located warning (an input that works but deserves a look); the CLI prints it as «avviso».

    Warnings are collected per process and taken by whoever reports a run, so a worker process sends them back
    with its result.
    """
    problem = Problem(location, message, hint)
    if problem not in _WARNINGS:
        _WARNINGS.append(problem)


def has_warnings() -> bool:
    """Whether warnings wait to be printed (a run that leaves some is not stored in the check cache)."""
    return bool(_WARNINGS)


def take_warnings() -> list[Problem]:
    """The warnings recorded so far, removed from the collector."""
    taken = list(_WARNINGS)
    _WARNINGS.clear()
    return taken
