"""The monitoring's files: every output rendered in memory, then written together (nothing partial, no overwrite
without `force`, never over an input of the same run)."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path

from capitolato.errors import Location, OutputError, Problem
from capitolato.fsutil import StagedWrites, os_reason
from capitolato.monitor.engine import Monitoring


class Format(StrEnum):
    JSON = "json"
    CSV = "csv"


DEFAULT_FORMATS = (Format.JSON, Format.CSV)
_STEMS = {Format.JSON: "indicatori", Format.CSV: "indicatori"}


def default_output_dir(monitoring: Monitoring) -> Path:
    source = monitoring.spec.source
    return (source.path.parent if source is not None else Path.cwd()) / "build"


def output_paths(out_dir: Path, monitoring: Monitoring, formats: Sequence[Format]) -> dict[Format, Path]:
    """One file per format, named after the report's date so a new period never replaces an old report."""
    return {fmt: out_dir / f"{_STEMS[fmt]}_{monitoring.at.isoformat()}.{fmt.value}" for fmt in formats}


def render(monitoring: Monitoring, fmt: Format) -> bytes:
    from capitolato.monitor import opendata

    if fmt is Format.JSON:
        return opendata.to_json(monitoring)
    return opendata.to_csv(monitoring)


def write_outputs(monitoring: Monitoring, out_dir: Path | None, formats: Sequence[Format], *, force: bool = False,
                  inputs: Sequence[Path] = ()) -> list[Path]:
    """Render every format, then write them all at once; return the paths written."""
    chosen = list(dict.fromkeys(formats or DEFAULT_FORMATS))
    folder = out_dir if out_dir is not None else default_output_dir(monitoring)
    targets = output_paths(folder, monitoring, chosen)
    _refuse(list(targets.values()), force, inputs)
    rendered = {fmt: render(monitoring, fmt) for fmt in chosen}
    _prepare(folder)
    with StagedWrites() as staged:
        for fmt, path in targets.items():
            staged.write(path, rendered[fmt])
    return list(targets.values())


def _refuse(paths: list[Path], force: bool, inputs: Sequence[Path]) -> None:
    resolved_inputs = {p.resolve() for p in inputs}
    problems = [Problem(Location(str(p)), "è un file d'ingresso di questo comando: non viene sovrascritto")
                for p in paths if p.resolve() in resolved_inputs]
    problems += [Problem(Location(str(p)), "il file esiste già: usare --force per sovrascriverlo")
                 for p in paths if p.exists() and not force and p.resolve() not in resolved_inputs]
    problems += [Problem(Location(str(p)), "esiste una cartella con questo nome: impossibile scrivere il file")
                 for p in paths if p.is_dir()]
    if problems:
        raise OutputError(problems)


def _prepare(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise OutputError([Problem(Location(str(folder)), "il percorso di uscita è un file, non una cartella")])
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError([Problem(Location(str(folder)),
                                   f"impossibile creare la cartella di uscita: {os_reason(exc)}")]) from None
