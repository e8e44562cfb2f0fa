"""`capitolato check` and `capitolato rules` through Typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest
from typer.testing import CliRunner

from capitolato.cli.app import app
from tests.conftest import MELZO, MELZO_2019, copy_example, line_of

runner = CliRunner()
SARIF_SCHEMA = Path(__file__).resolve().parent.parent / "data" / "sarif-schema-2.1.0.json"


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def broken(melzo_text: str, tmp_path: Path) -> Path:
    """Melzo with a price weight of 40 on 120 (AWD002, error) and B, C on the company (AWD008, warning)."""
    text = melzo_text.replace("  punti_economici: 20\n", "  punti_totali: 120\n  punti_economici: 40\n")
    text = text.replace("      titolo: Proposte migliorative del servizio\n      punti: 10\n",
                        "      titolo: Proposte migliorative del servizio\n      punti: 10\n      oggetto: impresa\n")
    text = text.replace("      titolo: Affidabilità dell'impresa e continuità del servizio\n      punti: 7\n",
                        "      titolo: Affidabilità dell'impresa e continuità del servizio\n      punti: 7\n"
                        "      oggetto: impresa\n")
    folder = tmp_path / "rotto"
    folder.mkdir()
    path = folder / "capitolato.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_clean_example_exits_0() -> None:
    result = run("check", MELZO.parent)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "0 errori, 0 avvisi, 0 informazioni, 0 derogate" in result.stderr


def test_findings_exit_1_with_located_lines(broken: Path) -> None:
    result = run("check", broken)
    assert result.exit_code == 1
    assert f"{line_of(broken.read_text(), 'punti_economici: 40')}:" in result.stdout
    assert "AWD002" in result.stdout and "art. 108 c. 4" in result.stdout
    assert "1 errore, 1 avviso, 0 informazioni, 0 derogate" in result.stderr


def test_fail_on_levels(broken: Path) -> None:
    assert run("check", "--ignore", "AWD002", broken).exit_code == 0
    assert run("check", "--ignore", "AWD002", "--fail-on", "warning", broken).exit_code == 1
    assert run("check", "--select", "AWD008", "--fail-on", "info", broken).exit_code == 1


def test_select_and_ignore_accept_commas_and_families(broken: Path) -> None:
    result = run("check", "--format", "json", "--select", "AWD002,AWD008", "--ignore", "AWD00", broken)
    assert json.loads(result.stdout)["rilievi"] == []
    assert run("check", "--select", "nonsense!", broken).exit_code == 2


def test_json_format(broken: Path) -> None:
    result = run("check", "--format", "json", broken)
    data = json.loads(result.stdout)
    assert data["versione"] == 1 and data["riepilogo"] == {"errori": 1, "avvisi": 1, "informazioni": 0, "derogate": 0}
    first = data["rilievi"][0]
    assert set(first) == {"codice", "nome", "gravita", "messaggio", "file", "riga", "colonna", "base_giuridica", "url",
                          "correzione", "derogata", "motivazione_deroga"}
    assert {(r["codice"], r["gravita"]) for r in data["rilievi"]} == {("AWD002", "error"), ("AWD008", "warning")}


def test_sarif_validates_against_the_official_schema(broken: Path) -> None:
    broken.write_text(broken.read_text() + "deroghe:\n  - regola: AWD008\n    motivazione: esperienza essenziale\n")
    result = run("check", "--format", "sarif", broken)
    log = json.loads(result.stdout)
    jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
    results = log["runs"][0]["results"]
    assert {r["ruleId"] for r in results} == {"AWD002", "AWD008"}
    derogated = next(r for r in results if r["ruleId"] == "AWD008")
    assert derogated["suppressions"][0]["justification"] == "esperienza essenziale"
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results)


def test_sarif_of_a_clean_spec_validates() -> None:
    log = json.loads(run("check", "--format", "sarif", MELZO).stdout)
    jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
    assert log["runs"][0]["results"] == []


def test_github_annotations(broken: Path) -> None:
    lines = run("check", "--format", "github", broken).stdout.splitlines()
    line = line_of(broken.read_text(), "punti_economici: 40")
    assert any(l.startswith("::error file=") and f",line={line},col=" in l and "title=AWD002 economic-cap-30::" in l
               for l in lines)
    assert any(l.startswith("::warning ") for l in lines)


def test_junit_xml(broken: Path) -> None:
    root = ElementTree.fromstring(run("check", "--format", "junit", broken).stdout)
    assert root.tag == "testsuites" and root.get("failures") == "2"
    failures = root.findall("./testsuite/testcase/failure")
    assert {f.get("type") for f in failures} == {"error", "warning"}


def test_statistics_and_quiet(broken: Path) -> None:
    stats = run("check", "--statistics", broken)
    assert "AWD002" in stats.stdout and "tetto di 30 punti all'offerta economica" in stats.stdout
    as_json = json.loads(run("check", "--statistics", "--format", "json", broken).stdout)
    assert {row["codice"]: row["conteggio"] for row in as_json} == {"AWD002": 1, "AWD008": 1}
    quiet = run("check", "-q", broken)
    assert quiet.exit_code == 1 and quiet.stdout == "" and "1 errore" in quiet.stderr


def test_output_file_is_written_and_overwritten_only_with_force(broken: Path, tmp_path: Path) -> None:
    target = tmp_path / "rapporto.sarif"
    target.write_text("vecchio")
    refused = run("check", "--format", "sarif", "--output", target, broken)
    assert refused.exit_code == 2 and "--force" in refused.stderr and target.read_text() == "vecchio"
    result = run("check", "--format", "sarif", "--output", target, "--force", broken)
    assert result.exit_code == 1 and result.stdout == ""
    assert json.loads(target.read_text())["version"] == "2.1.0"
    text_report = tmp_path / "rapporto.txt"
    run("check", "--output", text_report, broken)
    assert "AWD002" in text_report.read_text() and "\x1b[" not in text_report.read_text()


def test_folder_of_tenders_and_a_broken_one(broken: Path, tmp_path: Path) -> None:
    copy_example(MELZO.parent, broken.parent.parent / "melzo")
    (broken.parent.parent / "guasto").mkdir()
    (broken.parent.parent / "guasto" / "capitolato.yaml").write_text("versione: 1\nente: [\n")
    result = run("check", "--format", "json", broken.parent.parent)
    assert result.exit_code == 2
    assert "sintassi YAML non valida" in result.stderr
    assert len(json.loads(result.stdout)["capitolati"]) == 2


def test_missing_path_is_an_input_error(tmp_path: Path) -> None:
    assert run("check", tmp_path / "nessuno.yaml").exit_code == 2
    assert run("check", tmp_path).exit_code == 2


def test_shipped_library_refuses_a_low_quota_before_checking(melzo_text: str, write_spec) -> None:
    path = write_spec(melzo_text.replace("  - id: quota-assunzioni-giovani-donne\n",
                                         "  - id: quota-assunzioni-giovani-donne\n    parametri:\n      quota_donne: 20\n"))
    result = run("check", path)
    assert result.exit_code == 2 and f":{line_of(path.read_text(), 'quota_donne: 20')}:" in result.stderr


def test_inline_derogation_through_the_cli(broken: Path) -> None:
    text = broken.read_text().replace("  punti_economici: 40\n",
                                      "  punti_economici: 40  # capitolato: deroga AWD002 — prova\n")
    broken.write_text(text)
    result = run("check", "--format", "json", "--fail-on", "error", broken)
    rows = {r["codice"]: r for r in json.loads(result.stdout)["rilievi"]}
    assert rows["AWD002"]["derogata"] and rows["AWD002"]["motivazione_deroga"] == "prova"
    assert "DRG003" in rows and result.exit_code == 0


def test_2019_fixture_fails() -> None:
    result = run("check", "--select", "AWD011", MELZO_2019)
    assert result.exit_code == 1 and "AWD011" in result.stdout


def test_rules_list_and_show() -> None:
    listing = run("rules", "list")
    assert listing.exit_code == 0 and "AWD011" in listing.stdout and "EXP003" in listing.stdout
    shown = run("rules", "show", "awd006")
    assert shown.exit_code == 0
    assert "a.1.3" in shown.stdout and "Non rileva" in shown.stdout and "108" in shown.stdout
    assert run("rules", "show", "XYZ999").exit_code == 2


def test_rules_docs_writes_the_page(tmp_path: Path) -> None:
    target = tmp_path / "rules.md"
    assert run("rules", "docs", target).exit_code == 0
    assert target.read_text(encoding="utf-8") == (Path(__file__).resolve().parents[2] / "docs" / "rules.md").read_text(encoding="utf-8")


def test_codequality_report_for_gitlab(tmp_path, melzo_text, write_spec) -> None:
    import json

    from typer.testing import CliRunner

    from capitolato.cli.app import app

    text = melzo_text.replace("  punti_economici: 20", "  punti_economici: 40")
    result = CliRunner().invoke(app, ["check", str(write_spec(text)), "--format", "codequality"])
    assert result.exit_code == 1
    issues = json.loads(result.stdout)
    codes = {issue["check_name"] for issue in issues}
    assert "AWD002" in codes
    awd = next(issue for issue in issues if issue["check_name"] == "AWD002")
    assert awd["severity"] == "critical" and awd["location"]["lines"]["begin"] > 1
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)
