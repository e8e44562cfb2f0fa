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
    DOCX = "docx"
    HTML = "html"
    PDF = "pdf"
    JSON = "json"
    CSV = "csv"


REPORT_FORMATS = frozenset({Format.DOCX, Format.HTML, Format.PDF})
DEFAULT_FORMATS = (Format.DOCX, Format.HTML, Format.JSON, Format.CSV)
_STEMS = {Format.DOCX: "rapporto-impatto", Format.HTML: "rapporto-impatto", Format.PDF: "rapporto-impatto",
          Format.JSON: "indicatori", Format.CSV: "indicatori"}


def default_output_dir(monitoring: Monitoring) -> Path:
    source = monitoring.spec.source
    return (source.path.parent if source is not None else Path.cwd()) / "build"


def output_paths(out_dir: Path, monitoring: Monitoring, formats: Sequence[Format]) -> dict[Format, Path]:
    """One file per format, named after the report's date so a new period never replaces an old report."""
    return {fmt: out_dir / f"{_STEMS[fmt]}_{monitoring.at.isoformat()}.{fmt.value}" for fmt in formats}


def render_all(monitoring: Monitoring, formats: Sequence[Format]) -> dict[Format, bytes]:
    """Every format in memory; the report's charts are drawn once for all its formats."""
    from capitolato.monitor import opendata

    rendered: dict[Format, bytes] = {}
    reports = [fmt for fmt in formats if fmt in REPORT_FORMATS]
    if reports:
        from capitolato.monitor.report import report_document
        from capitolato.render.document import render_bytes

        rasters = any(fmt in (Format.DOCX, Format.PDF) for fmt in reports)
        document = report_document(monitoring, _chart_drawer(monitoring, png=rasters))
        meta = report_meta(monitoring)
        for fmt in reports:
            rendered[fmt] = render_bytes(document, meta, fmt.value, _reference(monitoring))
    if Format.JSON in formats:
        rendered[Format.JSON] = opendata.to_json(monitoring)
    if Format.CSV in formats:
        rendered[Format.CSV] = opendata.to_csv(monitoring)
    return rendered


def _chart_drawer(monitoring: Monitoring, *, png: bool = True):
    """Draws each chart once; the PNG only when a Word-based format needs it."""
    from capitolato.document.model import Figure
    from capitolato.monitor.charts import WIDTH_CM, alt_text, chart

    def draw(progress) -> Figure:
        svg, raster = chart(progress, monitoring.at, png=png)
        return Figure(alt_text(progress, monitoring.at), f"Andamento di {progress.indicator.code}", svg, raster,
                      WIDTH_CM)

    return draw


def report_meta(monitoring: Monitoring):
    """Cover and properties of the report: dated on the report's date, so the same inputs give the same bytes."""
    from capitolato.monitor.report import report_title
    from capitolato.render.meta import DocumentMeta

    spec = monitoring.spec
    authority, procedure = spec.authority, spec.procedure
    logo = None
    if authority.logo and spec.source is not None:
        logo = (spec.source.path.parent / authority.logo).resolve()
    return DocumentMeta(
        title=report_title(monitoring), ente=authority.name, date=monitoring.at, subtitle=procedure.subject,
        office=authority.office or "", cig=procedure.cig or "", cup=procedure.cup or "",
        subject=f"Monitoraggio dell'impatto: {procedure.subject}",
        keywords="rapporto di impatto, monitoraggio, indicatori", logo=logo,
        logo_alt=authority.logo_alt or f"Logo di {authority.name}",
    )


def _reference(monitoring: Monitoring) -> Path | None:
    spec = monitoring.spec
    if spec.reference_docx and spec.source is not None:
        return (spec.source.path.parent / spec.reference_docx).resolve()
    return None


def write_outputs(monitoring: Monitoring, out_dir: Path | None, formats: Sequence[Format], *, force: bool = False,
                  inputs: Sequence[Path] = ()) -> list[Path]:
    """Render every format, then write them all at once; return the paths written."""
    chosen = list(dict.fromkeys(formats or DEFAULT_FORMATS))
    folder = out_dir if out_dir is not None else default_output_dir(monitoring)
    targets = output_paths(folder, monitoring, chosen)
    _refuse(list(targets.values()), force, inputs)
    rendered = render_all(monitoring, chosen)
    _prepare(folder)
    with StagedWrites(force=force, inputs=inputs) as staged:
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
