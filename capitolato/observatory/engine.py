"""The observatory's run: find the archive's files, read only those whose content changed since the last run,
rebuild every tender's row, score it against the guidelines, rank, and write database, data and report together.

Nothing is written until everything is ready: the database is updated on a hidden copy that replaces the old one
only after the report and the open data are in place, so an interrupted run leaves the previous state intact.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from capitolato.batch import TenderResult, run
from capitolato.errors import CapitolatoError, Location, OutputError, Problem
from capitolato.fsutil import StagedWrites, folder_lock, guard_outputs, os_reason
from capitolato.observatory import extract
from capitolato.observatory.guidelines import Guidelines, Outcome
from capitolato.observatory.sources import Source, SourceError, discover, input_hash, shown

DATABASE_NAME = "osservatorio.duckdb"
DATA_FOLDER = "dati"
EXPORTED = ("gare", "rilievi", "esiti", "linee_guida", "per_ente", "per_anno", "per_procedura", "per_servizio",
            "rilievi_per_famiglia")
Tracker = Callable[[Iterator[TenderResult[Any]], int], list[TenderResult[Any]]]


@dataclass
class Observation:
    """What a run found and did: the ranked tenders, which files it read and reused, what it wrote."""

    out_dir: Path
    guidelines: Guidelines
    tenders: list[dict[str, Any]]
    findings: dict[str, list[dict[str, Any]]]
    outcomes: dict[str, list[tuple[Any, ...]]]
    read: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    failed: dict[str, list[Problem]] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)
    run: int = 0
    date: dt.date = field(default_factory=dt.date.today)

    @property
    def database(self) -> Path:
        return self.out_dir / DATABASE_NAME

    @property
    def ranked(self) -> list[dict[str, Any]]:
        return sorted((t for t in self.tenders if t["posizione"] is not None), key=lambda t: t["posizione"])


def report_date() -> dt.date:
    """SOURCE_DATE_EPOCH when set (reproducible reports), else today."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if raw.isdigit():
        return dt.datetime.fromtimestamp(int(raw), dt.timezone.utc).date()
    return dt.date.today()


def observe(paths: Sequence[Path], out_dir: Path, guidelines: Guidelines, *, jobs: int = 1, force: bool = False,
            track: Tracker | None = None, report: bool = True) -> Observation:
    """Run the observatory on `paths` into `out_dir` (created if needed); return what it found and wrote."""
    _require_duckdb()
    from capitolato.observatory import store

    sources = discover(list(paths))
    _prepare(out_dir)
    with folder_lock(out_dir), tempfile.TemporaryDirectory(prefix=".osservatorio-", dir=out_dir) as scratch:
        work = Path(scratch) / DATABASE_NAME
        target = out_dir / DATABASE_NAME
        _copy_previous(target, work, force)
        connection = store.open_database(work)
        try:
            observation = _update(connection, sources, out_dir, guidelines, jobs, track or _plain)
            outputs = _outputs(connection, observation, Path(scratch), report)
            _refuse_foreign(outputs, store.owned_outputs(connection), out_dir, force)
            store.save_outputs(connection, {_relative(p, out_dir): _sha(data) for p, data in outputs.items()})
            (out_dir / DATA_FOLDER).mkdir(exist_ok=True)
            connection.execute("CHECKPOINT")
        finally:
            connection.close()
        guard_outputs([*outputs, target], force=True, inputs=[source.path for source in sources])
        with StagedWrites(force=True) as staged:
            for path, data in outputs.items():
                staged.write(path, data)
            staged.write(target, work.read_bytes())
        observation.written = [*outputs, target]
    return observation


class MissingDependency(CapitolatoError):
    """The observatory's database library is not installed (it is an optional extra)."""


def _require_duckdb() -> None:
    import importlib.util

    if importlib.util.find_spec("duckdb") is None:
        raise MissingDependency([Problem(Location("osservatorio"), "per il database dell'osservatorio serve il "
                                         "pacchetto «duckdb», non installato", "pip install 'capitolato[osservatorio]'")])


def _plain(results: Iterator[TenderResult[Any]], total: int) -> list[TenderResult[Any]]:
    return list(results)


