"""File-system helpers shared by every command that reads a user's file or writes an output.

Three guarantees live here, so no command has to remember them:

- reading: only regular files, bounded in size before a byte is read (no /dev/zero, FIFO, looping symlink);
- writing an output: never over an existing file without ``force``, never over an input of the same run even with
  it (compared by resolved path and by device/inode), atomically, with the user's umask;
- rewriting the officer's own file in place: the symlink's target, its mode kept, under a lock, and only if nobody
  changed it in the meantime.
"""

from __future__ import annotations

import errno
import fcntl
import os
import signal
import stat
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from capitolato.errors import CapitolatoError, Location, OutputError, Problem

NAME_MAX_BYTES = 255
EDIT_LOCK_SECONDS = 10.0

_REASONS = {
    errno.EACCES: "permesso di scrittura negato", errno.EPERM: "permesso di scrittura negato",
    errno.EROFS: "il disco è in sola lettura", errno.ENOSPC: "spazio su disco esaurito",
    errno.EDQUOT: "quota del disco esaurita", errno.ENOENT: "la cartella non esiste",
    errno.ENOTDIR: "il percorso passa per un file, non per una cartella", errno.EISDIR: "è una cartella",
    errno.ENAMETOOLONG: "nome del file troppo lungo", errno.ELOOP: "collegamento simbolico circolare",
    errno.EPIPE: "l'uscita è stata chiusa", errno.EBADF: "l'uscita è chiusa",
}


def os_reason(exc: OSError) -> str:
    """Why the system refused, in Italian for the common cases and in the system's own words otherwise."""
    return _REASONS.get(exc.errno or 0, exc.strerror or str(exc))


def write_failure(path: Path, exc: OSError) -> OutputError:
    return OutputError([Problem(Location(str(path)), f"impossibile scrivere il file: {os_reason(exc)}")])


def _output_error(path: Path | str, message: str, hint: str | None = None) -> OutputError:
    return OutputError([Problem(Location(str(path)), message, hint)])


# --- the run's ledger: what this run read and wrote --------------------------------------------------------------

Identity = tuple[int, int]


@dataclass
class Ledger:
    """The inputs read and the outputs written by one run (one command), so that no output can land on an input
    and an interrupted run can say what it left on disk. Worker processes send theirs back with each result."""

    inputs: dict[Identity, str] = field(default_factory=dict)
    resolved: set[str] = field(default_factory=set)
    written: dict[str, None] = field(default_factory=dict)

    def absorb(self, other: Ledger) -> None:
        self.inputs.update(other.inputs)
        self.resolved |= other.resolved
        self.written.update(other.written)


_LEDGER = Ledger()
_JOURNAL: int | None = None  # a worker's journal of the files it put in place (`keep_journal`)


def begin_run() -> None:
    """A new run starts with nothing read and nothing written (one process may run many commands, as tests do)."""
    global _LEDGER
    _LEDGER = Ledger()


def ledger() -> Ledger:
    return _LEDGER


def record_input(path: Path | str) -> None:
    """Remember a file this run reads: it may never become one of the run's outputs."""
    try:
        info = os.stat(path)
        resolved = str(Path(path).resolve())
    except (OSError, RuntimeError):
        return
    _LEDGER.inputs[(info.st_dev, info.st_ino)] = str(path)
    _LEDGER.resolved.add(resolved)


def record_inputs(paths: Iterable[Path | str]) -> None:
    for path in paths:
        record_input(path)


def record_written(path: Path) -> None:
    _LEDGER.written[str(path)] = None
    if _JOURNAL is not None:
        os.write(_JOURNAL, os.fsencode(str(path)) + b"\0")


def keep_journal(path: Path) -> None:
    """In a worker process: every file put in place is also appended to `path`, so that a parent that stops the
    worker before its result comes back still knows what it wrote."""
    global _JOURNAL
    _JOURNAL = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_CLOEXEC", 0), 0o600)


def read_journals(folder: Path) -> list[str]:
    """The files the workers whose journals are in `folder` put in place, in the order each wrote them."""
    return [os.fsdecode(name) for journal in sorted(folder.iterdir())
            for name in journal.read_bytes().split(b"\0") if name]


@contextmanager
def signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait until the block is over: temporaries created and listed, renames done and recorded,
    so an interrupted run leaves no hidden temporary and every file in place is in the ledger."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no signal masks, no SIGTERM sent by a parent either
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def written_files() -> list[str]:
    return list(_LEDGER.written)


PROJECT_MARKERS = (".git", "capitolato.toml", "pyproject.toml")


def project_root(spec_path: Path) -> Path:
    """The project a spec belongs to: the nearest folder above it holding a repository or a capitolato
    configuration, else the spec's own folder."""
    folder = Path(spec_path).resolve().parent
    for candidate in (folder, *folder.parents):
        if any((candidate / marker).exists() for marker in PROJECT_MARKERS):
            return candidate
    return folder


# --- reading a user's file ----------------------------------------------------------------------------------------


