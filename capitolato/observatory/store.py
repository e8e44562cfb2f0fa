"""The observatory's database: one DuckDB file beside the report, with a row per tender and per file.

Tables: `file` (every file read, its content hash and its reading as JSON: the incremental cache), `gare` (one row
per tender with its facts and indicators, its guideline score and rank), `rilievi` (findings), `esiti` (each
guideline on each tender), `linee_guida`, `uscite` (files the observatory wrote, with their hash), `meta`.
Views aggregate by authority, year, route and service kind (`per_ente`, `per_anno`, `per_procedura`,
`per_servizio`) and count findings by family (`rilievi_per_famiglia`). Imported only by `capitolato osservatorio`.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from capitolato import __version__
from capitolato.errors import CapitolatoError, Location, Problem
from capitolato.resources import package_data

FORMAT = "1"
_SQL_TYPES = {"booleano": "BOOLEAN", "numero": "DOUBLE", "testo": "VARCHAR"}
TENDER_HEAD = (("id", "VARCHAR PRIMARY KEY"), ("percorso", "VARCHAR"), ("fonte", "VARCHAR"), ("file", "INTEGER"),
               ("stato", "VARCHAR"), ("ente", "VARCHAR"), ("oggetto", "VARCHAR"), ("data_pubblicazione", "DATE"),
               ("anno", "INTEGER"), ("procedura", "VARCHAR"), ("tipo_servizio", "VARCHAR"), ("base", "DOUBLE"),
               ("manodopera", "DOUBLE"))
TENDER_TAIL = (("punteggio", "DOUBLE"), ("posizione", "INTEGER"), ("linee_rispettate", "INTEGER"),
               ("linee_mancate", "INTEGER"), ("linee_non_valutabili", "INTEGER"))


class DatabaseError(CapitolatoError):
    """The file at the database's place is not an observatory database (or cannot be opened)."""


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    ok: bool
    reading: dict[str, Any] | None
    version: str


def indicator_columns() -> list[tuple[str, str]]:
    return [(key, _SQL_TYPES[item["tipo"]]) for key, item in package_data("osservatorio.yaml")["indicatori"].items()]


def tender_columns() -> list[tuple[str, str]]:
    return [*TENDER_HEAD, *indicator_columns(), *TENDER_TAIL]


