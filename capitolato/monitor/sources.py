"""Measurement files as officers keep them — CSV (`;` or `,`), Excel workbooks, YAML — read into located rows.

Nothing here knows about indicators: every cell keeps where it was (file:line:column, or file:sheet!cell for a
workbook) so validation can point at it.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from capitolato.errors import CapitolatoError, Location, Problem, single

MAX_BYTES = 20 * 1024 * 1024
COLUMNS = ("indicatore", "data", "valore", "punteggio", "unita", "fonte", "rilevatore", "note")
REQUIRED = ("indicatore", "data", "valore")
SUFFIXES = (".csv", ".xlsx", ".yaml", ".yml")
_ALIASES = {"codice": "indicatore", "codice indicatore": "indicatore", "unita di misura": "unita",
            "data misura": "data", "data rilevazione": "data", "valore misurato": "valore"}


class MeasurementError(CapitolatoError):
    """Measurement files that cannot be read or do not validate against the spec."""


@dataclass(frozen=True)
class Cell:
    value: Any
    location: Location


@dataclass(frozen=True)
class Row:
    """One measurement as written: its known columns, where it starts, and how its numbers are written."""

    cells: dict[str, Cell]
    location: Location
    thousands_dot: bool = False


def measurement_files(paths: list[Path]) -> list[Path]:
    """The files to read: each file given, and the measurement files of each folder, sorted by name."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES
                            and not p.name.startswith((".", "~$")))
        elif path.exists():
            found.append(path)
        else:
            raise single(MeasurementError, path, "file delle misure non trovato")
    return found


def read_rows(path: Path) -> list[Row]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_rows(path)
    if suffix == ".xlsx":
        return _xlsx_rows(path)
    if suffix in (".yaml", ".yml"):
        return _yaml_rows(path)
    raise single(MeasurementError, path, f"formato non riconosciuto «{path.suffix}»: usare .csv, .xlsx o .yaml")


def column_name(header: str) -> str:
    """«Unità di misura » → «unita»: headers compared without case, accents or surrounding spaces."""
    plain = unicodedata.normalize("NFKD", str(header)).encode("ascii", "ignore").decode("ascii")
    words = " ".join(plain.lower().replace("_", " ").split()).strip(" :.")
    return _ALIASES.get(words, words)


def _read_bytes(path: Path) -> bytes:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise single(MeasurementError, path, f"impossibile leggere il file ({exc.strerror or exc})") from None
    if len(raw) > MAX_BYTES:
        raise single(MeasurementError, path, f"file troppo grande ({len(raw)} byte; massimo {MAX_BYTES})")
    return raw


def _decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM), or Windows-1252 as Excel saves «CSV» on Italian Windows."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _csv_rows(path: Path) -> list[Row]:
    text = _decode(_read_bytes(path))
    delimiter = _sniff(text)
    records = list(_tokenize(text, delimiter, str(path)))
    if not records:
        raise single(MeasurementError, path, "il file è vuoto", 1, 1)
    header, *body = records
    columns = _header(path, [(cell.value, cell.location) for cell in header])
    return [_row(columns, record, thousands_dot=delimiter == ";") for record in body
            if any(str(cell.value).strip() for cell in record)]


def _sniff(text: str) -> str:
    """The delimiter of the header line: the most frequent of `;`, `,` and tab (`;` on a tie)."""
    first = next((line for line in text.split("\n") if line.strip()), "")
    counts = {d: first.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ";"))
    return best if counts[best] else ","


