"""A disk cache of the validated clause library, of the compiled clause and document templates and of the parsed
tables of `capitolato/data/`: reading and validating ~70 YAML files, and compiling their Jinja texts, is most of a
`check`.

An entry is keyed by the tool's version, the Python and pydantic versions and the bytes of every clause file of
every folder, so any change to a clause (or an upgrade) misses. Entries are written atomically (temporary file, then
`os.replace`), so concurrent writers never leave a half-written file; an entry that cannot be read is ignored and
the library is read from its files (a template is compiled again). `CAPITOLATO_NO_CACHE=1` turns the cache off. The cache lives in the user's own
cache directory (`$XDG_CACHE_HOME/capitolato` or `~/.cache/capitolato`), created private to the user.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from types import CodeType
from typing import TypeVar

T = TypeVar("T")

DISABLE = "CAPITOLATO_NO_CACHE"


def enabled() -> bool:
    return os.environ.get(DISABLE, "") in ("", "0")


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "capitolato"


def library_key(folders: Sequence[Path]) -> str:
    """A digest of everything the validated library depends on: versions, folder paths, names and bytes of files.

    Only regular files (or links to them) are read (a FIFO or a folder named `x.yaml` is left to the loader, which reports it).
    """
    import pydantic

    digest = _versions_digest(pydantic.VERSION)
    for folder in folders:
        digest.update(b"\0folder\0" + str(folder).encode())
        for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else ():
            content = path.read_bytes() if path.is_file() else b"\0special"
            digest.update(b"\0file\0" + path.name.encode() + b"\0" + content)
    return digest.hexdigest()


def data_key(name: str, content: bytes) -> str:
    """A digest of a shipped table's name and bytes, with the versions of the tool, Python and the YAML reader."""
    import ruamel.yaml

    digest = _versions_digest(ruamel.yaml.__version__)
    digest.update(b"\0table\0" + name.encode() + b"\0" + content)
    return digest.hexdigest()


def _versions_digest(reader_version: str) -> hashlib._Hash:
    from capitolato import __version__

    return hashlib.sha256(f"{__version__}|{sys.version}|{reader_version}".encode())


def cached(key: Callable[[], str], kind: type[T], compute: Callable[[], T], folder: str = "") -> T:
    """The entry `key()` (in the cache's `folder`) if it holds a `kind`; otherwise `compute()`, stored for the next
    run (errors propagate).

    A key that cannot be computed (a file that cannot be read) means no cache: the loader reports the problem.
    """
    if not enabled():
        return compute()
    try:
        path = cache_dir() / folder / f"{key()}.pickle"
    except OSError:
        return compute()
    found = _read(path, kind)
    if found is not None:
        return found
    value = compute()
    _write(path, value)
    return value


def cached_code(key: Callable[[], str], compute: Callable[[], CodeType]) -> CodeType:
    """The code object stored under `key()` (marshal, like Python's own .pyc files), or `compute()` stored for the
    next run. A template that does not compile raises from `compute()` and is never stored."""
    if not enabled():
        return compute()
    path = cache_dir() / "modelli" / f"{key()}.code"
    try:
        found = marshal.loads(path.read_bytes())
    except Exception:  # noqa: BLE001 — a missing, truncated or foreign entry only means compiling again
        found = None
    if isinstance(found, CodeType):
        return found
    code = compute()
    _store(path, lambda: marshal.dumps(code))
    return code


def _read(path: Path, kind: type[T]) -> T | None:
    try:
        value = pickle.loads(path.read_bytes())
    except Exception:  # noqa: BLE001 — a missing, truncated or stale entry only means reading the files again
        return None
    return value if isinstance(value, kind) else None


def _write(path: Path, value: object) -> None:
    _store(path, lambda: pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def _store(path: Path, serialise: Callable[[], bytes]) -> None:
    """Best effort: a cache that cannot be written (read-only home, full disk) only costs the next run its time."""
    try:
        data = serialise()
        cache_dir().mkdir(parents=True, exist_ok=True, mode=0o700)
        path.parent.mkdir(exist_ok=True, mode=0o700)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    except (OSError, pickle.PicklingError, TypeError, AttributeError, ValueError):
        return
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