def open_database(path: Path) -> duckdb.DuckDBPyConnection:
    """Open (or create) the database at `path` with its tables; a foreign file is a located error."""
    try:
        connection = duckdb.connect(str(path))
    except duckdb.Error as exc:
        raise DatabaseError([Problem(Location(str(path)), f"non è un database dell'osservatorio leggibile ({_first_line(exc)})",
                                     "scegliere un'altra cartella con -o")]) from None
    tables = {row[0] for row in connection.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    if tables and "meta" not in tables:
        connection.close()
        raise DatabaseError([Problem(Location(str(path)), "il file non è un database dell'osservatorio",
                                     "scegliere un'altra cartella con -o")])
    _create(connection)
    return connection


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__


def _create(connection: duckdb.DuckDBPyConnection) -> None:
    connection.execute("CREATE TABLE IF NOT EXISTS meta (chiave VARCHAR PRIMARY KEY, valore VARCHAR)")
    connection.execute("INSERT OR IGNORE INTO meta VALUES ('formato', ?)", [FORMAT])
    connection.execute("CREATE TABLE IF NOT EXISTS file (percorso VARCHAR PRIMARY KEY, gara VARCHAR, tipo VARCHAR, "
                       "sha256 VARCHAR, byte BIGINT, stato VARCHAR, errore VARCHAR, lettura JSON, "
                       "versione VARCHAR, esecuzione INTEGER)")
    connection.execute("CREATE TABLE IF NOT EXISTS uscite (percorso VARCHAR PRIMARY KEY, sha256 VARCHAR)")


def run_number(connection: duckdb.DuckDBPyConnection) -> int:
    """This run's number: one more than the last one recorded."""
    row = connection.execute("SELECT valore FROM meta WHERE chiave = 'esecuzioni'").fetchone()
    number = int(row[0]) + 1 if row else 1
    connection.execute("INSERT OR REPLACE INTO meta VALUES ('esecuzioni', ?)", [str(number)])
    connection.execute("INSERT OR REPLACE INTO meta VALUES ('versione', ?)", [__version__])
    return number


def stored_files(connection: duckdb.DuckDBPyConnection) -> dict[str, StoredFile]:
    rows = connection.execute("SELECT percorso, sha256, stato, lettura, versione FROM file").fetchall()
    return {path: StoredFile(sha, state == "letto", json.loads(reading) if reading else None, version or "")
            for path, sha, state, reading, version in rows}


def save_files(connection: duckdb.DuckDBPyConnection, rows: Sequence[tuple[Any, ...]], keep: Iterable[str]) -> None:
    """Replace the rows of the files read in this run; forget the files no longer in the archive."""
    kept = list(keep)
    connection.execute("DELETE FROM file WHERE NOT list_contains(?, percorso) OR list_contains(?, percorso)",
                       [kept, [row[0] for row in rows]])
    _insert_many(connection, "file", rows)


def replace_results(connection: duckdb.DuckDBPyConnection, tenders: Sequence[dict[str, Any]],
                    findings: Sequence[tuple[Any, ...]], outcomes: Sequence[tuple[Any, ...]],
                    guidelines: Sequence[tuple[Any, ...]]) -> None:
    """The derived tables, rebuilt from the stored readings on every run (cheap: nothing is read again)."""
    columns = tender_columns()
    connection.execute("DROP VIEW IF EXISTS per_ente; DROP VIEW IF EXISTS per_anno; DROP VIEW IF EXISTS per_procedura;"
                       "DROP VIEW IF EXISTS per_servizio; DROP VIEW IF EXISTS rilievi_per_famiglia")
    connection.execute("CREATE OR REPLACE TABLE gare (" + ", ".join(f"{name} {kind}" for name, kind in columns) + ")")
    connection.execute("CREATE OR REPLACE TABLE rilievi (gara VARCHAR, file VARCHAR, codice VARCHAR, famiglia VARCHAR, "
                       "gravita VARCHAR, nome VARCHAR, messaggio VARCHAR, posizione VARCHAR, derogato BOOLEAN)")
    connection.execute("CREATE OR REPLACE TABLE esiti (gara VARCHAR, linea_guida VARCHAR, esito VARCHAR, "
                       "valore VARCHAR, atteso VARCHAR, peso INTEGER)")
    connection.execute("CREATE OR REPLACE TABLE linee_guida (codice VARCHAR PRIMARY KEY, titolo VARCHAR, "
                       "indicatore VARCHAR, condizione VARCHAR, quando VARCHAR, peso INTEGER, fonte VARCHAR)")
    _insert_many(connection, "gare", [[t.get(n) for n, _ in columns] for t in tenders])
    _insert_many(connection, "rilievi", findings)
    _insert_many(connection, "esiti", outcomes)
    _insert_many(connection, "linee_guida", guidelines)
    _create_views(connection)


def _insert_many(connection: duckdb.DuckDBPyConnection, table: str, rows: Sequence[Sequence[Any]]) -> None:
    """Rows in the table's column order, in one bulk load (a JSON-lines file read by DuckDB): executemany costs
    milliseconds per row, this a fraction of a second for thousands."""
    if not rows:
        return
    described = connection.execute(f"DESCRIBE {table}").fetchall()
    names = [row[0] for row in described]
    types = ", ".join(f"'{name}': '{'VARCHAR' if kind == 'JSON' else kind}'" for name, kind, *_ in described)
    with tempfile.TemporaryDirectory(prefix="capitolato-osservatorio-") as scratch:
        path = Path(scratch) / f"{table}.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(dict(zip(names, row)), ensure_ascii=False, default=str) + "\n")
        connection.execute(f"INSERT INTO {table} SELECT * FROM read_json('{_quoted(path)}', "
                           f"format = 'newline_delimited', columns = {{{types}}})")


def _create_views(connection: duckdb.DuckDBPyConnection) -> None:
    measures = []
    for name, kind in indicator_columns():
        if kind == "BOOLEAN":
            measures.append(f"round(avg(CAST({name} AS INTEGER)) * 100, 1) AS {name}_pct")
        else:
            measures.append(f"round(avg({name}), 2) AS {name}_media")
    body = ", ".join(["count(*) AS gare", *measures, "round(avg(punteggio), 1) AS punteggio_medio"])
    for view, dimension in (("per_ente", "ente"), ("per_anno", "anno"), ("per_procedura", "procedura"),
                            ("per_servizio", "tipo_servizio")):
        connection.execute(f"CREATE VIEW {view} AS SELECT {dimension}, {body} FROM gare WHERE stato = 'letta' "
                           f"GROUP BY {dimension} ORDER BY {dimension}")
    connection.execute("CREATE VIEW rilievi_per_famiglia AS SELECT famiglia, gravita, count(*) AS rilievi, "
                       "count(DISTINCT gara) AS gare FROM rilievi WHERE NOT derogato GROUP BY famiglia, gravita "
                       "ORDER BY famiglia, gravita")


def owned_outputs(connection: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(connection.execute("SELECT percorso, sha256 FROM uscite").fetchall())


def save_outputs(connection: duckdb.DuckDBPyConnection, hashes: dict[str, str]) -> None:
    connection.execute("DELETE FROM uscite")
    _insert_many(connection, "uscite", list(hashes.items()))


def export(connection: duckdb.DuckDBPyConnection, table: str, target: Path, fmt: str) -> None:
    """A table or view as CSV (header, comma) or Parquet, through DuckDB's COPY."""
    options = "(FORMAT CSV, HEADER)" if fmt == "csv" else "(FORMAT PARQUET)"
    connection.execute(f"COPY (SELECT * FROM {table}) TO '{_quoted(target)}' {options}")


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")