def _tokenize(text: str, delimiter: str, name: str) -> Iterator[list[Cell]]:
    """CSV records (RFC 4180 quotes, line breaks inside quotes) with the line and column where each field starts."""
    record: list[Cell] = []
    field: list[str] = []
    line, column = 1, 1
    start = (1, 1)
    quoted = in_quotes = False
    i = 0
    while i < len(text):
        char = text[i]
        if in_quotes:
            if char == '"' and text[i + 1:i + 2] == '"':
                field.append('"')
                i, column = i + 1, column + 1
            elif char == '"':
                in_quotes = False
            else:
                field.append(char)
                if char == "\n":
                    line, column = line + 1, 0
        elif char == '"' and not "".join(field).strip():
            field, in_quotes, quoted = [], True, True
        elif char == delimiter or char == "\n":
            record.append(Cell("".join(field) if quoted else "".join(field).strip(), Location(name, *start)))
            field, quoted = [], False
            if char == "\n":
                yield record
                record = []
                line, column = line + 1, 0
            start = (line, column + 1)
        else:
            field.append(char)
        i, column = i + 1, column + 1
    if field or record:
        record.append(Cell("".join(field) if quoted else "".join(field).strip(), Location(name, *start)))
        yield record
    if in_quotes:
        raise single(MeasurementError, name, "virgolette non chiuse prima della fine del file", *start)


def _header(path: Path, titles: list[tuple[Any, Location]]) -> dict[int, str]:
    """Known columns by position; a missing required one is an error naming the headers that were found."""
    columns = {index: column_name(title) for index, (title, _) in enumerate(titles) if title is not None}
    known = {index: name for index, name in columns.items() if name in COLUMNS}
    missing = [name for name in REQUIRED if name not in known.values()]
    if missing:
        found = [str(title) for title, _ in titles if title is not None and str(title).strip()]
        hints = [f"«{m}» (forse «{close[0]}»?)" if (close := difflib.get_close_matches(m, found, 1, 0.6))
                 else f"«{m}»" for m in missing]
        where = titles[0][1] if titles else Location(str(path), 1, 1)
        raise MeasurementError([Problem(where, f"mancano le colonne {', '.join(hints)} nella riga di intestazione",
                                        "colonne: " + ", ".join(COLUMNS))])
    return known


def _row(columns: dict[int, str], record: list[Cell], *, thousands_dot: bool) -> Row:
    cells = {name: record[index] for index, name in columns.items() if index < len(record)}
    return Row(cells, record[0].location, thousands_dot)


def _xlsx_rows(path: Path) -> list[Row]:
    """Every sheet whose first non-empty row has the required headers; cells keep their sheet!cell address."""
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise single(MeasurementError, path, f"cartella di lavoro Excel non leggibile ({exc})") from None
    rows: list[Row] = []
    errors: list[Problem] = []
    try:
        for sheet in workbook.worksheets:
            table = [[Cell(value, Location(f"{path}:{sheet.title}!{get_column_letter(c + 1)}{r + 1}"))
                      for c, value in enumerate(values)]
                     for r, values in enumerate(sheet.iter_rows(values_only=True))]
            table = [record for record in table if any(_present(cell.value) for cell in record)]
            if not table:
                continue
            try:
                columns = _header(path, [(cell.value, cell.location) for cell in table[0]])
            except MeasurementError as exc:
                errors += exc.problems
                continue
            rows += [_row(columns, record, thousands_dot=False) for record in table[1:]]
    finally:
        workbook.close()
    if not rows and errors:
        raise MeasurementError(errors)
    return rows


def _present(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


def _yaml_rows(path: Path) -> list[Row]:
    """A list of measurements, at the top level or under `misure:`; keys are the CSV columns."""
    from capitolato.spec.yamlsource import load_yaml

    document = load_yaml(path)
    data, base = document.data, ()
    if isinstance(data, dict) and "misure" in data:
        data, base = data["misure"], ("misure",)
    if not isinstance(data, list):
        raise single(MeasurementError, path, "atteso un elenco di misure (oppure la chiave «misure:» con l'elenco)",
                     1, 1)
    rows: list[Row] = []
    for index, item in enumerate(data):
        where = document.locate((*base, index))
        if not isinstance(item, dict):
            raise MeasurementError([Problem(where, "ogni misura è una sezione con indicatore, data e valore")])
        cells = {column_name(key): Cell(value, document.locate((*base, index, key)))
                 for key, value in item.items()}
        missing = [name for name in REQUIRED if name not in cells]
        if missing:
            raise MeasurementError([Problem(where, f"manca {', '.join(missing)} nella misura")])
        rows.append(Row({k: v for k, v in cells.items() if k in COLUMNS}, where))
    return rows
