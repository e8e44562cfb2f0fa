"""Time the Word renderer on a synthetic ~35-page tender document (target: median ≤ 60 ms).

Run from the repository root: ``python bench/bench_render.py``.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from capitolato.document.markdown_reader import read_markdown  # noqa: E402
from capitolato.document.model import Block, Document, Table, text_of  # noqa: E402
from capitolato.document.tables import CellValue, block, cell  # noqa: E402
from capitolato.render.docx import render_docx  # noqa: E402
from capitolato.render.meta import DocumentMeta  # noqa: E402

RUNS = 20
TEXT = (
    "l'appaltatore garantisce la continuità del servizio nel rispetto del contratto collettivo applicabile "
    "e delle clausole sociali previste dal presente capitolato assicurando personale qualificato formazione "
    "periodica verifica degli esiti e rendicontazione trimestrale alla stazione appaltante secondo gli indicatori"
)
WORDS = tuple(TEXT.split(" "))


def clause(seed: int, words: int = 120) -> str:
    """A clause-like paragraph with some bold and italic spans."""
    text = [WORDS[(seed * 7 + i) % len(WORDS)] for i in range(words)]
    text[3] = f"**{text[3]}**"
    text[10] = f"*{text[10]}*"
    return " ".join(text).capitalize() + "."


def tabella(number: int, rows: int = 15) -> Table:
    """A criteria table with a vertical merge every three rows and a totals row."""
    lines: list[list[CellValue]] = []
    for row in range(rows):
        if row % 3 == 0:
            lines.append([cell(chr(65 + row // 3), rows=3), f"Criterio {row} di valutazione", str(row)])
        else:
            lines.append([f"Sub-criterio {row} relativo alla qualità", str(row)])
    return block([("Codice", 2.0, None), ("Criterio", 9.0, None), ("Punti", 2.0, "right")], lines,
                 total=["", "Totale", "100"], caption=f"Tabella {number} – Criteri")


def document() -> Document:
    """30 headings, 60 clauses, 5 tables, some lists: roughly 35 pages."""
    blocks: list[Block] = []
    for article in range(30):
        parts = [f"{'#' if article % 3 == 0 else '##'} Art. {article + 1} – Disposizione numero {article + 1}",
                 clause(article * 2), clause(article * 2 + 1)]
        if article % 4 == 0:
            parts.append("\n".join(f"{i}. obbligo {i} a carico dell'appaltatore" for i in range(1, 5)))
        blocks += read_markdown("\n\n".join(parts) + "\n")
        if article % 6 == 0:
            blocks.append(tabella(article // 6 + 1))
    return Document("capitolato-speciale", "Capitolato speciale d'appalto", tuple(blocks))


def main() -> None:
    tender = document()
    meta = DocumentMeta(
        title="Capitolato speciale d'appalto", ente="Comune di Esempio", date=dt.date(2026, 11, 24),
        subtitle="Servizio di assistenza domiciliare", cig="A0123456789",
    )
    size = len(render_docx(tender, meta))
    timings = _time(lambda: render_docx(tender, meta))
    words = len(text_of(tender).split())
    print(f"render_docx, {RUNS} esecuzioni, {words} parole, {size / 1024:.0f} KiB: {_summary(timings)}")


def _time(action: Callable[[], object]) -> list[float]:
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def _summary(timings: list[float]) -> str:
    return f"min {min(timings):.1f} ms · mediana {statistics.median(timings):.1f} ms · max {max(timings):.1f} ms"


if __name__ == "__main__":
    main()
