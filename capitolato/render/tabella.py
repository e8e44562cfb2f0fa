"""The ```tabella``` block: a YAML table description with widths, merges and totals.

Pipe tables cannot express merged cells or column widths, which award-criteria
tables need; this module turns the YAML into a grid both renderers share.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from capitolato.render.errors import TabellaError

_ALIGNMENTS = {"sinistra": "left", "centro": "center", "destra": "right", "giustificato": "justify"}
_TOP_KEYS = {"colonne", "righe", "totale", "didascalia"}
_COLUMN_KEYS = {"titolo", "larghezza", "allinea"}
_CELL_KEYS = {"testo", "righe", "colonne", "grassetto"}
MIN_WIDTH_CM = 0.8


@dataclass(frozen=True)
class Column:
    """A grid column: header text, width in cm (None = share the rest), alignment."""

    title: str
    width_cm: float | None = None
    align: str | None = None


@dataclass(frozen=True)
class Cell:
    """A cell placed on the grid at ``col``; ``continuation`` marks the rows under a vertical merge."""

    text: str
    col: int
    rowspan: int = 1
    colspan: int = 1
    bold: bool = False
    continuation: bool = False


@dataclass(frozen=True)
class Tabella:
    """A table whose rows list every grid slot, continuation cells included."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    total: tuple[Cell, ...] | None = None
    caption: str = ""


@lru_cache(maxsize=128)
def parse_tabella(source: str, line: int | None = None) -> Tabella:
    """Parse and validate the YAML of a ```tabella``` block; errors name the block's line.

    Cached because pure-Python YAML costs ~5 ms per table and the same blocks
    are parsed again for every output format; the result is immutable.
    """
    where = f"Tabella alla riga {line + 1}" if line is not None else "Tabella"
    data = _load_yaml(source, where)
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise TabellaError(f"{where}: chiavi non riconosciute {sorted(unknown)} (ammesse: {sorted(_TOP_KEYS)}).")
    columns = _parse_columns(data.get("colonne"), where)
    raw_rows = data.get("righe") or []
    if not isinstance(raw_rows, list) or not all(isinstance(row, list) for row in raw_rows):
        raise TabellaError(f"{where}: «righe» deve essere un elenco di righe, ognuna un elenco di celle.")
    rows = _place_rows(raw_rows, len(columns), where)
    total = data.get("totale")
    if total is not None:
        if not isinstance(total, list):
            raise TabellaError(f"{where}: «totale» deve essere un elenco di celle.")
        total = _place_rows([total], len(columns), f"{where}, riga del totale")[0]
        total = tuple(replace(cell, bold=True) for cell in total)
    caption = data.get("didascalia") or ""
    return Tabella(columns=columns, rows=rows, total=total, caption=_text(caption, where))


def _load_yaml(source: str, where: str) -> dict[str, Any]:
    """Tables written by capitolato are JSON (a subset of YAML) and take the fast path; hand-written ones are YAML."""
    try:
        data = json.loads(source)
    except ValueError:
        data = _parse_yaml(source, where)
    if not isinstance(data, dict):
        raise TabellaError(f"{where}: il blocco deve contenere una mappa con «colonne» e «righe».")
    return data


def _parse_yaml(source: str, where: str) -> Any:
    try:
        return YAML(typ="safe", pure=True).load(source)
    except YAMLError as exc:
        raise TabellaError(f"{where}: YAML non valido ({exc}).") from exc


def _parse_columns(raw: Any, where: str) -> tuple[Column, ...]:
    if not isinstance(raw, list) or not raw:
        raise TabellaError(f"{where}: «colonne» deve essere un elenco non vuoto.")
    return tuple(_parse_column(item, i + 1, where) for i, item in enumerate(raw))


