"""PDF reader, with pdfplumber: text lines with their fonts, ruled tables as tables, page and line of every block.

pdfplumber (on pdfminer.six) was chosen over pypdfium2 and pypdf because it is the only one of the three that finds
ruled tables (the points grid, the amounts table) and tells each character's font (bold headings); it is slower
(see the note of the change and bench/bench_readers.py). Lines become paragraphs where the layout breaks them (a
wider gap, a change to or from bold, a numbering or bullet, a short line ending a sentence); running headers,
footers and page numbers are dropped.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from capitolato.document.model import Block, Cell, Column, Document, Inline, Position, Table, Text
from capitolato.readers import document_error, missing_library
from capitolato.readers.blocks import text_block
from capitolato.readers.headings import is_page_number, is_toc_line, numbering

BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
BULLET = re.compile(r"^\s*(?:[•●▪■◦\-–—*]|[a-z]\)|\d{1,2}\))\s")
SENTENCE_END = ".;:!?"
MIN_CHARS_PER_PAGE = 20
MARGIN_SHARE = 0.09


@dataclass(frozen=True)
class _Line:
    text: str
    bold: bool
    top: float
    bottom: float
    x1: float
    page: int
    number: int


def read_pdf(path: Path) -> Document:
    try:
        import pdfplumber
    except ImportError:
        raise missing_library(path, "pdfplumber") from None
    try:
        with pdfplumber.open(str(path)) as pdf:
            pages = [_read_page(page, number) for number, page in enumerate(pdf.pages, start=1)]
    except Exception as exc:  # noqa: BLE001 — whatever the parser raises on a damaged file, the file is unreadable
        raise document_error(path, f"il PDF non si può leggere ({type(exc).__name__})",
                             "è danneggiato o protetto da password?") from None
    _refuse_scans(path, pages)
    repeated = _running_lines(pages)
    blocks = _blocks(pages, repeated)
    title = next((b.inlines[0].text for b in blocks if hasattr(b, "level")), path.stem)
    return Document("letto", title, blocks, source=str(path))


@dataclass
class _Page:
    number: int
    height: float
    lines: list[_Line]
    tables: list[tuple[float, Table]]
    chars: int


def _read_page(page: Any, number: int) -> _Page:
    found = page.find_tables()
    boxes = [table.bbox for table in found]
    raw = page.extract_text_lines(return_chars=True, strip=True)
    lines: list[_Line] = []
    table_lines: dict[int, int] = {}
    for index, line in enumerate(raw, start=1):
        inside = next((i for i, box in enumerate(boxes) if _inside(line, box)), None)
        if inside is not None:
            table_lines.setdefault(inside, index)
            continue
        chars = [c for c in line["chars"] if c["text"].strip()]
        bold = bool(chars) and all(BOLD_FONT.search(c.get("fontname", "")) for c in chars)
        lines.append(_Line(" ".join(line["text"].split()), bold, line["top"], line["bottom"], line["x1"], number,
                           index))
    tables = [(table.bbox[1], _table(table.extract(), number, table_lines.get(i))) for i, table in enumerate(found)]
    count = sum(len(line["chars"]) for line in raw)
    page.close()
    return _Page(number, float(page.height), lines, tables, count)


def _inside(line: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    middle = (line["top"] + line["bottom"]) / 2
    return box[1] - 1 <= middle <= box[3] + 1 and line["x0"] < box[2] and line["x1"] > box[0]


def _refuse_scans(path: Path, pages: list[_Page]) -> None:
    if not pages or sum(p.chars for p in pages) < MIN_CHARS_PER_PAGE * len(pages):
        raise document_error(path, "il PDF non contiene testo: è probabilmente una scansione (immagini delle pagine)",
                             "serve il PDF originale, esportato dal programma di scrittura, oppure un PDF passato "
                             "prima per il riconoscimento ottico dei caratteri (OCR)")


def _running_lines(pages: list[_Page]) -> set[str]:
    """Header and footer lines: the same text (digits aside) near the top or bottom edge of most pages."""
    if len(pages) < 3:
        return set()
    seen: Counter[str] = Counter()
    for page in pages:
        edge = page.height * MARGIN_SHARE
        keys = {_key(line.text) for line in page.lines if line.top < edge or line.bottom > page.height - edge}
        seen.update(keys)
    return {key for key, count in seen.items() if count >= max(3, len(pages) // 2)}


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower())


def _blocks(pages: list[_Page], repeated: set[str]) -> tuple[Block, ...]:
    items: list[tuple[int, float, Any]] = []
    for page in pages:
        kept = [line for line in page.lines if _key(line.text) not in repeated and not is_page_number(line.text)]
        items += [(page.number, line.top, line) for line in kept]
        items += [(page.number, top, table) for top, table in page.tables]
    items.sort(key=lambda item: (item[0], item[1]))
    spacing = _typical_spacing(pages)
    right = max((line.x1 for page in pages for line in page.lines), default=0.0)
    blocks: list[Block] = []
    group: list[_Line] = []
    for _, _, item in items:
        if isinstance(item, Table):
            _flush(group, blocks)
            if blocks and isinstance(blocks[-1], Table) and len(blocks[-1].columns) == len(item.columns):
                blocks[-1] = _continued(blocks[-1], item)
            else:
                blocks.append(_renumbered(item, len(blocks) + 1))
            continue
        if group and _breaks(group[-1], item, spacing, right):
            _flush(group, blocks)
        group.append(item)
    _flush(group, blocks)
    return tuple(blocks)


def _typical_spacing(pages: list[_Page]) -> float:
    gaps = [b.top - a.top for page in pages for a, b in zip(page.lines, page.lines[1:]) if 0 < b.top - a.top < 40]
    return statistics.median(gaps) if gaps else 14.0


def _breaks(previous: _Line, line: _Line, spacing: float, right: float) -> bool:
    """Whether `line` starts a new block after `previous`."""
    if line.page != previous.page:
        if not _runs_on(previous, right):
            return True
    elif line.top - previous.top > spacing * 1.45:
        return True
    if line.bold != previous.bold or BULLET.match(line.text) or is_toc_line(previous.text):
        return True
    found = numbering(line.text)
    if found and (found[0].strong or line.bold):
        return True
    return previous.text[-1:] in SENTENCE_END and previous.x1 < right - 40


def _runs_on(previous: _Line, right: float) -> bool:
    """A page's last line that fills the measure and ends no sentence: its paragraph goes on over the page."""
    return previous.text[-1:] not in SENTENCE_END and previous.x1 >= right - 40


