"""The files of an archive of tenders: specs (capitolato.yaml) and tender documents (Word, PDF, ODT).

A spec is one tender; the documents of one folder (bando, disciplinare, capitolato…) are one tender together.
Walking a folder skips hidden folders and `build/` outputs (the documents a spec builds are the same tender).
"""

from __future__ import annotations

import glob
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from capitolato.errors import CapitolatoError, Location, Problem
from capitolato.fsutil import os_reason, record_input
from capitolato.observatory.extract import SPEC, kind_of
from capitolato.readers import SUFFIXES
from capitolato.spec.load import SPEC_FILE_NAME

SKIPPED = frozenset({"build", "node_modules", "__pycache__"})
CHUNK = 1 << 20


class SourceError(CapitolatoError):
    """A path given on the command line holds no tender."""


@dataclass(frozen=True)
class Source:
    """One file of the archive: its key in the database, what it is, and the tender it belongs to."""

    path: Path
    kind: str
    tender: str

    @property
    def key(self) -> str:
        return str(self.path)


def discover(arguments: list[Path]) -> list[Source]:
    """Every spec and document behind the arguments, sorted, each once; a path with none is a located error."""
    found: dict[Path, Source] = {}
    problems: list[Problem] = []
    for argument in arguments:
        text = str(argument)
        matches = [Path(m) for m in sorted(glob.glob(text, recursive=True))] if glob.has_magic(text) else [argument]
        sources = [source for match in matches for source in _sources_at(match)]
        if not sources:
            problems.append(Problem(Location(text), "nessun capitolato.yaml né documento di gara (.docx, .pdf, .odt)",
                                    "indicare file o cartelle di gare"))
        for source in sources:
            found.setdefault(source.path, source)
    if problems:
        raise SourceError(problems)
    return sorted(found.values(), key=lambda source: (source.tender, source.key))


def _sources_at(path: Path) -> list[Source]:
    if path.is_file():
        return [_source(path)] if _wanted(path) else []
    if not path.is_dir():
        return []
    files = []
    for folder, children, names in os.walk(path):
        children[:] = sorted(c for c in children if not c.startswith(".") and c not in SKIPPED)
        files += [Path(folder) / name for name in sorted(names) if _wanted(Path(folder) / name)]
    return [_source(file) for file in files]


def _wanted(path: Path) -> bool:
    if path.name.startswith(("~$", ".")):
        return False
    return path.name == SPEC_FILE_NAME or path.suffix.lower() in SUFFIXES or (
        path.suffix.lower() in (".yaml", ".yml") and path.parent.name != "misure" and _looks_like_spec(path))


def _looks_like_spec(path: Path) -> bool:
    """A YAML file given or found beside the others is a spec only if it says so (`versione` and `procedura`)."""
    try:
        head = path.read_text(encoding="utf-8", errors="replace")[:20_000]
    except OSError:
        return False
    return "\nprocedura:" in f"\n{head}" and "\nversione:" in f"\n{head}"


def _source(path: Path) -> Source:
    resolved = path.resolve()
    kind = kind_of(resolved)
    return Source(resolved, kind, str(resolved if kind == SPEC else resolved.parent))


def content_hash(path: Path) -> tuple[str, int]:
    """SHA-256 and size of the file's bytes: the key of the incremental cache."""
    digest = hashlib.sha256()
    size = 0
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
    except OSError as exc:
        raise SourceError([Problem(Location(str(path)), f"file non leggibile: {os_reason(exc)}")]) from None
    record_input(path)
    return digest.hexdigest(), size


def input_hash(source: Source) -> tuple[str, int]:
    """The key of a source's reading: its own bytes and, for a spec, the files its result also depends on (the
    ente's clause library, the reference .docx, the logo), so changing one of them re-reads the spec."""
    digest, size = content_hash(source.path)
    if source.kind != SPEC:
        return digest, size
    combined = hashlib.sha256(digest.encode())
    for dependency in spec_dependencies(source.path):
        combined.update(f"\0{dependency}\0{content_hash(dependency)[0]}".encode())
    return combined.hexdigest(), size


def spec_dependencies(spec: Path) -> list[Path]:
    """The existing files a spec names (`libreria` folder, `riferimento`, `ente.logo`), relative to the spec; a spec
    that cannot be parsed names none (its reading reports the error)."""
    from capitolato.spec.yamlsource import bounded_safe_load

    try:
        data = bounded_safe_load(spec.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return []
    if not isinstance(data, dict):
        return []
    authority = data.get("ente") if isinstance(data.get("ente"), dict) else {}
    named = [data.get("libreria"), data.get("riferimento"), authority.get("logo")]
    paths = [spec.parent / name.strip() for name in named if isinstance(name, str) and name.strip()]
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file())
        elif path.is_file():
            found.append(path)
    return found


def shown(path: Path | str) -> str:
    """A path as the analyst typed it: relative to the current folder when inside it."""
    path = Path(path)
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)

