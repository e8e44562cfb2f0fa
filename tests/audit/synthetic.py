"""Hand-written tenders as offices write them: python-docx without heading styles, manual numbering, bold
paragraphs, a table for the grid, text copied from old tenders; with defects seeded at known paragraphs.

`tender()` returns the path and a map from a marker to the paragraph number (1-based, paragraphs and tables as the
reader counts them) where the marked text was written.
"""

from __future__ import annotations

from pathlib import Path

import docx

CLEAN = [
    ("titolo", "COMUNE DI ROCCAFRANCA – SETTORE SERVIZI SOCIALI", True),
    ("documento", "CAPITOLATO SPECIALE D'APPALTO", True),
    ("art1", "Art. 1 – Oggetto dell'appalto", True),
    ("oggetto", "Il presente appalto, da affidare con procedura aperta ai sensi dell'art. 71 del d.lgs. 36/2023, ha per "
                "oggetto il servizio di assistenza domiciliare anziani (SAD). Codice CPV 85312000-9. CIG A0123456BC.", False),
    ("art2", "ARTICOLO 2 - DURATA", True),
    ("durata", "Il contratto ha durata di 24 (ventiquattro) mesi decorrenti dalla data di avvio del servizio. La stazione "
               "appaltante si riserva il rinnovo per ulteriori 12 mesi.", False),
    ("art3", "Art. 3 – Importo", True),
    ("importo", "L'importo a base di gara è di € 500.000,00, IVA esclusa. Ai sensi dell'art. 41, comma 14, del d.lgs. "
                "36/2023 i costi della manodopera stimati ammontano a € 350.000,00. Gli oneri della sicurezza sono pari a "
                "€ 0,00.", False),
    ("criteri", "3.1 Criteri di aggiudicazione", True),
    ("oepv", "L'appalto è aggiudicato con il criterio dell'offerta economicamente più vantaggiosa, ai sensi dell'art. 108 "
             "del d.lgs. 36/2023: sono attribuiti 70 punti all'offerta tecnica e 30 punti all'offerta economica.", False),
    ("griglia", None, False),
    ("sezione", "SEZIONE III – PERSONALE", True),
    ("ccnl", "All'appalto si applica il CCNL delle cooperative sociali, ai sensi dell'art. 11 del d.lgs. 36/2023.", False),
    ("clausola", "Clausola sociale: ai sensi dell'art. 57 del d.lgs. 36/2023 l'aggiudicatario è tenuto al riassorbimento "
                 "del personale del gestore uscente.", False),
    ("revisione", "Revisione dei prezzi: ai sensi dell'art. 60 del d.lgs. 36/2023 i prezzi sono aggiornati quando la "
                  "variazione dei costi supera il 5 per cento.", False),
    ("penali_titolo", "II.1) Penali", True),
    ("penali", "Per ogni giorno di ritardo si applica una penale pari all'1 per mille dell'ammontare netto contrattuale, "
               "ai sensi dell'art. 126 del d.lgs. 36/2023.", False),
]
GRID = [("Criterio", "Punti max"), ("Qualità del progetto di servizio", "40"), ("Organizzazione e coordinamento", "20"),
        ("Formazione del personale", "10"), ("TOTALE", "70")]


Merge = tuple[tuple[int, int], tuple[int, int]]


def tender(path: Path, replace: dict[str, str | None] | None = None, grid: list[tuple[str, ...]] | None = None,
           extra: list[tuple[str, str, bool]] | None = None,
           merges: list[Merge] | None = None) -> tuple[Path, dict[str, int]]:
    """Write the tender; `replace` swaps the text of a marked paragraph (None drops it), `extra` appends paragraphs,
    `merges` joins grid cells ((row, col) top-left, (row, col) bottom-right; only the top-left cell keeps text)."""
    word = docx.Document()
    places: dict[str, int] = {}
    number = 0
    for marker, text, bold in [*CLEAN, *(extra or [])]:
        if replace and marker in replace:
            text = replace[marker]
            if text is None:
                continue
        number += 1
        places[marker] = number
        if marker == "griglia":
            _grid(word, grid or GRID, merges or [])
            continue
        paragraph = word.add_paragraph()
        run = paragraph.add_run(text)
        run.bold = bold
    word.save(str(path))
    return path, places


def _grid(word: docx.document.Document, rows: list[tuple[str, ...]], merges: list[Merge]) -> None:
    table = word.add_table(rows=len(rows), cols=len(rows[0]))
    for row, values in zip(table.rows, rows):
        for cell, value in zip(row.cells, values):
            cell.text = value
    for (top, left), (bottom, right) in merges:
        table.cell(top, left).merge(table.cell(bottom, right))
