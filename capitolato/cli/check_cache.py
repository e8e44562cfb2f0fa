"""A cache of `capitolato check` results, like ruff's: the same spec checked again with the same inputs prints the
stored result without importing pydantic, the models, Jinja or the rules (issue 21: most of a check is imports).

Only the plain check of one spec is cached (no --fix/--diff, --output, --annota, documents or batches). The key is
everything the result depends on that is known before the check runs: the tool's version and its own files (names,
sizes and modification times of every file of the package: clauses, templates, data and code; an install or an
edit changes them, and reading ~200 stats costs less than hashing their bytes), the Python version and the folders
its libraries come from, today's date (a rule and the dated legal values read it), the spec's bytes, the
configuration files the rules look for (capitolato.toml, pyproject.toml in the spec's folder and above), the options,
the working directory, the CAPITOLATO_* and console variables, and what the console looks like (terminal or not,
size, encoding). What the check found out only while running (the clause files it read, the ente's library
folders) is stored in the entry and compared on every hit. An entry holds the exact text written on standard output
and standard error, in order, and the exit code; only exits 0 and 1 are stored (input errors are printed again by
the check itself). Entries are written atomically, an unreadable one is ignored and rewritten, the oldest are
removed beyond MAX_ENTRIES, and `CAPITOLATO_NO_CACHE=1` turns the cache off.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from capitolato import __version__
from capitolato.fsutil import PROJECT_MARKERS

FORMAT = "capitolato-check-cache-1"
MAX_ENTRIES = 256
PACKAGE = Path(__file__).resolve().parent.parent
DOCUMENT_SUFFIXES = (".docx", ".pdf", ".odt")
CONFIG_FILES = ("capitolato.toml", "pyproject.toml")
CONSOLE_VARIABLES = ("NO_COLOR", "FORCE_COLOR", "CI", "TERM", "COLORTERM", "COLUMNS", "LINES", "TTY_COMPATIBLE",
                     "TTY_INTERACTIVE", "PYTHONIOENCODING", "SOURCE_DATE_EPOCH", "XDG_CACHE_HOME", "HOME")

Chunk = tuple[int, str]
Dependencies = tuple[tuple[str, str], ...]


def entries_dir() -> Path:
    """Beside the library cache (capitolato/library/cache.py), in its own folder."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "capitolato" / "controlli"


def enabled() -> bool:
    return os.environ.get("CAPITOLATO_NO_CACHE", "") in ("", "0")


def cacheable_spec(paths: Sequence[Path] | None) -> Path | None:
    """The one spec file a plain check of `paths` reads, or None when the run is anything else (several paths, a
    glob, a document, a folder holding documents or no capitolato.yaml, a missing file)."""
    if paths is not None and len(paths) != 1:
        return None
    path = paths[0] if paths else Path(".")
    if any(mark in str(path) for mark in "*?["):
        return None
    if path.is_dir():
        spec = path / "capitolato.yaml"
        if not spec.is_file() or any(p.suffix.lower() in DOCUMENT_SUFFIXES for p in path.rglob("*")):
            return None
        return spec
    return path if path.is_file() and path.suffix.lower() not in DOCUMENT_SUFFIXES else None


