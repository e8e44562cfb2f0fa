"""The points grid when the document prints it as a table: criteria with their points and the stated total."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from capitolato.document.model import Document, Position, Table, plain_text

POINTS_HEADER = re.compile(r"\bpunt[ei]|\bpunteggi", re.IGNORECASE)
TOTAL_ROW = re.compile(r"^\s*(?:totale|tot\.)\b", re.IGNORECASE)
NUMBER = re.compile(r"^\s*(\d{1,3}(?:[.,]\d{1,2})?)\s*(?:punti)?\s*$", re.IGNORECASE)
LABEL_HEADER = re.compile(r"criteri|elemento|voce|requisit|descrizione", re.IGNORECASE)
SPLIT_ROW = re.compile(r"offerta (?:tecnica|economica)", re.IGNORECASE)
GROUP_POINTS = re.compile(r"\((\d{1,3}(?:[.,]\d{1,2})?)\s*punti\)", re.IGNORECASE)
CODE = re.compile(r"^\s*((?:[A-Za-z]|\d{1,2})(?:\.(?:[A-Za-z]|\d{1,2}))*\.?)(?=[\s)–-])")


@dataclass(frozen=True)
class GridRow:
    """A criterion of the grid; `level` 0 is a top criterion, 1 its sub-criterion, and so on."""

    label: str
    points: Decimal
    position: Position | None
    level: int = 0


@dataclass(frozen=True)
class Grid:
    """The first table of criteria with a points column: its criteria in reading order (each group before its
    sub-criteria), the sum of the top criteria and the total it states."""

    rows: tuple[GridRow, ...]
    stated_total: Decimal | None
    position: Position | None

    @property
    def total(self) -> Decimal:
        return sum((row.points for row in self.rows if row.level == 0), Decimal(0))

    def children(self, index: int) -> list[GridRow]:
        """The direct sub-criteria of the row at `index`."""
        level = self.rows[index].level
        found: list[GridRow] = []
        for row in self.rows[index + 1:]:
            if row.level <= level:
                break
            if row.level == level + 1:
                found.append(row)
        return found


@dataclass
class _Entry:
    """A criterion being read: its label cell's column and its points, None until stated or summed."""

    label: str
    column: int
    points: Decimal | None
    level: int
    children: list[_Entry] = field(default_factory=list)


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
    labels = [i for i, title in enumerate(titles) if LABEL_HEADER.search(title) and i not in point_columns] or \
        [i for i in range(len(titles)) if i not in point_columns]
    entries: list[_Entry] = []
    open_groups: list[_Entry] = []
    stated: Decimal | None = None
    for row in table.rows:
        cells = {cell.col: " ".join(plain_text(cell.inlines).split()) for cell in row if not cell.continuation}
        named = [(c, cells[c]) for c in labels if cells.get(c)]
        if not named or TOTAL_ROW.match(named[0][1]):
            total = _points(cells, point_columns, -1, len(titles))
            stated = stated if total is None else total
            continue
        _read_row(cells, named, point_columns, len(titles), open_groups, entries)
    rows = [GridRow(e.label, points, table.position, e.level) for e in entries if (points := _settled(e)) is not None]
    if not rows or all(SPLIT_ROW.search(row.label) for row in rows):
        return None
    return Grid(tuple(rows), stated, table.position)


def _read_row(cells: dict[int, str], named: list[tuple[int, str]], point_columns: list[int], width: int,
              open_groups: list[_Entry], entries: list[_Entry]) -> None:
    """Open an entry for each label cell of the row: the cells before the last are groups spanning the rows below
    (merged cells), the last is the row's own criterion. A group cell cut by a page break goes on in the next row:
    a group cell there starting in lower case, without a code, is the rest of its text (Melzo's a.4 in PDF)."""
    for index, (column, text) in enumerate(named):
        end = named[index + 1][0] if index + 1 < len(named) else width
        points = _points(cells, point_columns, column, end)
        if points is None:
            group = GROUP_POINTS.search(text)
            points = Decimal(group.group(1).replace(",", ".")) if group else None
        cut = next((g for g in open_groups if g.column == column), None)
        if cut is not None and index < len(named) - 1 and text[:1].islower() and not _code(text):
            cut.label, cut.points = f"{cut.label} {text}", cut.points if points is None else points
            continue
        while open_groups and not _inside(open_groups[-1], column, text):
            open_groups.pop()
        entry = _Entry(text, column, points, len(open_groups))
        if open_groups:
            open_groups[-1].children.append(entry)
        entries.append(entry)
        open_groups.append(entry)


def _inside(group: _Entry, column: int, label: str) -> bool:
    """Whether a label belongs under an open group: to the right of the group's (merged) cell, or below it in the
    same column with a code that extends the group's («A.1» under «A.», «a.4.1» under «a.4»)."""
    if column > group.column:
        return True
    if column < group.column:
        return False
    parent, child = _code(group.label), _code(label)
    return bool(parent and child) and child.lower().startswith(f"{parent.lower()}.") and child != parent


def _code(label: str) -> str:
    """The criterion's code at the start of its label («A.», «a.4.1», «1.2)»), without the final dot."""
    match = CODE.match(label)
    return match.group(1).rstrip(".") if match else ""


def _settled(entry: _Entry) -> Decimal | None:
    """The entry's points: stated, else the sum of its sub-criteria (None: neither, not a criterion)."""
    if entry.points is None and entry.children:
        sums = [_settled(child) for child in entry.children]
        entry.points = sum((s for s in sums if s is not None), Decimal(0)) if any(s is not None for s in sums) else None
    return entry.points


def _points(cells: dict[int, str], point_columns: list[int], start: int, end: int) -> Decimal | None:
    """The last number in the points columns between a label cell and the next one."""
    values = [_number(cells.get(c, "")) for c in point_columns if start < c < end]
    return next((v for v in reversed(values) if v is not None), None)


def _number(text: str) -> Decimal | None:
    match = NUMBER.match(text)
    if not match:
        return None
    try:
        return Decimal(match.group(1).replace(",", "."))
    except InvalidOperation:
        return None