def _parse_column(item: Any, number: int, where: str) -> Column:
    if isinstance(item, str):
        return Column(title=item)
    if not isinstance(item, dict) or "titolo" not in item:
        raise TabellaError(f"{where}: la colonna {number} deve avere almeno «titolo».")
    unknown = set(item) - _COLUMN_KEYS
    if unknown:
        raise TabellaError(f"{where}: colonna {number}, chiavi non riconosciute {sorted(unknown)}.")
    width = item.get("larghezza")
    if width is not None and (isinstance(width, bool) or not isinstance(width, int | float) or width < MIN_WIDTH_CM):
        raise TabellaError(f"{where}: colonna {number}, «larghezza» deve essere un numero di cm ≥ {MIN_WIDTH_CM}.")
    align = item.get("allinea")
    if align is not None and align not in _ALIGNMENTS:
        raise TabellaError(f"{where}: colonna {number}, «allinea» deve essere uno di {sorted(_ALIGNMENTS)}.")
    return Column(
        title=_text(item["titolo"], where),
        width_cm=float(width) if width is not None else None,
        align=_ALIGNMENTS.get(align) if align else None,
    )


def _place_rows(raw_rows: list[list[Any]], ncols: int, where: str) -> tuple[tuple[Cell, ...], ...]:
    """Lay cells on the grid, skipping slots covered by vertical merges from rows above."""
    covered: list[Cell | None] = [None] * ncols
    remaining = [0] * ncols
    rows: list[tuple[Cell, ...]] = []
    for index, raw in enumerate(raw_rows):
        label = f"{where}, riga {index + 1}"
        queue = list(raw)
        slots: list[Cell] = []
        col = 0
        while col < ncols:
            if remaining[col] > 0:
                origin = covered[col]
                assert origin is not None
                remaining[col] -= 1
                if origin.col == col:
                    slots.append(Cell(text="", col=col, colspan=origin.colspan, continuation=True))
                col += 1
                continue
            if not queue:
                raise TabellaError(f"{label}: mancano celle (le colonne sono {ncols}).")
            cell = _parse_cell(queue.pop(0), col, label)
            _check_fits(cell, ncols, remaining, len(raw_rows) - index, label)
            for c in range(col, col + cell.colspan):
                covered[c] = cell
                remaining[c] = cell.rowspan - 1
            slots.append(cell)
            col += cell.colspan
        if queue:
            raise TabellaError(f"{label}: ci sono {len(queue)} celle in più rispetto alle {ncols} colonne.")
        rows.append(tuple(slots))
    return tuple(rows)


def _check_fits(cell: Cell, ncols: int, remaining: list[int], rows_left: int, label: str) -> None:
    end = cell.col + cell.colspan
    if end > ncols or any(remaining[c] > 0 for c in range(cell.col, end)):
        raise TabellaError(f"{label}: la cella «{cell.text}» unisce più colonne di quelle disponibili.")
    if cell.rowspan > rows_left:
        raise TabellaError(f"{label}: la cella «{cell.text}» unisce {cell.rowspan} righe ma ne restano {rows_left}.")


def _parse_cell(raw: Any, col: int, label: str) -> Cell:
    if not isinstance(raw, dict):
        return Cell(text=_text(raw, label), col=col)
    unknown = set(raw) - _CELL_KEYS
    if unknown:
        raise TabellaError(f"{label}: chiavi di cella non riconosciute {sorted(unknown)} (ammesse: {sorted(_CELL_KEYS)}).")
    return Cell(
        text=_text(raw.get("testo", ""), label),
        col=col,
        rowspan=_span(raw.get("righe", 1), "righe", label),
        colspan=_span(raw.get("colonne", 1), "colonne", label),
        bold=raw.get("grassetto") is True,
    )


def _span(value: Any, key: str, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise TabellaError(f"{label}: «{key}» deve essere un intero ≥ 1.")
    return value


def _text(value: Any, label: str) -> str:
    """Cell values may be YAML numbers; decimals get the Italian comma."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Sì" if value else "No"
    if isinstance(value, float):
        return format(value, "g").replace(".", ",")
    if isinstance(value, int | str):
        return str(value)
    raise TabellaError(f"{label}: una cella deve contenere testo o un numero, non {type(value).__name__}.")


def resolve_widths(columns: tuple[Column, ...], available_cm: float) -> list[float]:
    """Fixed widths for every column: unspecified ones share what the others leave."""
    fixed = sum(c.width_cm for c in columns if c.width_cm is not None)
    free = [c for c in columns if c.width_cm is None]
    share = max((available_cm - fixed) / len(free), MIN_WIDTH_CM) if free else 0.0
    return [c.width_cm if c.width_cm is not None else share for c in columns]
