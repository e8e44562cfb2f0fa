"""Writes a new tender folder: refuses a non-empty folder unless forced, never deletes, writes atomically."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from capitolato.errors import Location, OutputError, Problem
from capitolato.fsutil import atomic_write_bytes


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
    """Each file written atomically; other files in the folder are left as they are."""
    check_target(folder, force)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _fail(folder, f"impossibile creare la cartella ({exc.strerror or exc})") from None
    written = []
    for name, text in files.items():
        path = folder / name
        if path.is_dir():
            raise _fail(path, "esiste una cartella con questo nome: impossibile scrivere il file")
        try:
            atomic_write_bytes(path, text.encode("utf-8"))
        except OSError as exc:
            raise _fail(path, f"impossibile scrivere il file ({exc.strerror or exc})") from None
        written.append(path)
    return written