class ReadRefused(Exception):
    """A file that must not be read (not a regular file, too large, unreadable); `reason` is Italian."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def read_bounded(path: Path | str, limit: int) -> bytes:
    """The bytes of a regular file no larger than `limit`, recorded as an input of the run.

    The size is known before reading and the read itself stops at `limit + 1` bytes, so a device, a FIFO or a file
    growing while read can neither hang nor exhaust memory.
    """
    try:
        info = os.stat(path)
    except OSError as exc:
        raise ReadRefused(_stat_reason(Path(path), exc)) from None
    if stat.S_ISDIR(info.st_mode):
        raise ReadRefused("è una cartella, non un file")
    if not stat.S_ISREG(info.st_mode):
        raise ReadRefused("non è un file ordinario (dispositivo, FIFO o socket): rifiutato")
    if info.st_size > limit:
        raise ReadRefused(f"file troppo grande ({info.st_size} byte; massimo {limit})")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise ReadRefused(_stat_reason(Path(path), exc)) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ReadRefused("non è un file ordinario (dispositivo, FIFO o socket): rifiutato")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise ReadRefused(f"impossibile leggere il file ({os_reason(exc)})") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise ReadRefused(f"file troppo grande (oltre {limit} byte)")
    record_input(path)
    return data


def _stat_reason(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "collegamento simbolico non valido o circolare"
    if exc.errno == errno.ENOENT:
        return "collegamento simbolico non valido o circolare: la destinazione non esiste" if path.is_symlink() \
            else "file non trovato"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permesso di lettura negato"
    if exc.errno == errno.ENAMETOOLONG:
        return "nome del file troppo lungo"
    return f"impossibile leggere il file ({os_reason(exc)})"


# --- writing outputs ----------------------------------------------------------------------------------------------


def guard_outputs(paths: Iterable[Path], *, force: bool, inputs: Iterable[Path | str] = ()) -> None:
    """Refuse, all at once, every output that would overwrite an existing file without `force`, a folder, or an
    input of this run (even with `force`). Every command that writes calls this before doing any work."""
    record_inputs(inputs)
    problems = [problem for path in paths if (problem := _output_problem(Path(path), force)) is not None]
    if problems:
        raise OutputError(problems)


def guard_output(path: Path, *, force: bool, inputs: Iterable[Path | str] = ()) -> None:
    guard_outputs([path], force=force, inputs=inputs)


def _output_problem(path: Path, force: bool) -> Problem | None:
    location = Location(str(path))
    if len(os.fsencode(path.name)) > NAME_MAX_BYTES:
        return Problem(location, f"nome del file troppo lungo (oltre {NAME_MAX_BYTES} byte)")
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno in (errno.ENOTDIR,):
            return None
        return Problem(location, f"impossibile usare il percorso di uscita: {os_reason(exc)}")
    if is_input(path, info):
        return Problem(location, f"è un file letto da questo stesso comando ({_LEDGER.inputs.get((info.st_dev, info.st_ino), path)}): "
                                 "non si scrive mai sopra un input, nemmeno con --force",
                       "scegliere un altro file di uscita")
    if stat.S_ISDIR(info.st_mode):
        return Problem(location, "esiste una cartella con questo nome: impossibile scrivere il file")
    if not force:
        return Problem(location, "il file esiste già: usare --force per sovrascriverlo")
    return None


def is_input(path: Path, info: os.stat_result | None = None) -> bool:
    """True if `path` is (the same file as) something this run has read."""
    try:
        info = info or os.stat(path)
        resolved = str(path.resolve())
    except (OSError, RuntimeError):
        return False
    return (info.st_dev, info.st_ino) in _LEDGER.inputs or resolved in _LEDGER.resolved


def new_file_mode() -> int:
    """The mode a new file gets from the user's umask (0666 minus it), as `open()` would give."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


class StagedWrites:
    """Files written beside their destinations under hidden temporary names and renamed into place only when
    every one is complete: a failure midway (a render error, a full disk, an interrupt) leaves every existing
    file as it was and no temporary file behind.

    Without ``force`` a destination is created exclusively (a hard link that fails if the name exists), so a file
    that appeared meanwhile — another run writing the same folder — is an error, never overwritten. Outputs that are
    inputs of the run are refused even with ``force``.
    """

    def __init__(self, *, force: bool = False, inputs: Iterable[Path | str] = ()) -> None:
        self.force = force
        self.inputs = list(inputs)
        self._pending: list[tuple[Path, Path]] = []

    def write(self, path: Path, data: bytes) -> None:
        path = Path(path)
        guard_output(path, force=self.force, inputs=self.inputs)
        with signals_held():
            self._pending.append((_temporary_copy(path, data, new_file_mode()), path))

    def __enter__(self) -> StagedWrites:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        with signals_held():
            try:
                if kind is None:
                    self._commit()
            finally:
                for temporary, _ in self._pending:
                    temporary.unlink(missing_ok=True)

    def _commit(self) -> None:
        for temporary, path in self._pending:
            guard_output(path, force=self.force)
            try:
                _place(temporary, path, self.force)
            except FileExistsError:
                raise _output_error(path, "il file è comparso durante la scrittura (un'altra esecuzione scrive "
                                          "nella stessa cartella?): non sovrascritto") from None
            except OSError as exc:
                raise write_failure(path, exc) from None
            record_written(path)


