"""The rules on a read document: each seeded defect of the synthetic tender is found at its paragraph; the clean
tender and the real control case raise nothing they should not; rules without their facts are listed as not run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from capitolato.audit import audit, audit_document
from capitolato.cli.app import app
from tests.audit.synthetic import GRID, tender

SOCIAL_FAMILIES = ("SOC", "LAB", "PNR", "RES", "CTS", "GOV", "IMP", "STR", "AWD")


def _codes(findings) -> list[tuple[str, int]]:
    return [(f.code, f.location.line) for f in findings]


def test_clean_synthetic_tender_has_no_findings(tmp_path: Path) -> None:
    path, _ = tender(tmp_path / "bando.docx")
    result = audit(path)
    assert result.findings == []
    assert {n.code for n in result.not_run} == {"TXT002", "TXT009"}


@pytest.mark.parametrize("marker, text, code", [
    ("ccnl", "All'appalto si applica il CCNL delle cooperative sociali, ai sensi dell'art. 250 del d.lgs. 36/2023.",
     "TXT001"),
    ("penali", "Per ogni giorno di ritardo si applica una penale pari all'1 per mille, ai sensi dell'art. 126, comma 5, "
               "del d.lgs. 36/2023.", "TXT001"),
    ("ccnl", "All'appalto si applica il CCNL delle cooperative sociali, ai sensi dell'art. 30 del d.lgs. 36/2023.",
     "TXT003"),
    ("penali", "Per ogni giorno di ritardo si applica una penale pari all'1 per mille, come previsto dall'art. 119 del "
               "Codice.", "TXT003"),
    ("oggetto", "Il servizio di assistenza domiciliare (CPV 85312000-9) è affidato con procedura aperta. Il RUP è XXX.",
     "TXT004"),
    ("oggetto", "Il servizio di assistenza domiciliare (CPV 85312000-9) è affidato con procedura aperta. CIG: "
                "DA COMPLETARE.", "TXT004"),
])
def test_seeded_text_defect_found_at_its_paragraph(tmp_path: Path, marker: str, text: str, code: str) -> None:
    path, at = tender(tmp_path / "bando.docx", replace={marker: text})
    assert (code, at[marker]) in _codes(audit(path).findings)


WRONG_TOPIC = [
    ("CCNL", "Al personale si applica il CCNL delle cooperative sociali, come previsto dall'art. 30 del d.lgs. 36/2023."),
    ("equivalenza", "L'operatore può indicare un altro contratto purché garantisca tutele equivalenti, ai sensi "
                    "dell'art. 11, comma 1, del d.lgs. 36/2023."),
    ("manodopera", "I costi della manodopera sono indicati nell'offerta economica ai sensi dell'art. 108, comma 4, del "
                   "d.lgs. 36/2023."),
    ("manodopera", "I costi della manodopera sono stimati ai sensi dell'art. 41, comma 3, del d.lgs. 36/2023."),
    ("clausola sociale", "La clausola sociale di riassorbimento del personale si applica ai sensi dell'art. 50 del "
                         "d.lgs. 36/2023."),
    ("penali", "Le penali per il ritardo sono applicate ai sensi dell'art. 120 del d.lgs. 36/2023."),
    ("subappalto", "Il subappalto è ammesso nei limiti dell'art. 105 del d.lgs. 36/2023."),
    ("garanzie", "La garanzia definitiva è costituita ai sensi dell'art. 103 del d.lgs. 36/2023."),
    ("garanzie", "La garanzia provvisoria è pari al 2 per cento, ai sensi dell'art. 93 del d.lgs. 36/2023."),
    ("revisione", "La revisione dei prezzi opera ai sensi dell'art. 106 del d.lgs. 36/2023."),
]
RIGHT_TOPIC = [
    "I costi della manodopera sono indicati nell'offerta economica ai sensi dell'art. 108, comma 9, del d.lgs. 36/2023.",
    "L'operatore può indicare un altro contratto purché garantisca tutele equivalenti, ai sensi dell'art. 11, commi 3 "
    "e 4, del d.lgs. 36/2023.",
    "Il subappalto è ammesso nei limiti dell'art. 119 del d.lgs. 36/2023.",
    "La garanzia definitiva è costituita ai sensi dell'art. 117 del d.lgs. 36/2023.",
    "La garanzia provvisoria è pari al 2 per cento, ai sensi dell'art. 106 del d.lgs. 36/2023.",
    "Le penali per il ritardo sono applicate ai sensi dell'art. 126, comma 1, del d.lgs. 36/2023.",
]


@pytest.mark.parametrize("topic, text", WRONG_TOPIC, ids=[f"{t}-{i}" for i, (t, _) in enumerate(WRONG_TOPIC)])
def test_citation_off_topic_found_at_its_paragraph(tmp_path: Path, topic: str, text: str) -> None:
    path, at = tender(tmp_path / "bando.docx", extra=[("norma", text, False)])
    found = [f for f in audit(path).findings if f.code == "TXT003"]
    assert [f.location.line for f in found] == [at["norma"]]


@pytest.mark.parametrize("text", RIGHT_TOPIC)
def test_citation_on_topic_is_silent(tmp_path: Path, text: str) -> None:
    path, _ = tender(tmp_path / "bando.docx", extra=[("norma", text, False)])
    assert [f.code for f in audit(path).findings] == []


@pytest.mark.parametrize("text, wrong", [
    ("Si applica l'art. 11, comma 9, del d.lgs. 36/2023 sulle inadempienze contributive.", True),
    ("Si applica l'art. 11, comma 6, del d.lgs. 36/2023 sulle inadempienze contributive.", False),
    ("Il servizio è tra quelli dell'art. 128, comma 9, del d.lgs. 36/2023.", True),
    ("Il servizio è tra quelli dell'art. 128, commi 2 e 8, del d.lgs. 36/2023.", False),
    ("Le disposizioni transitorie sono quelle dell'art. 225, comma 16, del d.lgs. 36/2023.", False),
    ("La clausola sociale segue l'art. 57, comma 2-bis, del d.lgs. 36/2023.", False),
    ("I partner sono scelti secondo l'art. 55, comma 4, del Codice del Terzo settore.", False),
    ("La finanza di progetto segue l'art. 193, comma 17, del d.lgs. 36/2023.", False),
    ("La finanza di progetto segue l'art. 193, comma 18, del d.lgs. 36/2023.", True),
])
def test_comma_checked_against_the_original_text(tmp_path: Path, text: str, wrong: bool) -> None:
    """Every article's last comma is the one of the original text in the Gazzetta; a suffixed comma always exists."""
    path, at = tender(tmp_path / "bando.docx", extra=[("norma", text, False)])
    found = [(f.code, f.location.line) for f in audit(path).findings if f.code == "TXT001"]
    assert found == ([("TXT001", at["norma"])] if wrong else [])


