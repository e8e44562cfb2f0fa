"""Where a command's run meets the outside world: exit codes, signals, a broken standard output, internal errors.

Imported only when a command runs (from `handles_errors`), so `--help` and `--version` stay fast.
"""

from __future__ import annotations

import errno
import os
import signal
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer

from capitolato.cli.app import EXIT_INPUT, EXIT_INTERNAL, EXIT_SIGINT, EXIT_SIGTERM
from capitolato.errors import CapitolatoError, Location, Problem

DEBUG_VARIABLE = "CAPITOLATO_DEBUG"
OUTPUT_ERRNOS = frozenset({errno.EPIPE, errno.ENOSPC, errno.EDQUOT, errno.EBADF, errno.EIO})


try:
    from typer._click.exceptions import ClickException
except ImportError:  # Typer before 0.29 runs on click itself, which its Exit and Abort already are
    from click import ClickException

_PASSED_THROUGH = (typer.Exit, typer.Abort, ClickException)


class Terminated(BaseException):
    """SIGTERM, raised in the main thread so every `finally` (temporaries, workers) runs before the exit."""


def run_command(func: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    from capitolato import errors, fsutil

    fsutil.begin_run()
    errors.take_warnings()
    try:
        with _sigterm_raises(), _closed_stdout_detected():
            _refuse_undecodable(kwargs)
            try:
                return func(*args, **kwargs)
            finally:
                _print_warnings(errors.take_warnings())
                _flush_stdout()
    except _PASSED_THROUGH:
        raise
    except CapitolatoError as exc:
        _print_problems(exc.problems)
        raise typer.Exit(EXIT_INPUT) from None
    except KeyboardInterrupt:
        raise typer.Exit(_interrupted("interrotto (Ctrl-C)", EXIT_SIGINT)) from None
    except Terminated:
        raise typer.Exit(_interrupted("terminato (SIGTERM)", EXIT_SIGTERM)) from None
    except OSError as exc:
        if exc.errno not in OUTPUT_ERRNOS:
            raise typer.Exit(_internal_error(exc)) from None
        raise typer.Exit(_output_broken(exc)) from None
    except Exception as exc:  # the one place a bug is turned into its exit code
        raise typer.Exit(_internal_error(exc)) from None


def _print_problems(problems: list[Problem], label: str = "errore") -> None:
    from capitolato.cli.output import print_problems

    print_problems(problems, label=label)


def _print_warnings(warnings: list[Problem]) -> None:
    if warnings:
        _print_problems(warnings, label="avviso")


def _refuse_undecodable(kwargs: dict[str, Any]) -> None:
    """Arguments that were not UTF-8 on the command line reach Python as lone surrogates: refuse them here,
    before they travel into a spec, a message or a file name."""
    from capitolato.model.characters import neutralise

    problems = []
    for name, value in kwargs.items():
        for item in value if isinstance(value, (list, tuple)) else [value]:
            text = str(item) if isinstance(item, (str, Path)) else ""
            if any("\udc80" <= char <= "\udcff" or "\ud800" <= char <= "\udfff" for char in text):
                option = "--" + name.replace("_", "-")
                problems.append(Problem(Location("riga di comando"),
                                        f"il valore di {option} «{neutralise(text)}» non è testo UTF-8 valido",
                                        "riscrivere l'argomento con una codifica UTF-8"))
    if problems:
        raise CapitolatoError(problems)


@contextmanager
def _sigterm_raises() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum: int, frame: Any) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class _ClosedStream:
    """Stands for a standard output the shell closed (`>&-`): writing to it is an error, not a silent no-op."""

    encoding = "utf-8"
    errors = "strict"

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "standard output chiuso")

    def flush(self) -> None:
        return None

    def isatty(self) -> bool:
        return False


@contextmanager
def _closed_stdout_detected() -> Iterator[None]:
    if sys.stdout is not None:
        yield
        return
    sys.stdout = _ClosedStream()  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout = None  # type: ignore[assignment]


def _flush_stdout() -> None:
    if sys.stdout is not None:
        sys.stdout.flush()


def _output_broken(exc: OSError) -> int:
    """Standard output closed (a pipe whose reader left) or full (/dev/full): say so on standard error."""
    from capitolato.fsutil import os_reason

    _silence_stdout()
    _say_on_stderr(f"capitolato: errore: impossibile scrivere sullo standard output ({os_reason(exc)}): "
                   "il risultato è incompleto")
    return EXIT_INPUT


def _silence_stdout() -> None:
    """After a failed write nothing more may reach the broken stream, not even the interpreter's final flush."""
    if sys.stdout is not None and sys.stdout is sys.__stdout__:
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
        except (OSError, ValueError):
            pass


def _say_on_stderr(text: str) -> None:
    try:
        from capitolato.cli.output import err, lit

        err.print(lit(text))
    except (OSError, ValueError):
        pass


def _interrupted(what: str, code: int) -> int:
    from capitolato.fsutil import written_files

    written = written_files()
    summary = f"{len(written)} file scritti prima dell'interruzione" if written else "nessun file scritto"
    _say_on_stderr(f"capitolato: {what}: {summary}; i file temporanei sono stati rimossi")
    for path in written:
        _say_on_stderr(f"  {path}")
    return code


def _internal_error(exc: BaseException) -> int:
    """A bug: the traceback saved to a file (or shown with CAPITOLATO_DEBUG=1) and a message saying how to report it."""
    details = "".join(traceback.format_exception(exc))
    if os.environ.get(DEBUG_VARIABLE):
        _say_on_stderr(details)
        where = "il dettaglio è qui sopra"
    else:
        saved = _save_traceback(details)
        where = (f"il dettaglio è salvato in {saved}" if saved else "il dettaglio non si è potuto salvare") + \
                f"; per vederlo qui rilanciare con {DEBUG_VARIABLE}=1"
    _say_on_stderr(f"capitolato: errore interno ({type(exc).__name__}: {exc}). È un difetto del programma, non dei "
                   f"dati della gara: {where}. Segnalarlo ai manutentori di capitolato (README, «Segnalare un problema») "
                   f"allegando il comando e quel dettaglio (codice di uscita {EXIT_INTERNAL}).")
    return EXIT_INTERNAL


def _save_traceback(details: str) -> Path | None:
    try:
        fd, name = tempfile.mkstemp(prefix=f"capitolato-errore-{time.strftime('%Y%m%d-%H%M%S')}-", suffix=".txt")
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as handle:
            handle.write(details)
        return Path(name)
    except OSError:
        return None