def _prepare(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError([Problem(Location(str(out_dir)), "il percorso di uscita è un file, non una cartella")])
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError([Problem(Location(str(out_dir)),
                                   f"impossibile creare la cartella di uscita: {os_reason(exc)}")]) from None


def _copy_previous(target: Path, work: Path, force: bool) -> None:
    """The last run's database, copied to work on; a foreign file in its place is kept unless --force."""
    from capitolato.observatory.store import DatabaseError, open_database

    if not target.exists():
        return
    shutil.copyfile(target, work)
    try:
        open_database(work).close()
    except DatabaseError as exc:
        if not force:
            raise DatabaseError([Problem(Location(str(target)), exc.problems[0].message,
                                         "usare --force per sostituirlo, o un'altra cartella con -o")]) from None
        work.unlink()


def _update(connection: Any, sources: list[Source], out_dir: Path, guidelines: Guidelines, jobs: int,
            track: Tracker) -> Observation:
    from capitolato.observatory import store

    number = store.run_number(connection)
    previous = store.stored_files(connection)
    observation = Observation(out_dir, guidelines, [], {}, {}, run=number, date=report_date())
    readings: dict[str, dict[str, Any]] = {}
    hashes: dict[str, tuple[str, int]] = {}
    to_read: list[Source] = []
    for source in sources:
        try:
            hashes[source.key] = input_hash(source)
        except SourceError as exc:
            observation.failed[source.key] = exc.problems
            continue
        known = previous.get(source.key)
        if known and known.ok and known.sha256 == hashes[source.key][0] and known.version == extract.fingerprint():
            readings[source.key] = known.reading or {}
            observation.reused.append(source.key)
        else:
            to_read.append(source)
    by_path = {source.path: source for source in to_read}
    rows = []
    for result in track(run(read_safely, [s.path for s in to_read], jobs), len(to_read)):
        source = by_path[result.path]
        sha, size = hashes[source.key]
        observation.read.append(source.key)
        if result.ok:
            readings[source.key] = result.value
        else:
            observation.failed[source.key] = result.problems
        error = "; ".join(str(p) for p in result.problems) or None
        rows.append((source.key, source.tender, source.kind, sha, size, "letto" if result.ok else "illeggibile",
                     error, json.dumps(result.value, ensure_ascii=False) if result.ok else None, extract.fingerprint(), number))
    store.save_files(connection, rows, [source.key for source in sources if source.key in hashes])
    observation.read.sort()
    _tenders(observation, sources, readings)
    _score(observation)
    store.replace_results(connection, observation.tenders, _finding_rows(observation), _outcome_rows(observation),
                          _guideline_rows(guidelines))
    return observation


class UnreadableFile(CapitolatoError):
    """A file of the archive that a reader could not make sense of: reported, and the run goes on."""


def read_safely(path: Path) -> dict[str, Any]:
    """One file's reading; a reader's unexpected failure on a damaged file stops that file only, never the archive."""
    try:
        return extract.read_file(path)
    except CapitolatoError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged file of one tender must not stop the others
        raise UnreadableFile([Problem(Location(str(path)), f"file non leggibile ({type(exc).__name__}: "
                                      f"{str(exc).splitlines()[0][:200] if str(exc) else 'errore del lettore'})")]) from None


def _tenders(observation: Observation, sources: list[Source], readings: dict[str, dict[str, Any]]) -> None:
    grouped: dict[str, list[Source]] = defaultdict(list)
    for source in sources:
        grouped[source.tender].append(source)
    for tender, members in grouped.items():
        members = [members[i] for i in extract.reading_order([s.path.name for s in members])]
        found = [readings[s.key] for s in members if s.key in readings]
        raw = extract.merged_facts(found)
        findings = [{**f, "file": s.key} for s in members if s.key in readings for f in readings[s.key]["rilievi"]]
        row = _row(tender, members, raw, findings, extract.rules_ran(found) if found else set())
        row["stato"] = "letta" if found else "illeggibile"
        observation.tenders.append(row)
        observation.findings[tender] = findings


def _row(tender: str, members: list[Source], raw: dict[str, Any], findings: list[dict[str, Any]],
         ran: set[str] | None) -> dict[str, Any]:
    date = raw.get("data_pubblicazione")
    folder = Path(tender) if members[0].kind == extract.DOCUMENT else Path(tender).parent
    return {
        "id": tender, "percorso": shown(tender), "fonte": members[0].kind, "file": len(members),
        "ente": raw.get("ente"), "oggetto": raw.get("oggetto") or folder.name,
        "data_pubblicazione": dt.date.fromisoformat(date) if date else None,
        "anno": int(date[:4]) if date else None, "procedura": raw.get("procedura"),
        "tipo_servizio": extract.service_kind(raw.get("cpv") or []) if raw.get("cpv") else None,
        "base": raw.get("base"), "manodopera": raw.get("manodopera"),
        **(extract.indicators(raw, findings, ran) if raw else {}),
    }


def _score(observation: Observation) -> None:
    """Each tender on each guideline; score = weight met / weight applicable; rank by score, then fewer errors."""
    for row in observation.tenders:
        results = [(g, g.outcome(row)) for g in observation.guidelines.items] if row["stato"] == "letta" else []
        applicable = [(g, o) for g, o in results if o is not Outcome.NOT_APPLICABLE]
        weight = sum(g.weight for g, _ in applicable)
        met = sum(g.weight for g, o in applicable if o is Outcome.MET)
        row["punteggio"] = round(met / weight * 100, 1) if weight else None
        row["linee_rispettate"] = sum(o is Outcome.MET for _, o in applicable)
        row["linee_mancate"] = sum(o is Outcome.MISSED for _, o in applicable)
        row["linee_non_valutabili"] = sum(o is Outcome.UNKNOWN for _, o in applicable)
        observation.outcomes[row["id"]] = [(row["id"], g.code, o.value, _text(row.get(g.indicator)), g.expected,
                                            g.weight) for g, o in applicable]
        row["posizione"] = None
    ranked = sorted((r for r in observation.tenders if r["punteggio"] is not None),
                    key=lambda r: (-r["punteggio"], r.get("rilievi_errore") or 0, r.get("rilievi_avviso") or 0,
                                   r["percorso"]))
    for position, row in enumerate(ranked, start=1):
        row["posizione"] = position


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "sì" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace(".", ",")


def _finding_rows(observation: Observation) -> list[tuple[Any, ...]]:
    return [(tender, f["file"], f["codice"], f["codice"][:3], f["gravita"], f["nome"], f["messaggio"], f["posizione"],
             f["derogato"]) for tender, findings in observation.findings.items() for f in findings]


def _outcome_rows(observation: Observation) -> list[tuple[Any, ...]]:
    return [row for rows in observation.outcomes.values() for row in rows]


def _guideline_rows(guidelines: Guidelines) -> list[tuple[Any, ...]]:
    return [(g.code, g.title, g.indicator, g.expected, json.dumps(g.when, ensure_ascii=False) if g.when else None,
             g.weight, g.source) for g in guidelines.items]


def _outputs(connection: Any, observation: Observation, scratch: Path, report: bool) -> dict[Path, bytes]:
    """Open data (CSV and Parquet of every table and view) and, unless asked not to, the report."""
    from capitolato.observatory import store

    outputs: dict[Path, bytes] = {}
    folder = scratch / DATA_FOLDER
    folder.mkdir()
    for table in EXPORTED:
        for fmt in ("csv", "parquet"):
            temporary = folder / f"{table}.{fmt}"
            store.export(connection, table, temporary, fmt)
            outputs[observation.out_dir / DATA_FOLDER / temporary.name] = temporary.read_bytes()
    if report:
        from capitolato.observatory.report import render_reports

        outputs.update(render_reports(observation, connection))
    return outputs


def _refuse_foreign(outputs: dict[Path, bytes], owned: dict[str, str], out_dir: Path, force: bool) -> None:
    """A file in the way is replaced only if this observatory wrote it and nobody changed it since (or --force)."""
    if force:
        return
    problems = []
    for path in outputs:
        if path.exists() and owned.get(_relative(path, out_dir)) != _file_sha(path):
            problems.append(Problem(Location(str(path)), "il file esiste già e non è quello scritto dall'ultima "
                                    "esecuzione dell'osservatorio (modificato o di altri): non viene sovrascritto",
                                    "usare --force per sovrascriverlo"))
    if problems:
        raise OutputError(problems)


def _relative(path: Path, out_dir: Path) -> str:
    return path.relative_to(out_dir).as_posix()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_sha(path: Path) -> str | None:
    try:
        return _sha(path.read_bytes())
    except OSError:
        return None

