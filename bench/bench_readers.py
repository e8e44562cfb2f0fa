"""Reading tender documents: time per page of the Word and PDF readers and of the whole audit, and — when they are
installed — the three PDF libraries compared (pdfplumber, the one capitolato uses; pypdfium2; pypdf), on the real
tender package of shared/real-tenders and on the documents capitolato builds for the Melzo example.

    python bench/bench_readers.py [--runs 3]
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.timing import report, timed  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
REAL = REPO.parent / "shared" / "real-tenders" / "mauriziano-2025"
MELZO = REPO / "examples" / "melzo-servizi-persona"


def pages_of_pdf(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return len(pdf.pages)


def pages_of_docx(path: Path) -> int:
    """Pages as LibreOffice lays the file out (a .docx records none reliably)."""
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", folder, str(path)],
                       check=True, capture_output=True, timeout=300)
        return pages_of_pdf(Path(folder) / f"{path.stem}.pdf")


def per_page(label: str, samples: list[float], pages: int) -> None:
    report(f"{label} ({pages} pag.)", samples)
    print(f"{'':<40} → mediana {sorted(samples)[len(samples) // 2] * 1000 / pages:7.1f} ms per pagina")


def other_libraries(path: Path, runs: int) -> None:
    def pypdfium2_text() -> None:
        import pypdfium2

        document = pypdfium2.PdfDocument(str(path))
        for index in range(len(document)):
            document[index].get_textpage().get_text_range()

    def pypdf_text() -> None:
        import pypdf

        for page in pypdf.PdfReader(str(path)).pages:
            page.extract_text()

    def pdfplumber_text() -> None:
        import pdfplumber

        with pdfplumber.open(str(path)) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.find_tables()

    pages = pages_of_pdf(path)
    for name, action in (("pdfplumber testo+tabelle", pdfplumber_text), ("pypdfium2 testo", pypdfium2_text),
                         ("pypdf testo", pypdf_text)):
        if importlib.util.find_spec(name.split()[0]) is None:
            print(f"{name:<40} non installato")
            continue
        per_page(f"{name} {path.name[:18]}", timed(action, runs), pages)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    from capitolato.audit import audit
    from capitolato.readers import read_document

    pdfs = sorted(REAL.glob("*.pdf")) if REAL.is_dir() else []
    for path in pdfs:
        pages = pages_of_pdf(path)
        per_page(f"lettura PDF {path.name[:22]}", timed(lambda p=path: read_document(p), runs), pages)
        per_page(f"controllo PDF {path.name[:20]}", timed(lambda p=path: audit(p), runs), pages)
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([sys.executable, "-m", "capitolato", "build", str(MELZO), "-o", folder, "--force"],
                       check=True, capture_output=True)
        for path in sorted(Path(folder).glob("*.docx")):
            pages = pages_of_docx(path)
            per_page(f"lettura Word {path.name[:20]}", timed(lambda p=path: read_document(p), runs), pages)
            per_page(f"controllo Word {path.name[:19]}", timed(lambda p=path: audit(p), runs), pages)
    if pdfs:
        other_libraries(max(pdfs, key=pages_of_pdf), runs)


if __name__ == "__main__":
    main()
