"""File-system helpers shared by every command that writes output files."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path
from types import TracebackType

from capitolato.errors import Location, OutputError, Problem

_REASONS = {
    errno.EACCES: "permesso di scrittura negato", errno.EPERM: "permesso di scrittura negato",
    errno.EROFS: "il disco è in sola lettura", errno.ENOSPC: "spazio su disco esaurito",
    errno.EDQUOT: "quota del disco esaurita", errno.ENOENT: "la cartella non esiste",
    errno.ENOTDIR: "il percorso passa per un file, non per una cartella", errno.EISDIR: "è una cartella",
    errno.ENAMETOOLONG: "nome del file troppo lungo",
}


def os_reason(exc: OSError) -> str:
    """Why the system refused, in Italian for the common cases and in the system's own words otherwise."""
    return _REASONS.get(exc.errno or 0, exc.strerror or str(exc))


def write_failure(path: Path, exc: OSError) -> OutputError:
    return OutputError([Problem(Location(str(path)), f"impossibile scrivere il file: {os_reason(exc)}")])


class StagedWrites:
    """Files written beside their destinations under hidden temporary names and renamed into place only when
    every one is complete: a failure midway (a render error, a full disk, an interrupt) leaves every existing
    file as it was and no temporary file behind.

    Temporaries live in the destination's folder, so each rename is atomic on the same file system; only a rename
    itself failing (rare once the bytes are on disk) can leave the earlier destinations already replaced.
    """

    def __init__(self) -> None:
        self._pending: list[tuple[Path, Path]] = []

    def write(self, path: Path, data: bytes) -> None:
        self._pending.append((_temporary_copy(Path(path), data), Path(path)))

    def __enter__(self) -> StagedWrites:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        try:
            if kind is None:
                self._commit()
        finally:
            for temporary, _ in self._pending:
                temporary.unlink(missing_ok=True)

    def _commit(self) -> None:
        for temporary, path in self._pending:
            try:
                os.replace(temporary, path)
            except OSError as exc:
                raise write_failure(path, exc) from None


def _temporary_copy(path: Path, data: bytes) -> Path:
    """The bytes, flushed to disk, in a new hidden file next to `path`; removed again if anything fails."""
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise write_failure(path, exc) from None
    temporary = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
    except BaseException as exc:
        temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise write_failure(path, exc) from None
        raise
    return temporary


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so readers never see a half-written file; an OS failure is an OutputError."""
    with StagedWrites() as staged:
        staged.write(path, data)