def _place(temporary: Path, path: Path, force: bool) -> None:
    if force:
        os.replace(temporary, path)
        return
    try:
        os.link(temporary, path)
    except OSError as exc:
        if exc.errno in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK) and not path.exists():
            os.replace(temporary, path)
            return
        raise
    temporary.unlink(missing_ok=True)


def _temporary_name(path: Path) -> str:
    """A hidden prefix for the temporary of `path`, short enough that the whole name fits in NAME_MAX."""
    budget = NAME_MAX_BYTES - len(".") - len(".tmp") - 10
    name = os.fsencode(path.name)[:budget].decode("utf-8", "ignore")
    return f".{name}."


def _temporary_copy(path: Path, data: bytes, mode: int) -> Path:
    """The bytes, flushed to disk, in a new hidden file next to `path`; removed again if anything fails."""
    try:
        fd, name = tempfile.mkstemp(prefix=_temporary_name(path), suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise write_failure(path, exc) from None
    temporary = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
    except BaseException as exc:
        temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise write_failure(path, exc) from None
        raise
    return temporary


def atomic_write_bytes(path: Path, data: bytes, *, force: bool = True, inputs: Iterable[Path | str] = ()) -> None:
    """Write ``data`` to ``path`` so readers never see a half-written file; an OS failure is an OutputError.

    Never over an input of the run; over an existing file only with `force` (the default for callers that
    checked it themselves).
    """
    with StagedWrites(force=force, inputs=inputs) as staged:
        staged.write(path, data)


# --- locks --------------------------------------------------------------------------------------------------------


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """An exclusive lock on an output folder for the time of one run's writes: a second run writing into the same
    folder at the same time fails with a clear message instead of mixing or losing files."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise _output_error(folder, f"impossibile aprire la cartella di uscita: {os_reason(exc)}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise _output_error(folder, "un'altra esecuzione di capitolato sta scrivendo in questa cartella",
                                "attendere che finisca, oppure scegliere un'altra cartella con -o") from None
        yield
    finally:
        os.close(fd)


@contextmanager
def _edit_lock(folder: Path, target: Path) -> Iterator[None]:
    """Serialise edits of files in one folder; waits a little, then gives up with a message."""
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        deadline = time.monotonic() + EDIT_LOCK_SECONDS
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise _output_error(target, "il file è in modifica da un'altra esecuzione: nessuna modifica "
                                                "scritta", "riprovare tra poco") from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)


# --- rewriting the officer's own file -----------------------------------------------------------------------------


def rewrite_in_place(path: Path, expected: bytes, data: bytes) -> Path:
    """Replace the content of the officer's file `path` (which held `expected`) with `data`.

    A symlink is followed and its target rewritten (the link stays a link); the file's mode is kept; a read-only
    file is refused; and under a lock the file is read again: if someone changed it since `expected` was read,
    nothing is written. Returns the file actually written.
    """
    target = Path(os.path.realpath(path))
    try:
        info = os.stat(target)
    except OSError as exc:
        raise _output_error(path, f"impossibile modificare il file: {_stat_reason(target, exc)}") from None
    if not os.access(target, os.W_OK) or not info.st_mode & stat.S_IWUSR:
        raise _output_error(path, "il file è in sola lettura: nessuna modifica scritta",
                            "renderlo scrivibile (chmod u+w) se la modifica è voluta")
    with _edit_lock(target.parent, Path(path)):
        if _current_bytes(target) != expected:
            raise _output_error(path, "il file è stato modificato da un'altra esecuzione mentre si preparava la "
                                      "modifica: nessuna modifica scritta", "rilanciare il comando")
        temporary = _temporary_copy(target, data, stat.S_IMODE(info.st_mode))
        try:
            _keep_owner(temporary, info)
            os.replace(temporary, target)
        except OSError as exc:
            temporary.unlink(missing_ok=True)
            raise write_failure(target, exc) from None
    record_written(target)
    return target


def _current_bytes(target: Path) -> bytes | None:
    try:
        return target.read_bytes()
    except OSError:
        return None


def _keep_owner(temporary: Path, info: os.stat_result) -> None:
    """Same owner and group as the original when the system lets us (it does for our own files)."""
    try:
        os.chown(temporary, info.st_uid, info.st_gid)
    except OSError:
        pass


__all__ = ["CapitolatoError", "ReadRefused", "StagedWrites", "atomic_write_bytes", "begin_run", "folder_lock",
           "guard_output", "guard_outputs", "ledger", "os_reason", "read_bounded", "record_input", "rewrite_in_place",
           "write_failure", "written_files"]
