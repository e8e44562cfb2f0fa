"""Many tenders at once: find the specs behind paths and globs, and run one job per tender in parallel.

A failing tender never stops the others: each job returns its value or its located problems.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from capitolato import fsutil
from capitolato.errors import CapitolatoError, Location, Problem, take_warnings
from capitolato.fsutil import Ledger
from capitolato.spec.load import SPEC_FILE_NAME

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

T = TypeVar("T")


@dataclass
class TenderResult(Generic[T]):
    """What one job produced for one spec: a value, or the problems that stopped it."""

    path: Path
    value: T | None = None
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    ledger: Ledger = field(default_factory=Ledger)

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
    """Yield one result per spec as soon as it is ready; `jobs` > 1 uses worker processes.

    What each job read and wrote joins the run's ledger (so no output lands on an input of another tender, and an
    interrupted run can say what it wrote). Ctrl-C or SIGTERM in the parent stops the batch at once: pending jobs
    are cancelled, workers terminated (each removes its temporaries; the files they put in place are read from
    their journals), and the interruption goes on to the CLI.
    """
    if jobs <= 1 or len(specs) <= 1:
        for spec in specs:
            yield _absorbed(_guarded(job, spec))
        return
    from concurrent.futures import ProcessPoolExecutor, as_completed  # one tender, or -j 1: no worker processes

    journals = Path(tempfile.mkdtemp(prefix="capitolato-lavoratori-"))
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(specs)), initializer=_worker_setup, initargs=(journals,))
    try:
        futures = {pool.submit(_guarded, job, spec, True): spec for spec in specs}
        for future in as_completed(futures):
            yield _absorbed(_collect(future, futures[future]))
        pool.shutdown(wait=True)
    except BaseException:
        _stop(pool)
        for path in fsutil.read_journals(journals):  # written by a worker stopped before its result came back
            fsutil.record_written(Path(path))
        raise
    finally:
        shutil.rmtree(journals, ignore_errors=True)


def _absorbed(result: TenderResult[Any]) -> TenderResult[Any]:
    fsutil.ledger().absorb(result.ledger)
    return result


def _worker_setup(journals: Path) -> None:
    """Workers leave Ctrl-C to the parent (which stops them) and turn SIGTERM into an exception, so the
    `finally` blocks that remove hidden temporaries run before the worker exits; each keeps a journal of the files
    it puts in place, for the parent."""
    fsutil.keep_journal(journals / str(os.getpid()))
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _terminated)
    sys.unraisablehook = _unraisable


def _unraisable(unraisable: Any) -> None:
    """A SIGTERM that arrives inside a callback Python cannot raise from (importlib's module-lock cleanup, a weakref
    finaliser) would be printed as «Exception ignored … Traceback» and lost: it is sent again, to be raised in the
    job's own code."""
    if isinstance(unraisable.exc_value, WorkerTerminated):
        os.kill(os.getpid(), signal.SIGTERM)
        return
    sys.__unraisablehook__(unraisable)


class WorkerTerminated(BaseException):
    """A worker asked to stop: not an error of the tender, so nothing catches it on the way out."""


_IN_JOB = False


def _terminated(signum: int, frame: Any) -> None:
    """Idle, the worker just ends; inside a job the exception unwinds it first (temporaries are removed), then
    `_guarded` ends the process, so it never picks up another job."""
    if not _IN_JOB:
        os._exit(128 + signum)
    raise WorkerTerminated


def _stop(pool: ProcessPoolExecutor, grace: float = 5.0) -> None:
    """Cancel what has not started, ask running workers to stop, and kill any that does not within `grace`."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    deadline = time.monotonic() + grace
    for process in processes:
        process.join(max(deadline - time.monotonic(), 0.05))
        if process.is_alive():
            process.kill()
            process.join(1.0)


def _guarded(job: Callable[[Path], Any], spec: Path, in_worker: bool = False) -> TenderResult[Any]:
    """One job; in a worker the ledger and warnings start empty for each tender and travel back with the result."""
    global _IN_JOB
    if in_worker:
        fsutil.begin_run()
        take_warnings()
        _IN_JOB = True
    try:
        result = TenderResult(spec, value=job(spec))
    except CapitolatoError as exc:
        result = TenderResult(spec, problems=list(exc.problems))
    except WorkerTerminated:
        os._exit(128 + signal.SIGTERM)
    finally:
        _IN_JOB = False
    result.warnings = take_warnings()
    if in_worker:
        result.ledger = fsutil.ledger()
    return result


def _collect(future: Any, spec: Path) -> TenderResult[Any]:
    from concurrent.futures.process import BrokenProcessPool

    try:
        return future.result()
    except BrokenProcessPool:
        message = "il processo di lavoro si è interrotto (memoria esaurita o terminato dall'esterno)"
        return TenderResult(spec, problems=[Problem(Location(str(spec)), message)])
