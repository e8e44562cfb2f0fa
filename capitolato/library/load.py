"""Loads the shipped clause library and an ente's own, which adds clauses or replaces them by id."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError
from ruamel.yaml.error import YAMLError

from capitolato.errors import CapitolatoError, LibraryError, Location, ProblemList, single
from capitolato.fsutil import record_inputs
from capitolato.library.model import Clause
from capitolato.resources import data_path
from capitolato.spec.validate import translate
from capitolato.spec.yamlsource import bounded_safe_load, load_yaml, read_text, unusual_text

MAX_CLAUSE_FILES = 5_000


@dataclass(frozen=True)
class Replacement:
    """An ente's clause that replaced a shipped one with the same id: always reported."""

    clause_id: str
    replaced: Path
    by: Path


@dataclass
class Library:
    clauses: dict[str, Clause] = field(default_factory=dict)
    replacements: list[Replacement] = field(default_factory=list)
    folders: tuple[Path, ...] = ()

    def get(self, clause_id: str) -> Clause | None:
        return self.clauses.get(clause_id)

    def suggest(self, clause_id: str) -> str | None:
        matches = difflib.get_close_matches(clause_id, list(self.clauses), n=1, cutoff=0.55)
        return matches[0] if matches else None

    def __iter__(self):
        return iter(sorted(self.clauses.values(), key=lambda c: c.id))

    def __len__(self) -> int:
        return len(self.clauses)


def shipped_folder() -> Path:
    return data_path("clauses")


def load_library(extra_folders: Sequence[Path | str] = (), *, include_shipped: bool = True) -> Library:
    """The shipped library, then each extra folder in order; later folders win on equal ids."""
    folders = [shipped_folder()] if include_shipped else []
    folders += [Path(f) for f in extra_folders]
    key = tuple((str(folder.resolve()), _fingerprint(folder)) for folder in folders)
    library = _load_cached(key)
    record_inputs(clause.path for clause in library.clauses.values() if clause.path is not None)
    return library


def _fingerprint(folder: Path) -> tuple[tuple[str, int], ...]:
    if not folder.is_dir():
        return ()
    return tuple(sorted((p.name, _mtime(p)) for p in folder.glob("*.yaml")))


def _mtime(path: Path) -> int:
    """A file's modification time; -1 for one that cannot be read (reading it then reports the problem)."""
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1


@lru_cache(maxsize=16)
def _load_cached(key: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]) -> Library:
    """Once per process; across runs from the disk cache when no clause file changed (only a valid library)."""
    from capitolato.library.cache import cached, library_key

    folders = tuple(Path(folder) for folder, _ in key)
    return cached(lambda: library_key(folders), Library, lambda: _read_library(folders))


def _read_library(folders: tuple[Path, ...]) -> Library:
    library = Library(folders=folders)
    problems = ProblemList()
    for folder in library.folders:
        for clause in load_folder(folder, problems):
            _add(library, clause)
    problems.raise_if_any(LibraryError)
    return library


def _add(library: Library, clause: Clause) -> None:
    previous = library.clauses.get(clause.id)
    if previous is not None and previous.path is not None and clause.path is not None:
        library.replacements.append(Replacement(clause.id, previous.path, clause.path))
    library.clauses[clause.id] = clause


def load_folder(folder: Path, problems: ProblemList) -> list[Clause]:
    """Every clause file of one folder; problems are collected, not raised, so all are reported."""
    if not folder.is_dir():
        raise single(LibraryError, folder, "cartella della libreria di clausole non trovata")
    files = sorted(folder.glob("*.yaml"))
    if len(files) > MAX_CLAUSE_FILES:
        raise single(LibraryError, folder, f"troppi file di clausole (oltre {MAX_CLAUSE_FILES})")
    return [clause for path in files if (clause := load_clause_file(path, problems)) is not None]


def load_clause_file(path: Path, problems: ProblemList) -> Clause | None:
    """A valid file takes the fast path (C parser, no positions); anything else is re-read with positions."""
    clause = _fast_load(path)
    if clause is not None:
        return clause
    return _located_load(path, problems)


def _fast_load(path: Path) -> Clause | None:
    try:
        data = bounded_safe_load(read_text(path))
        if data is None or unusual_text(data):
            return None
        clause = Clause.model_validate(data)
    except (CapitolatoError, YAMLError, ValidationError, ValueError, TypeError, RecursionError):
        return None
    if clause.id != path.stem:
        return None
    clause._path = path
    return clause


def _located_load(path: Path, problems: ProblemList) -> Clause | None:
    try:
        document = load_yaml(path)
    except CapitolatoError as exc:
        problems.problems.extend(exc.problems)
        return None
    if not isinstance(document.data, dict):
        problems.add(Location(str(path), 1, 1), "una clausola deve essere una sezione di chiavi (chiave: valore)")
        return None
    try:
        clause = Clause.model_validate(document.data)
    except ValidationError as exc:
        problems.problems.extend(translate(exc, document, Clause))
        return None
    if clause.id != path.stem:
        problems.add(document.locate(("id",)), f"l'id «{clause.id}» deve coincidere con il nome del file «{path.stem}»")
        return None
    clause._path = path
    clause._source = document
    return clause

