"""The points grid when the document prints it as a table: criteria with their points and the stated total."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from capitolato.document.model import Document, Position, Table, plain_text

POINTS_HEADER = re.compile(r"\bpunt[ei]|\bpunteggi", re.IGNORECASE)
TOTAL_ROW = re.compile(r"^\s*(?:totale|tot\.)\b", re.IGNORECASE)
NUMBER = re.compile(r"^\s*(\d{1,3}(?:[.,]\d{1,2})?)\s*(?:punti)?\s*$", re.IGNORECASE)
LABEL_HEADER = re.compile(r"criteri|elemento|voce|requisit", re.IGNORECASE)
SPLIT_ROW = re.compile(r"offerta (?:tecnica|economica)", re.IGNORECASE)


@dataclass(frozen=True)
class GridRow:
    label: str
    points: Decimal
    position: Position | None


@dataclass(frozen=True)
class Grid:
    """The first table of criteria with a points column: its rows, their sum and the total it states."""

    rows: tuple[GridRow, ...]
    stated_total: Decimal | None
    position: Position | None

    @property
    def total(self) -> Decimal:
        return sum((row.points for row in self.rows), Decimal(0))


def find_grid(document: Document) -> Grid | None:
    for table in (b for b in document.blocks if isinstance(b, Table)):
        grid = _grid(table)
        if grid is not None:
            return grid
    return None


def _grid(table: Table) -> Grid | None:
    point_columns = [i for i, column in enumerate(table.columns) if POINTS_HEADER.search(plain_text(column.title))]
    if not point_columns:
        return None
    titles = [plain_text(column.title) for column in table.columns]
    labels = [i for i, title in enumerate(titles) if LABEL_HEADER.search(title) and i not in point_columns]
    rows: list[GridRow] = []
    stated: Decimal | None = None
    for row in table.rows:
        cells = {cell.col: " ".join(plain_text(cell.inlines).split()) for cell in row if not cell.continuation}
        label = _label(cells, labels, point_columns)
        values = [_number(cells.get(c, "")) for c in point_columns]
        points = next((v for v in reversed(values) if v is not None), None)
        if points is None:
            continue
        if TOTAL_ROW.match(label) or not label:
            stated = points
            continue
        rows.append(GridRow(label, points, table.position))
    if not rows or all(SPLIT_ROW.search(row.label) for row in rows):
        return None
    return Grid(tuple(rows), stated, table.position)


def _label(cells: dict[int, str], labels: list[int], point_columns: list[int]) -> str:
    """The most specific criterion name of a row: the last filled «criterio/sottocriterio» cell, else the first
    text cell."""
    named = [cells[c] for c in labels if cells.get(c)]
    if named:
        return named[-1]
    return next((cells[c] for c in sorted(cells) if c not in point_columns and cells[c]), "")


def _number(text: str) -> Decimal | None:
    match = NUMBER.match(text)
    if not match:
        return None
    try:
        return Decimal(match.group(1).replace(",", "."))
    except InvalidOperation:
        return None
