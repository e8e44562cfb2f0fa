"""Writes a new tender folder: refuses a non-empty folder unless forced, never deletes, writes atomically."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from capitolato.errors import Location, OutputError, Problem
from capitolato.fsutil import StagedWrites, os_reason


def _fail(path: Path, message: str, hint: str | None = None) -> OutputError:
    return OutputError([Problem(Location(str(path)), message, hint)])


def check_target(folder: Path, force: bool) -> None:
    """Fail before any work if the folder cannot receive a new tender."""
    if folder.exists() and not folder.is_dir():
        raise _fail(folder, "il percorso esiste ed è un file, non una cartella")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise _fail(folder, "la cartella non è vuota",
                    "scegliere una cartella nuova, oppure --force per sovrascrivere i soli file generati "
                    "(nessun altro file viene cancellato)")


def write_files(folder: Path, files: Mapping[str, str], force: bool) -> list[Path]:
    """All files staged and renamed together: a failure midway leaves the folder as it was."""
    check_target(folder, force)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _fail(folder, f"impossibile creare la cartella ({os_reason(exc)})") from None
    paths = [folder / name for name in files]
    for path in paths:
        if path.is_dir():
            raise _fail(path, "esiste una cartella con questo nome: impossibile scrivere il file")
    with StagedWrites(force=force) as staged:
        for path, text in zip(paths, files.values(), strict=True):
            staged.write(path, text.encode("utf-8"))
    return paths
