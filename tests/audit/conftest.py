from __future__ import annotations

from pathlib import Path

import pytest

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "real-tenders" / "mauriziano-2025"


@pytest.fixture(scope="session")
def real_disciplinare():
    """The Mauriziano disciplinare, read once per session (≈ 6 s)."""
    path = REAL / "DISCIPLINARE_DI_GARA_RETTIFICATO.pdf"
    if not path.is_file():
        pytest.skip("shared/real-tenders non disponibile")
    pytest.importorskip("pdfplumber")
    from capitolato.readers import read_document

    return read_document(path)


@pytest.fixture(scope="session")
def real_package():
    """The other three documents of the Mauriziano package (EU notice, capitolato tecnico, contract scheme), read
    once per session: name → document."""
    names = ("Bando_Europeo.pdf", "CAPITOLATO_TECNICO_RETTIFICATO.pdf", "ALL._L_SCHEMA_DI_CONTRATTO_ESECUTIVO.pdf")
    if not all((REAL / name).is_file() for name in names):
        pytest.skip("shared/real-tenders non disponibile")
    pytest.importorskip("pdfplumber")
    from capitolato.readers import read_document

    return {name: read_document(REAL / name) for name in names}
