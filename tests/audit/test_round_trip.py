"""Round trip: every document capitolato builds from an example audits without errors, and the facts read back from
the text equal the spec's, the grid too (Word for every example, PDF for Melzo)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from capitolato.audit import Audit, audit
from capitolato.audit.facts import Status
from capitolato.cli.app import app
from capitolato.model.tender import CODICE_ROUTES, Spec
from capitolato.spec.load import load_spec
from tests.audit.test_grid import grid_tree, spec_tree
from tests.conftest import EXAMPLES

CORE = ("procedura.tipo", "procedura.cpv", "procedura.durata_mesi", "procedura.data_pubblicazione", "importi.base",
        "importi.manodopera", "aggiudicazione.criterio")
EXAMPLE_DIRS = sorted(p.parent for p in EXAMPLES.glob("*/capitolato.yaml"))


def spec_values(spec: Spec) -> dict[str, Any]:
    """What the documents should say, under the audit's fact keys."""
    procedure, amounts, award = spec.procedure, spec.amounts, spec.award
    values: dict[str, Any] = {
        "procedura.tipo": procedure.kind.value, "procedura.cpv": list(procedure.cpv),
        "procedura.data_pubblicazione": procedure.notice_date, "procedura.durata_mesi": procedure.duration_months,
        "procedura.rinnovo_mesi": procedure.renewal_months or None,
        "procedura.proroga_tecnica_mesi": procedure.extension_months or None,
        "procedura.cig": [procedure.cig] if procedure.cig else None,
        "procedura.cup": [procedure.cup] if procedure.cup else None,
        "importi.base": amounts.base_amount, "importi.manodopera": amounts.labour_cost,
        "importi.sicurezza": amounts.safety_costs, "importi.valore_stimato": amounts.declared_estimated_value,
        "ccnl.nome": spec.ccnl.name if spec.ccnl else None,
        "ccnl.codice_cnel": [spec.ccnl.cnel_code] if spec.ccnl and spec.ccnl.cnel_code else None,
    }
    if award is not None:
        values |= {"aggiudicazione.criterio": award.method.value, "aggiudicazione.punti_tecnici": award.technical_points,
                   "aggiudicazione.punti_economici": award.economic_points,
                   "aggiudicazione.punti_totali": award.total_points, "aggiudicazione.importo_fisso": award.fixed_amount,
                   "aggiudicazione.soglia_sbarramento":
                       award.min_technical_score.points if award.min_technical_score else None}
    return {key: value for key, value in values.items() if value is not None}


def _check_package(audits: list[Audit], spec: Spec) -> None:
    for result in audits:
        errors = [f"{f.code} {f.location}: {f.message}" for f in result.findings if f.severity.value == "error"]
        assert errors == [], result.path.name
    expected = spec_values(spec)
    found: dict[str, Any] = {}
    for result in audits:
        for key, fact in result.facts.items():
            if key not in expected or not fact.found:
                continue
            assert fact.status is Status.FOUND, f"{result.path.name}: {key} ambiguo {fact.candidates}"
            assert fact.value == expected[key], f"{result.path.name}: {key} letto {fact.value}, spec {expected[key]}"
            found[key] = fact.value
    if spec.procedure.kind in CODICE_ROUTES:
        assert [key for key in CORE if key in expected and key not in found] == []
    for result in audits:
        if result.grid is not None and spec.award is not None:
            assert grid_tree(result.grid) == spec_tree(spec.award.criteria), result.path.name


def _build(example: Path, target: Path, fmt: str) -> list[Path]:
    result = CliRunner().invoke(app, ["build", str(example), "-o", str(target), "--formato", fmt, "--force"])
    assert result.exit_code == 0, result.stderr
    return sorted(target.glob(f"*.{fmt}"))


@pytest.mark.parametrize("example", EXAMPLE_DIRS, ids=lambda p: p.name)
def test_built_word_documents_audit_clean_with_the_spec_facts(example: Path, tmp_path: Path) -> None:
    documents = _build(example, tmp_path, "docx")
    assert documents
    _check_package([audit(path) for path in documents], load_spec(example / "capitolato.yaml"))


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) non installato")
def test_built_pdf_documents_audit_clean_with_the_spec_facts(tmp_path: Path) -> None:
    pytest.importorskip("pdfplumber")
    example = EXAMPLES / "melzo-servizi-persona"
    documents = _build(example, tmp_path, "pdf")
    assert len(documents) == 2
    _check_package([audit(path) for path in documents], load_spec(example / "capitolato.yaml"))