def test_comma_table_covers_every_article_and_the_internal_references() -> None:
    """The table has all 229 articles; a comma added later with a new number would be listed with its source."""
    from capitolato.resources import package_data
    from capitolato.rules.document import verified_commas

    commas = verified_commas()
    assert sorted(commas, key=int) == [str(n) for n in range(1, 230)]
    assert all(last >= 1 for last in commas.values())
    for number, entry in (package_data("codice-articoli.yaml")["codice"]["commi"]["aggiunti"] or {}).items():
        assert commas[number] == int(entry["ultimo"]) and entry["fonte"]


@pytest.mark.parametrize("text, wrong", [
    ("I requisiti di qualificazione sono quelli dell'Allegato II.12 al d.lgs. 36/2023.", False),
    ("Il CCNL è individuato secondo l'Allegato I.01 del Codice.", False),
    ("La revisione dei prezzi segue l'Allegato II.2-bis.", False),
    ("Il contenuto del piano di sicurezza è quello dell'allegato XV del d.lgs. 81/2008.", False),
    ("Le specifiche sono quelle dell'Allegato VI.2 del d.lgs. 36/2023.", True),
    ("Le informazioni del bando sono quelle dell'Allegato II.21 al d.lgs. 36/2023.", True),
    ("Le concessioni seguono l'Allegato III.1 del d.lgs. 36/2023.", True),
    ("La Cabina di regia è disciplinata dall'Allegato V.3 del d.lgs. 36/2023.", False),
])
def test_cited_annex_checked_against_the_table(tmp_path: Path, text: str, wrong: bool) -> None:
    path, at = tender(tmp_path / "bando.docx", extra=[("allegato", text, False)])
    found = [(f.code, f.location.line) for f in audit(path).findings]
    assert found == ([("TXT008", at["allegato"])] if wrong else [])


