"""Facts read from the text: values typed like the spec's, each with the paragraph where it was written."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from capitolato.audit import audit, audit_document
from capitolato.audit.facts import Status
from capitolato.cli.app import app
from tests.audit.synthetic import tender

EXPECTED = {
    "procedura.tipo": ("aperta", "oggetto"),
    "procedura.cpv": (["85312000-9"], "oggetto"),
    "procedura.cig": (["A0123456BC"], "oggetto"),
    "procedura.durata_mesi": (24, "durata"),
    "procedura.rinnovo_mesi": (12, "durata"),
    "importi.base": (Decimal("500000.00"), "importo"),
    "importi.manodopera": (Decimal("350000.00"), "importo"),
    "importi.sicurezza": (Decimal("0.00"), "importo"),
    "aggiudicazione.criterio": ("oepv", "oepv"),
    "aggiudicazione.punti_tecnici": (70, "oepv"),
    "aggiudicazione.punti_economici": (30, "oepv"),
}


def test_synthetic_tender_facts_at_their_paragraphs(tmp_path: Path) -> None:
    path, at = tender(tmp_path / "bando.docx")
    facts = audit(path).facts
    for key, (value, marker) in EXPECTED.items():
        fact = facts[key]
        assert (fact.status, fact.value) == (Status.FOUND, value), key
        assert fact.where.paragraph == at[marker], key
    assert facts["clausola_sociale"].where.paragraph == at["clausola"]
    assert "riassorbimento" in facts["clausola_sociale"].value
    assert facts["penali"].where.paragraph == at["penali"]
    assert facts["ccnl.nome"].value.startswith("CCNL delle cooperative sociali")
    assert facts["riserva.art61"].status is Status.MISSING


def test_grid_from_the_table(tmp_path: Path) -> None:
    path, at = tender(tmp_path / "bando.docx")
    grid = audit(path).grid
    assert [(row.label, row.points) for row in grid.rows] == [
        ("Qualità del progetto di servizio", 40), ("Organizzazione e coordinamento", 20), ("Formazione del personale", 10)]
    assert (grid.total, grid.stated_total, grid.position.paragraph) == (70, 70, at["griglia"])


def test_two_base_amounts_are_ambiguous(tmp_path: Path) -> None:
    path, at = tender(tmp_path / "bando.docx", extra=[("altro", "L'importo complessivo a base di gara è pari a "
                                                                 "€ 480.000,00 oltre IVA.", False)])
    fact = audit(path).facts["importi.base"]
    assert fact.status is Status.AMBIGUOUS
    assert set(fact.candidates) == {Decimal("500000.00"), Decimal("480000.00")}
    assert {e.position.paragraph for e in fact.evidence} == {at["importo"], at["altro"]}


def test_negated_or_excluded_sentences_do_not_count(tmp_path: Path) -> None:
    path, _ = tender(tmp_path / "bando.docx", replace={"durata": "La durata del procedimento è di 9 mesi "
                                                                 "dall'indizione."})
    assert audit(path).facts["procedura.durata_mesi"].status is Status.MISSING


def test_json_prints_the_estratti(tmp_path: Path) -> None:
    path, at = tender(tmp_path / "bando.docx")
    result = CliRunner().invoke(app, ["check", str(path), "--formato", "json"])
    report = json.loads(result.stdout)
    facts = report["documenti"][0]["estratti"]
    assert facts["importi.base"]["valore"] == "500000.00"
    assert facts["importi.base"]["dove"][0]["paragrafo"] == at["importo"]
    assert facts["procedura.cpv"]["valore"] == ["85312000-9"]
    assert facts["riserva.art61"]["stato"] == "non trovato"


def test_text_report_is_a_checklist(tmp_path: Path) -> None:
    path, at = tender(tmp_path / "bando.docx", extra=[("altro", "L'importo a base di gara è di € 480.000,00.", False)])
    result = CliRunner().invoke(app, ["check", str(path)])
    assert "✓ trovato      Codici CPV: 85312000-9" in result.stdout
    assert "· non trovato  Riserva art. 61" in result.stdout
    assert "? ambiguo      Importo a base di gara: 500000.00 oppure 480000.00" in result.stdout


def test_folder_of_documents_in_batch(tmp_path: Path) -> None:
    tender(tmp_path / "uno.docx")
    (tmp_path / "sub").mkdir()
    tender(tmp_path / "sub" / "due.docx")
    (tmp_path / "rotto.pdf").write_bytes(b"%PDF-1.4 rotto")
    result = CliRunner().invoke(app, ["check", str(tmp_path), "--formato", "json", "-j", "1"])
    assert result.exit_code == 2
    files = [d["file"] for d in json.loads(result.stdout)["documenti"]]
    assert sorted(Path(f).name for f in files) == ["due.docx", "uno.docx"]
    assert "rotto.pdf" in result.stderr


def test_missing_file_is_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["check", str(tmp_path / "assente.docx")])
    assert result.exit_code == 2 and "file non trovato" in result.stderr


def test_real_disciplinare_facts(real_disciplinare) -> None:
    result = audit_document(real_disciplinare, Path(real_disciplinare.source))
    facts = result.facts
    assert facts["procedura.tipo"].value == "aperta"
    assert facts["procedura.cpv"].value == ["33190000-8"]
    assert facts["procedura.lotti"].value == 25
    assert facts["procedura.durata_mesi"].value == 24
    assert facts["procedura.rinnovo_mesi"].value == 24
    assert facts["procedura.proroga_tecnica_mesi"].value == 6
    assert facts["importi.base"].value == Decimal("756064.24")
    assert facts["importi.valore_stimato"].value == Decimal("2079176.66")
    assert facts["aggiudicazione.criterio"].value == "oepv"
    assert (facts["aggiudicazione.punti_tecnici"].value, facts["aggiudicazione.punti_economici"].value) == (72, 28)
    for key in ("premio_parita_genere", "revisione_prezzi", "subappalto", "garanzie"):
        assert facts[key].found, key
    for key in ("clausola_sociale", "riserva.art61", "riserva.l381", "ccnl.nome"):
        assert not facts[key].found, key
    assert (result.grid.total, result.grid.stated_total, len(result.grid.rows)) == (72, 72, 10)
    assert facts["procedura.tipo"].where.page == 1
    assert facts["procedura.data_pubblicazione"].value == dt.date(2025, 10, 9)


def _figures(result) -> dict:
    """Values of the facts, and for text facts only whether they were found: a failing assertion on a real document
    prints these, never its sentences (which name officials and give their e-mails and phone numbers)."""
    return {key: (fact.found if fact.value is not None and isinstance(fact.value, str) and len(fact.value) > 40
                  else fact.value) for key, fact in result.facts.items()}


def test_eu_notice_facts(real_package) -> None:
    """The eForms notice: figures written «2 079 176,66 EUR», CPV without check digit, one block per lot (whose values
    are the lots', not the procedure's), criteria as «Tipo: Qualità — Descrizione: 72/28»."""
    document = real_package["Bando_Europeo.pdf"]
    result = audit_document(document, Path(document.source))
    figures = _figures(result)
    expected = {"procedura.tipo": "aperta", "procedura.cpv": ["33190000"], "procedura.lotti": 25,
                "importi.valore_stimato": Decimal("2079176.66"), "procedura.durata_mesi": 24,
                "procedura.rinnovo_mesi": 24, "procedura.proroga_tecnica_mesi": 6, "aggiudicazione.criterio": "oepv",
                "aggiudicazione.punti_tecnici": 72, "aggiudicazione.punti_economici": 28,
                "procedura.data_pubblicazione": dt.date(2025, 10, 9)}
    assert {key: figures[key] for key in expected} == expected
    lots = result.facts["procedura.lotti"].where
    assert (lots.page, result.facts["importi.valore_stimato"].status.value) == (2, "trovato")


def test_capitolato_and_contract_scheme_facts(real_package) -> None:
    capitolato = real_package["CAPITOLATO_TECNICO_RETTIFICATO.pdf"]
    figures = _figures(audit_document(capitolato, Path(capitolato.source)))
    assert {k: figures[k] for k in ("procedura.cpv", "procedura.lotti", "aggiudicazione.criterio",
                                    "aggiudicazione.punti_totali")} == {
        "procedura.cpv": ["33190000-8"], "procedura.lotti": 25, "aggiudicazione.criterio": "oepv",
        "aggiudicazione.punti_totali": 100}
    assert [k for k in ("penali", "subappalto", "garanzie", "premio_parita_genere") if not figures[k]] == []
    scheme = real_package["ALL._L_SCHEMA_DI_CONTRATTO_ESECUTIVO.pdf"]
    figures = _figures(audit_document(scheme, Path(scheme.source)))
    assert (figures["procedura.cpv"], figures["procedura.durata_mesi"]) == (["33190000-8"], 24)
    assert [k for k in ("subappalto", "garanzie", "revisione_prezzi") if not figures[k]] == []
