"""The real package of shared/real-tenders (four PDFs of one tender): one row, facts read from the disciplinare,
ranked with reasons. Assertions name no official: only numbers, codes and the authority's kind are compared."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import duckdb
import pytest

from tests.observatory.conftest import REAL_TENDERS, invoke

pytestmark = pytest.mark.skipif(not REAL_TENDERS.is_dir() or importlib.util.find_spec("pdfplumber") is None,
                                reason="pacchetto reale o pdfplumber (extra documenti) non disponibili")
CONTACT = re.compile(r"[\w.-]+@[\w-]+\.[\w.]+|\b0\d{1,3}[ /.-]?\d{5,8}\b")


@pytest.fixture(scope="module")
def observed(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reale") / "out"
    result = invoke("osservatorio", REAL_TENDERS, "-o", out, "-q", "-j", "2")
    assert result.exit_code == 0, "the real package is read without errors"
    return out


def test_one_row_for_the_four_pdfs(observed: Path) -> None:
    with duckdb.connect(str(observed / "osservatorio.duckdb"), read_only=True) as connection:
        row = connection.execute("SELECT file, fonte, anno, procedura, punti_economici, punti_tecnici, oepv, "
                                 "al_tetto_economico, posizione, ente LIKE 'Azienda Ospedaliera%' FROM gare").fetchall()
        files = connection.execute("SELECT count(*), count(*) FILTER (WHERE tipo = 'documento') FROM file").fetchall()
        outcomes = connection.execute("SELECT count(*) FROM esiti").fetchall()
    assert row == [(4, "documento", 2025, "aperta", 28.0, 72.0, True, False, 1, True)]
    assert files == [(4, 4)] and outcomes[0][0] > 0


def test_report_keeps_contacts_out(observed: Path) -> None:
    page = (observed / "osservatorio.html").read_text(encoding="utf-8")
    has_reasons, contacts = "Motivi:" in page, len(CONTACT.findall(page))
    assert has_reasons and contacts == 0, "the report shows reasons and no e-mail or phone number (none printed here)"