def test_repealed_code_in_a_tender_published_after_july_2023(tmp_path: Path) -> None:
    dated = ("data", "Il bando è pubblicato il 15/03/2025 sulla piattaforma.", False)
    old = ("vecchio", "Per quanto non previsto si rinvia al D.Lgs. 50/2016 e s.m.i.", False)
    path, at = tender(tmp_path / "bando.docx", extra=[dated, old])
    assert ("TXT002", at["vecchio"]) in _codes(audit(path).findings)
    early = ("data", "Il bando è pubblicato il 15/03/2023 sulla piattaforma.", False)
    path, _ = tender(tmp_path / "vecchio.docx", extra=[early, old])
    assert "TXT002" not in {f.code for f in audit(path).findings}


@pytest.mark.parametrize("text, published, repealed", [
    ("Le riserve seguono l'art. 61, comma 2, del d.lgs. 36/2023.", "15/03/2025", True),
    ("La sospensione segue l'art. 109 del Codice.", "15/03/2025", True),
    ("I termini si riducono ai sensi dell'art. 71, commi 4 e 5, del d.lgs. 36/2023.", "15/03/2025", True),
    ("Le riserve seguono l'art. 61, comma 2, del d.lgs. 36/2023.", "15/03/2024", False),
    ("Le riserve seguono l'art. 61, commi 1 e 3, del d.lgs. 36/2023.", "15/03/2025", False),
    ("Le riserve seguono l'art. 61, comma 2-bis, del d.lgs. 36/2023.", "15/03/2025", False),
])
def test_repealed_provision_in_a_tender_published_after_the_correttivo(tmp_path: Path, text: str, published: str,
                                                                      repealed: bool) -> None:
    dated = ("data", f"Il bando è pubblicato il {published} sulla piattaforma.", False)
    path, at = tender(tmp_path / "bando.docx", extra=[dated, ("norma", text, False)])
    found = [(f.code, f.location.line) for f in audit(path).findings if f.code == "TXT009"]
    assert found == ([("TXT009", at["norma"])] if repealed else [])


def test_two_amounts_contradict(tmp_path: Path) -> None:
    path, at = tender(tmp_path / "bando.docx", extra=[("altro", "L'importo a base di gara è di € 480.000,00.", False)])
    assert ("TXT005", at["altro"]) in _codes(audit(path).findings)


def test_grid_that_does_not_add_up(tmp_path: Path) -> None:
    rows = [*GRID[:-1], ("Innovazione", "5"), ("TOTALE", "70")]
    path, at = tender(tmp_path / "bando.docx", grid=rows)
    found = [f for f in audit(path).findings if f.code == "TXT006"]
    assert [(f.location.line, "75" in f.message) for f in found] == [(at["griglia"], True)]


def test_split_that_does_not_add_up(tmp_path: Path) -> None:
    text = ("L'appalto è aggiudicato con il criterio dell'offerta economicamente più vantaggiosa: sono attribuiti 70 punti "
            "all'offerta tecnica e 40 punti all'offerta economica.")
    path, at = tender(tmp_path / "bando.docx", replace={"oepv": text})
    codes = _codes(audit(path).findings)
    assert ("TXT006", at["oepv"]) in codes


def test_social_service_without_social_clause(tmp_path: Path) -> None:
    path, at = tender(tmp_path / "bando.docx", replace={"clausola": None})
    assert ("TXT007", at["titolo"]) in _codes(audit(path).findings)


