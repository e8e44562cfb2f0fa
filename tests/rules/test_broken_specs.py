"""The issue's broken-spec suite: each break yields exactly the intended code at the intended line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from capitolato.library.load import load_library, shipped_folder
from capitolato.rules import check
from capitolato.rules.examples import Case, build, dump
from capitolato.spec.load import load_spec, spec_libraries
from tests.conftest import line_of


def findings_of(text: str, folder: Path, libraries: list[Path] = ()):
    path = folder / "capitolato.yaml"
    path.write_text(text, encoding="utf-8")
    spec = load_spec(path, libraries=libraries)
    return check(spec, load_library(spec_libraries(spec, libraries)))


def assert_only(findings, code: str, line: int) -> None:
    assert {(f.code, f.location.line) for f in findings} == {(code, line)}, \
        [(f.code, str(f.location), f.message) for f in findings]


def drop_clause(text: str, clause_id: str) -> str:
    """The spec text without one `clausole` entry (its `- id:` line and the indented lines under it)."""
    lines, kept, skipping = text.splitlines(keepends=True), [], False
    for line in lines:
        if line.startswith("  - id: "):
            skipping = line.strip() == f"- id: {clause_id}"
        elif not line.startswith("    "):
            skipping = False
        if not skipping:
            kept.append(line)
    return "".join(kept)


MISSING_CLAUSE = {
    "clausola-sociale-riassorbimento": "SOC001",
    "progetto-assorbimento": "SOC002",
    "accettazione-clausola-sociale": "SOC002",
    "subappalto-parita-trattamento": "SOC004",
    "quota-assunzioni-giovani-donne": "PNR001",
    "rapporto-personale-oltre-50": "PNR002",
    "relazione-genere-15-50": "PNR003",
    "obblighi-legge-68": "PNR004",
    "ccnl-applicabile": "LAB006",
    "equivalenza-tutele": "LAB008",
    "costi-manodopera-stima": "LAB002",
    "costi-manodopera-offerta": "LAB004",
    "congruita-costo-personale": "LAB005",
    "revisione-prezzi": "DOC001",
    "penali": "DOC003",
    "standard-qualita-servizi-persona": "DOC004",
}


@pytest.mark.parametrize(("clause_id", "code"), MISSING_CLAUSE.items())
def test_missing_one_clause(melzo_text: str, tmp_path: Path, clause_id: str, code: str) -> None:
    text = drop_clause(melzo_text, clause_id)
    assert f"- id: {clause_id}\n" not in text
    expected = line_of(text, "- id: clausola-sociale-riassorbimento") if code == "SOC002" else line_of(text, "clausole:")
    assert_only(findings_of(text, tmp_path), code, expected)


def test_wrong_quota(melzo_text: str, tmp_path: Path) -> None:
    library = tmp_path / "libreria"
    library.mkdir()
    shipped = (shipped_folder() / "quota-assunzioni-giovani-donne.yaml").read_text(encoding="utf-8")
    (library / "quota-assunzioni-giovani-donne.yaml").write_text(
        re.sub(r"(quota_donne:\n(?:    .*\n)*?    min: )30", r"\g<1>0", shipped), encoding="utf-8")
    text = melzo_text.replace("  - id: quota-assunzioni-giovani-donne\n",
                              "  - id: quota-assunzioni-giovani-donne\n    parametri:\n      quota_donne: 20\n")
    assert_only(findings_of(text, tmp_path, [library]), "PNR001", line_of(text, "quota_donne: 20"))


def test_price_weight_over_30_labour_intensive(melzo_text: str, tmp_path: Path) -> None:
    text = melzo_text.replace("  punti_economici: 20\n", "  punti_totali: 120\n  punti_economici: 40\n")
    assert_only(findings_of(text, tmp_path), "AWD002", line_of(text, "punti_economici: 40"))


def test_fixed_price_with_price_criterion(melzo_text: str, tmp_path: Path) -> None:
    text = melzo_text.replace("  criterio: oepv\n", "  criterio: prezzo-fisso\n  importo_fisso: 2400000.00\n"
                              "  motivazione_prezzo_fisso: costo orario delle tabelle ministeriali\n")
    assert_only(findings_of(text, tmp_path), "AWD004", line_of(text, "punti_economici: 20"))


def test_reserved_contract_without_30_percent_statement(melzo_text: str, tmp_path: Path) -> None:
    text = melzo_text.replace("  tipo: aperta\n", "  tipo: riservata-art61\n")
    assert_only(findings_of(text, tmp_path), "RES001", line_of(text, "clausole:"))


def test_convention_381_above_threshold(tmp_path: Path) -> None:
    text = dump(build(Case("-", False, base="convenzione381"))).replace("  base: 150000.0\n", "  base: 300000.0\n")
    assert_only(findings_of(text, tmp_path), "RES003", line_of(text, "base: 300000.0"))


def test_co_design_notice_with_ribasso(tmp_path: Path) -> None:
    data = build(Case("-", False, base="coprogettazione"))
    data["premessa"] += " Gli enti offrono un ribasso sul budget del progetto."
    text = dump(data)
    assert_only(findings_of(text, tmp_path), "CTS002", line_of(text, "premessa:"))


def test_impact_indicator_without_baseline(melzo_text: str, tmp_path: Path) -> None:
    text = melzo_text.replace("      baseline: {valore: 40, data: 2025-12-31}\n", "")
    assert_only(findings_of(text, tmp_path), "IMP001", line_of(text, "- codice: I2"))


def test_governance_with_two_levels(melzo_text: str, tmp_path: Path) -> None:
    start = melzo_text.index("    - livello: operativo")
    end = melzo_text.index("frequenza: quindicinale\n") + len("frequenza: quindicinale\n")
    text = melzo_text[:start] + melzo_text[end:]
    assert_only(findings_of(text, tmp_path), "GOV001", line_of(text, "governance:"))


def test_grid_off_by_one_fails_at_that_node(melzo_text: str, tmp_path: Path) -> None:
    text = melzo_text.replace("              punti: 17\n", "              punti: 16\n")
    assert_only(findings_of(text, tmp_path), "AWD006", line_of(text, "punti: 27"))