def key(spec: Path, options: Sequence[object]) -> str:
    """The entry's name: a digest of every input known before the check runs (module docstring)."""
    digest = hashlib.sha256()
    for part in (FORMAT, __version__, sys.version, sys.executable, time.strftime("%Y-%m-%d"), os.getcwd(),
                 repr(options), _package_stamp(), _python_paths_stamp(), _environment(), _console_stamp()):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(spec.read_bytes())
    for folder in (spec.resolve().parent, *spec.resolve().parent.parents):
        configs = [_file_digest(folder / name) for name in CONFIG_FILES]
        markers = [name for name in PROJECT_MARKERS if (folder / name).exists()]
        digest.update(f"\0{folder}\0{configs}\0{markers}".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def replay(name: str) -> int | None:
    """Print the stored result of entry `name` and return its exit code; None when there is no usable entry (missing,
    corrupted, or a file or library folder it depends on has changed)."""
    entry = _read(entries_dir() / f"{name}.entry")
    if entry is None or any(_digest(path) != digest for path, digest in entry[0]):
        return None
    streams = (sys.stdout, sys.stderr)
    for stream, text in entry[1]:
        streams[stream].write(text)
        streams[stream].flush()
    return entry[2]


def store(name: str, chunks: Sequence[Chunk], code: int, inputs: Sequence[str], folders: Sequence[Path]) -> None:
    """Best effort: an entry that cannot be written only costs the next run its time."""
    dependencies = {path: _file_digest(Path(path)) for path in inputs if not _inside_package(path)}
    dependencies |= {f"{folder}{os.sep}": _folder_digest(folder) for folder in folders}
    entry = (FORMAT, tuple(sorted(dependencies.items())), tuple(chunks), code)
    folder = entries_dir()
    try:
        folder.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        folder.mkdir(exist_ok=True, mode=0o700)
        descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(marshal.dumps(entry))
        os.replace(temporary, folder / f"{name}.entry")
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return
    _evict(folder)


class _Tee:
    """A text stream that passes everything on and remembers what it wrote; anything but text (the binary buffer)
    marks the recording incomplete, and such a run is not stored."""

    def __init__(self, stream: TextIO, index: int, chunks: list[Chunk], recorder: Recording) -> None:
        self._stream, self._index, self._chunks, self._recorder = stream, index, chunks, recorder

    def write(self, text: str) -> int:
        written = self._stream.write(text)
        if not isinstance(text, str):
            self._recorder.complete = False
        elif text:
            self._chunks.append((self._index, text))
        return written

    def __getattr__(self, name: str) -> Any:
        if name in ("buffer", "detach", "writelines"):
            self._recorder.complete = False
        return getattr(self._stream, name)


class Recording:
    """What a run printed, in order across both streams, and the library folders it read."""

    def __init__(self) -> None:
        self.chunks: list[Chunk] = []
        self.folders: list[Path] = []
        self.complete = True


_CURRENT: list[Recording] = []


def note_folders(folders: Sequence[Path]) -> None:
    """The check tells the recording which clause folders it read (a file added there changes the result)."""
    for record in _CURRENT:
        record.folders.extend(folders)


@contextlib.contextmanager
def recording() -> Iterator[Recording]:
    """Record standard output and standard error for the duration of the block (the consoles look them up on
    every write, so they write through the recorder too)."""
    record = Recording()
    saved = sys.stdout, sys.stderr
    sys.stdout = _Tee(saved[0], 0, record.chunks, record)  # type: ignore[assignment]
    sys.stderr = _Tee(saved[1], 1, record.chunks, record)  # type: ignore[assignment]
    _CURRENT.append(record)
    try:
        yield record
    finally:
        sys.stdout, sys.stderr = saved
        _CURRENT.remove(record)


def _read(path: Path) -> tuple[Dependencies, tuple[Chunk, ...], int] | None:
    try:
        entry = marshal.loads(path.read_bytes())
    except Exception:  # noqa: BLE001 — a missing, truncated or foreign entry only means checking again
        return None
    if not (isinstance(entry, tuple) and len(entry) == 4 and entry[0] == FORMAT and isinstance(entry[3], int)
            and all(isinstance(d, tuple) and len(d) == 2 and all(isinstance(x, str) for x in d) for d in entry[1])
            and all(isinstance(c, tuple) and len(c) == 2 and c[0] in (0, 1) and isinstance(c[1], str)
                    for c in entry[2])):
        return None
    return entry[1], entry[2], entry[3]


def _digest(path: str) -> str:
    return _folder_digest(Path(path)) if path.endswith(os.sep) else _file_digest(Path(path))


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        return f"assente:{exc.errno}"


def _folder_digest(folder: Path) -> str:
    """The clause files of an ente's folder: their names and bytes (a file added or removed changes it)."""
    digest = hashlib.sha256()
    try:
        names = sorted(entry.name for entry in os.scandir(folder) if entry.name.endswith(".yaml"))
    except OSError as exc:
        return f"assente:{exc.errno}"
    for name in names:
        digest.update(f"\0{name}\0{_file_digest(folder / name)}".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _inside_package(path: str) -> bool:
    """The tool's own files are in the key already (_package_stamp)."""
    return Path(path).resolve().is_relative_to(PACKAGE)


def _package_stamp() -> str:
    parts: list[str] = []
    for folder, subfolders, files in os.walk(PACKAGE):
        subfolders[:] = sorted(s for s in subfolders if s != "__pycache__")
        for name in sorted(files):
            info = os.stat(os.path.join(folder, name))
            parts.append(f"{os.path.relpath(os.path.join(folder, name), PACKAGE)}:{info.st_size}:{info.st_mtime_ns}")
    return "|".join(parts)


def _python_paths_stamp() -> str:
    """The folders imports come from: installing or upgrading a library (rich, typer) changes their times."""
    stamps = []
    for entry in sys.path:
        with contextlib.suppress(OSError):
            stamps.append(f"{entry}:{os.stat(entry or '.').st_mtime_ns}")
    return "|".join(stamps)


def _environment() -> str:
    names = sorted(n for n in os.environ if n.startswith("CAPITOLATO_") or n in CONSOLE_VARIABLES)
    return "|".join(f"{name}={os.environ[name]}" for name in names)


def _console_stamp() -> str:
    parts = []
    for stream in (sys.stdout, sys.stderr):
        try:
            terminal = stream.isatty()
            size = tuple(os.get_terminal_size(stream.fileno())) if terminal else ()
        except (OSError, ValueError, AttributeError):
            terminal, size = False, ()
        parts.append(f"{type(stream).__name__}:{terminal}:{size}:{getattr(stream, 'encoding', None)}:"
                     f"{getattr(stream, 'errors', None)}")
    return "|".join(parts)


def _evict(folder: Path) -> None:
    """Keep the newest MAX_ENTRIES entries (a hit does not refresh its time: old results age out)."""
    with contextlib.suppress(OSError):
        entries = sorted(folder.glob("*.entry"), key=lambda p: p.stat().st_mtime_ns)
        for old in entries[:-MAX_ENTRIES]:
            with contextlib.suppress(OSError):
                old.unlink()