def _flush(group: list[_Line], blocks: list[Block]) -> None:
    if not group:
        return
    if all(is_toc_line(line.text) for line in group):
        group.clear()
        return
    text = group[0].text
    for line in group[1:]:
        text = text[:-1] + line.text if re.search(r"\w-$", text) and line.text[:1].islower() else f"{text} {line.text}"
    position = Position(paragraph=len(blocks) + 1, page=group[0].page, line=group[0].number)
    inlines: tuple[Inline, ...] = (Text(text, bold=all(line.bold for line in group)),)
    blocks.append(text_block(inlines, position))
    group.clear()


def _table(rows: list[list[str | None]], page: int, line: int | None) -> Table:
    """A pdfplumber table: None cells are slots covered by a merge; the first row is the header."""
    grid = [[Cell(_inlines(value), col, continuation=value is None) for col, value in enumerate(row)] for row in rows]
    header = grid[0] if grid else []
    columns = tuple(Column(cell.inlines) for cell in header)
    return Table(columns, tuple(tuple(row) for row in grid[1:]), position=Position(page=page, line=line))


def _continued(table: Table, rest: Table) -> Table:
    """A table that runs on to the next page: its rows join the first part (a repeated header is dropped)."""
    from dataclasses import replace

    header = [c.title for c in table.columns] == [c.title for c in rest.columns]
    first = () if header else (tuple(Cell(c.title, i) for i, c in enumerate(rest.columns)),)
    return replace(table, rows=(*table.rows, *first, *rest.rows))


def _renumbered(table: Table, paragraph: int) -> Table:
    from dataclasses import replace

    position = table.position or Position()
    return replace(table, position=Position(paragraph=paragraph, page=position.page, line=position.line))


def _inlines(value: str | None) -> tuple[Inline, ...]:
    text = " ".join((value or "").split())
    return (Text(text),) if text else ()
