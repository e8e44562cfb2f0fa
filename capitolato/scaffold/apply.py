"""Applies clause additions to a spec file: validate first, write atomically, or leave the file untouched."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from capitolato.errors import SpecError, single
from capitolato.fsutil import rewrite_in_place
from capitolato.library.load import Library, load_library
from capitolato.model.tender import Spec
from capitolato.scaffold.clauses import missing_requirements, plan_entry
from capitolato.scaffold.editor import ClauseEntry, add_clauses
from capitolato.scaffold.specdoc import validate_text
from capitolato.spec.load import load_spec, resolve_spec_path, spec_libraries
from capitolato.spec.yamlsource import read_text

BOM = "\ufeff"


@dataclass(frozen=True)
class Edit:
    """A spec file, its text before and after; nothing is on disk until `write`."""

    path: Path
    before: str
    after: str

    def diff(self) -> str:
        name = str(self.path)
        return "".join(difflib.unified_diff(self.before.splitlines(keepends=True),
                                            self.after.splitlines(keepends=True),
                                            fromfile=f"{name} (attuale)", tofile=f"{name} (modificato)"))

    def write(self) -> Path:
        """Rewrite the officer's file in place (a symlink's target, mode kept, under a lock); refused if the file
        changed since it was read. Returns the file written."""
        return rewrite_in_place(self.path, self.before.encode("utf-8"), self.after.encode("utf-8"))


@dataclass(frozen=True)
class Added:
    edit: Edit
    entry: ClauseEntry
    requires: list[str]


def raw_text(path: Path) -> str:
    """The file as it is on disk (line endings and BOM kept), after the usual size and encoding checks."""
    read_text(path)
    return path.read_bytes().decode("utf-8")


def edit_with(path: Path, entries: Sequence[ClauseEntry], libraries: Sequence[Path | str] = ()) -> Edit:
    """The edited text, validated as a spec at `path` before anyone may write it."""
    before = raw_text(path)
    bom = BOM if before.startswith(BOM) else ""
    after = bom + add_clauses(before.removeprefix(BOM), entries, str(path))
    validate_text(after.removeprefix(BOM), path, libraries)
    return Edit(path, before, after)


def load_for_edit(path: Path | str, libraries: Sequence[Path | str] = ()) -> tuple[Path, Spec, Library]:
    """An edit starts from a spec that validates: otherwise the officer fixes it first."""
    spec_path = resolve_spec_path(path)
    try:
        spec = load_spec(spec_path, libraries=libraries)
    except SpecError as exc:
        raise SpecError([*exc.problems, *single(SpecError, spec_path, "lo spec non è valido: correggerlo prima di "
                                                                      "aggiungere clausole").problems]) from None
    return spec_path, spec, load_library(spec_libraries(spec, libraries))


def add_clause(path: Path | str, clause_id: str, given: Mapping[str, str],
               libraries: Sequence[Path | str] = ()) -> Added:
    """Plan and validate the addition of one clause; the caller writes it (or shows the diff)."""
    spec_path, spec, library = load_for_edit(path, libraries)
    entry = plan_entry(spec, library, clause_id, given, origin="capitolato aggiungi-clausola", file=str(spec_path))
    edit = edit_with(spec_path, [entry], libraries)
    clause = library.get(clause_id)
    assert clause is not None
    return Added(edit, entry, missing_requirements(spec, clause))
