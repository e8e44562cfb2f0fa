"""Time ``markdown_to_docx`` on a synthetic ~35-page tender (target: median ≤ 60 ms).

Run from the repository root: ``python bench/bench_render.py``.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from capitolato.render.markdown_docx import markdown_to_docx  # noqa: E402
from capitolato.render.meta import DocumentMeta  # noqa: E402
from capitolato.render.tabella import parse_tabella  # noqa: E402

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


def tabella(number: int, rows: int = 15) -> str:
    """A criteria table with a vertical merge every three rows and a totals row."""
    lines = [
        "```tabella",
        "colonne: [{titolo: Codice, larghezza: 2.0}, {titolo: Criterio, larghezza: 9.0}, "
        "{titolo: Punti, larghezza: 2.0, allinea: destra}]",
        "righe:",
    ]
    for row in range(rows):
        if row % 3 == 0:
            lines.append(f'  - [{{testo: "{chr(65 + row // 3)}", righe: 3}}, "Criterio {row} di valutazione", "{row}"]')
        else:
            lines.append(f'  - ["Sub-criterio {row} relativo alla qualità", "{row}"]')
    lines += ['totale: ["", "Totale", "100"]', f'didascalia: "Tabella {number} – Criteri"', "```"]
    return "\n".join(lines)


def document() -> str:
    """30 headings, 60 clauses, 5 tables, some lists: roughly 35 pages."""
    parts: list[str] = []
    for article in range(30):
        parts.append(f"{'#' if article % 3 == 0 else '##'} Art. {article + 1} – Disposizione numero {article + 1}")
        parts.append(clause(article * 2))
        parts.append(clause(article * 2 + 1))
        if article % 6 == 0:
            parts.append(tabella(article // 6 + 1))
        if article % 4 == 0:
            parts.append("\n".join(f"{i}. obbligo {i} a carico dell'appaltatore" for i in range(1, 5)))
    return "\n\n".join(parts) + "\n"


def main() -> None:
    markdown = document()
    meta = DocumentMeta(
        title="Capitolato speciale d'appalto", ente="Comune di Esempio", date=dt.date(2026, 11, 24),
        subtitle="Servizio di assistenza domiciliare", cig="A0123456789",
    )
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "bench.docx"
        markdown_to_docx(markdown, out, meta)
        cold = _time(lambda: markdown_to_docx(markdown, out, meta), before=parse_tabella.cache_clear)
        warm = _time(lambda: markdown_to_docx(markdown, out, meta))
        size = out.stat().st_size
    print(f"markdown_to_docx, {RUNS} esecuzioni, {len(markdown.split())} parole, {size / 1024:.0f} KiB")
    print(f"tabelle da analizzare  : {_summary(cold)}")
    print(f"tabelle già analizzate : {_summary(warm)}")


def _time(action: Callable[[], None], before: Callable[[], None] = lambda: None) -> list[float]:
    timings = []
    for _ in range(RUNS):
        before()
        start = time.perf_counter()
        action()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def _summary(timings: list[float]) -> str:
    return f"min {min(timings):.1f} ms · mediana {statistics.median(timings):.1f} ms · max {max(timings):.1f} ms"


if __name__ == "__main__":
    main()
