"""Many tenders at once: find the specs behind paths and globs, and run one job per tender in parallel.

A failing tender never stops the others: each job returns its value or its located problems.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from capitolato.errors import CapitolatoError, Location, Problem
from capitolato.spec.load import SPEC_FILE_NAME

T = TypeVar("T")


@dataclass
class TenderResult(Generic[T]):
    """What one job produced for one spec: a value, or the problems that stopped it."""

    path: Path
    value: T | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def default_jobs() -> int:
    return os.cpu_count() or 1


def discover(arguments: Sequence[Path | str]) -> list[Path]:
    """Spec files behind the arguments: a file; a folder holding capitolato.yaml; else every capitolato.yaml below it.

    Glob patterns are expanded here too, for shells (and CI YAML) that pass them quoted. A path that matches
    nothing is kept as given, so loading it reports the problem.
    """
    found: list[Path] = []
    for argument in arguments:
        text = str(argument)
        matches = sorted(glob.glob(text, recursive=True)) if glob.has_magic(text) else [text]
        for match in matches or [text]:
            found += _specs_at(Path(match))
    return list(dict.fromkeys(found))


def _specs_at(path: Path) -> list[Path]:
    if not path.is_dir():
        return [path]
    if (path / SPEC_FILE_NAME).is_file():
        return [path / SPEC_FILE_NAME]
    nested = sorted(p for p in path.rglob(SPEC_FILE_NAME) if not _hidden_or_output(p, path))
    return nested or [path]


def _hidden_or_output(spec: Path, root: Path) -> bool:
    """Skip build outputs and hidden folders (.git, .venv) when searching a tree of tenders."""
    return any(part.startswith(".") or part in {"build", "node_modules"} for part in spec.relative_to(root).parts[:-1])


def run(job: Callable[[Path], T], specs: Sequence[Path], jobs: int) -> Iterator[TenderResult[T]]:
    """Yield one result per spec as soon as it is ready; `jobs` > 1 uses worker processes."""
    if jobs <= 1 or len(specs) <= 1:
        for spec in specs:
            yield _guarded(job, spec)
        return
    with ProcessPoolExecutor(max_workers=min(jobs, len(specs))) as pool:
        futures = {pool.submit(_guarded, job, spec): spec for spec in specs}
        for future in as_completed(futures):
            yield _collect(future, futures[future])


def _guarded(job: Callable[[Path], Any], spec: Path) -> TenderResult[Any]:
    try:
        return TenderResult(spec, value=job(spec))
    except CapitolatoError as exc:
        return TenderResult(spec, problems=list(exc.problems))


def _collect(future: Any, spec: Path) -> TenderResult[Any]:
    try:
        return future.result()
    except BrokenProcessPool:
        message = "il processo di lavoro si è interrotto (memoria esaurita o terminato dall'esterno)"
        return TenderResult(spec, problems=[Problem(Location(str(spec)), message)])