def test_lowest_price_for_a_social_service_runs_the_spec_rule(tmp_path: Path) -> None:
    text = "L'appalto è aggiudicato con il criterio del minor prezzo."
    path, at = tender(tmp_path / "bando.docx", replace={"oepv": text})
    assert ("AWD001", at["oepv"]) in _codes(audit(path).findings)


def test_price_weight_over_30_percent_in_a_labour_intensive_service(tmp_path: Path) -> None:
    text = ("L'appalto è aggiudicato con il criterio dell'offerta economicamente più vantaggiosa: sono attribuiti 60 punti "
            "all'offerta tecnica e 40 punti all'offerta economica.")
    path, at = tender(tmp_path / "bando.docx", replace={"oepv": text}, grid=[("Criterio", "Punti"), ("Qualità", "60")])
    findings = audit(path).findings
    assert ("AWD002", at["oepv"]) in _codes(findings)


def test_rules_without_their_facts_are_listed(tmp_path: Path) -> None:
    path, _ = tender(tmp_path / "bando.docx", replace={"oepv": "Criteri: si veda il disciplinare.", "griglia": None,
                                                        "oggetto": "Servizio di assistenza domiciliare."})
    not_run = {n.code: n.missing for n in audit(path).not_run}
    assert not_run["TXT006"] == ("griglia dei punteggi",)
    assert "Criterio di aggiudicazione" in not_run["AWD001"]
    result = CliRunner().invoke(app, ["check", str(path)])
    assert "Regole non eseguite per mancanza di un fatto" in result.stdout and "TXT006" in result.stdout
    assert "non applicabili a un documento" in result.stdout and "GOV001" in result.stdout


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) non installato")
def test_rules_without_their_facts_are_listed_for_a_pdf_too(tmp_path: Path) -> None:
    """The same tender printed to PDF: the report lists the same rules as not run, with the same missing facts."""
    import subprocess

    pytest.importorskip("pdfplumber")
    path, _ = tender(tmp_path / "bando.docx", replace={"oepv": "Criteri: si veda il disciplinare.", "griglia": None,
                                                        "oggetto": "Servizio di assistenza domiciliare."})
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'profilo'}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path / "pdf"), str(path)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "pdf" / "bando.pdf"
    from_word = {n.code: n.missing for n in audit(path).not_run}
    from_pdf = {n.code: n.missing for n in audit(pdf).not_run}
    assert from_pdf == from_word and "TXT006" in from_pdf
    result = CliRunner().invoke(app, ["check", str(pdf)])
    assert "Regole non eseguite per mancanza di un fatto" in result.stdout and "TXT006" in result.stdout
    report = json.loads(CliRunner().invoke(app, ["check", str(pdf), "--formato", "json"]).stdout)
    listed = {r["codice"]: r["fatti_mancanti"] for r in report["documenti"][0]["regole_non_eseguite"]}
    assert listed["TXT006"] == ["griglia dei punteggi"]


def test_exit_codes_and_machine_formats(tmp_path: Path) -> None:
    clean, _ = tender(tmp_path / "pulito.docx")
    assert CliRunner().invoke(app, ["check", str(clean)]).exit_code == 0
    broken, at = tender(tmp_path / "bando.docx", replace={"clausola": None})
    runner = CliRunner()
    assert runner.invoke(app, ["check", str(broken)]).exit_code == 1
    sarif = json.loads(runner.invoke(app, ["check", str(broken), "--format", "sarif"]).stdout)
    result = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == "TXT007")
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == at["titolo"]
    github = runner.invoke(app, ["check", str(broken), "--format", "github"]).stdout
    assert "::error file=" in github and "TXT007" in github
    for fmt in ("junit", "codequality"):
        assert "TXT007" in runner.invoke(app, ["check", str(broken), "--format", fmt]).stdout
    report = json.loads(runner.invoke(app, ["check", str(broken), "--formato", "json"]).stdout)
    finding = report["documenti"][0]["rilievi"][0]
    assert (finding["codice"], finding["paragrafo"]) == ("TXT007", at["titolo"])


def test_select_and_ignore(tmp_path: Path) -> None:
    broken, _ = tender(tmp_path / "bando.docx", replace={"clausola": None})
    assert CliRunner().invoke(app, ["check", str(broken), "--ignore", "TXT"]).exit_code == 0
    assert CliRunner().invoke(app, ["check", str(broken), "--select", "AWD"]).exit_code == 0


def _mixed_folder(tmp_path: Path, *, broken: bool) -> Path:
    """A folder as an office keeps it: a spec (the Melzo example) beside last year's tender in Word."""
    import shutil

    from tests.conftest import MELZO

    folder = tmp_path / "gare"
    shutil.copytree(MELZO.parent, folder / "melzo")
    (folder / "vecchi").mkdir()
    (folder / "vecchi" / "build").mkdir()
    tender(folder / "vecchi" / "build" / "generato.docx", replace={"clausola": None})
    tender(folder / "vecchi" / "bando.docx", replace={"clausola": None} if broken else None)
    return folder


def test_folder_mixing_specs_and_documents_checks_both(tmp_path: Path) -> None:
    folder = _mixed_folder(tmp_path, broken=True)
    runner = CliRunner()
    result = runner.invoke(app, ["check", str(folder)])
    assert result.exit_code == 1
    assert "bando.docx" in result.stdout and "TXT007" in result.stdout and "generato.docx" not in result.stdout
    assert "(1 capitolato) e 1 documento" in " ".join(result.stderr.split())
    report = json.loads(runner.invoke(app, ["check", str(folder), "--format", "json"]).stdout)
    assert [Path(d["file"]).name for d in report["documenti"]] == ["bando.docx"] and report["capitolati"]
    sarif = json.loads(runner.invoke(app, ["check", str(folder), "--format", "sarif"]).stdout)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]
            if r["ruleId"] == "TXT007"}
    assert [Path(u).name for u in uris] == ["bando.docx"]
    for fmt in ("github", "junit", "codequality"):
        out = runner.invoke(app, ["check", str(folder), "--format", fmt])
        assert out.exit_code == 1 and "TXT007" in out.stdout and "bando.docx" in out.stdout


def test_mixed_folder_exit_codes_follow_the_check_of_specs(tmp_path: Path) -> None:
    folder = _mixed_folder(tmp_path, broken=False)
    spec_only = CliRunner().invoke(app, ["check", str(folder / "melzo")])
    mixed = CliRunner().invoke(app, ["check", str(folder)])
    assert mixed.exit_code == spec_only.exit_code
    (folder / "vecchi" / "rotto.docx").write_bytes(b"non un docx")
    assert CliRunner().invoke(app, ["check", str(folder)]).exit_code == 2


def test_real_disciplinare_raises_no_social_service_finding(real_disciplinare) -> None:
    result = audit_document(real_disciplinare, Path(real_disciplinare.source))
    assert [f.code for f in result.findings if f.code.startswith(SOCIAL_FAMILIES) or f.code == "TXT007"] == []
    errors = [f for f in result.findings if f.severity.value == "error"]
    # The only errors are a residue of the repealed code: «art. 80, commi 1, 2 e 5» and «art. 80 comma 3» of d.lgs.
    # 50/2016 (exclusion grounds) cited as «del Codice», whose art. 80 has one comma.
    assert [(f.code, f.location.page) for f in errors] == [("TXT001", 29), ("TXT001", 29)]
    assert all("l'art. 80 ha 1 comma " in f.message for f in errors)


def test_rest_of_the_real_package_raises_no_social_service_finding(real_package) -> None:
    """Control case: a medical-device supply. No social-service or labour finding on any of its documents, and the
    contract scheme's blanks for the signature are information, not errors."""
    for name, document in real_package.items():
        result = audit_document(document, Path(document.source))
        social = [f.code for f in result.findings if f.code.startswith(SOCIAL_FAMILIES) or f.code == "TXT007"]
        assert social == [], name
        assert [f.code for f in result.findings if f.severity.value == "error"] == [], name
