"""Derogations from the spec and inline comments, both ways; config files and select/ignore."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import line_of
from tests.rules.helpers import active, check_text

COMPANY = ("      titolo: Proposte migliorative del servizio\n      punti: 10\n",
           "      titolo: Proposte migliorative del servizio\n      punti: 10\n      oggetto: impresa\n")
COMPANY_C = ("      titolo: Affidabilità dell'impresa e continuità del servizio\n      punti: 7\n",
             "      titolo: Affidabilità dell'impresa e continuità del servizio\n      punti: 7\n      oggetto: impresa\n")


def company_heavy(text: str) -> str:
    return text.replace(*COMPANY).replace(*COMPANY_C)


def test_spec_derogation_silences_and_is_listed(melzo_text: str, tmp_path: Path) -> None:
    text = company_heavy(melzo_text) + "deroghe:\n  - regola: AWD008\n    motivazione: esperienza essenziale\n"
    findings = check_text(text, tmp_path)
    assert [f.code for f in findings] == ["AWD008"]
    assert findings[0].derogated_reason == "esperienza essenziale"


def test_inline_derogation_on_the_line(melzo_text: str, tmp_path: Path) -> None:
    text = company_heavy(melzo_text).replace("  criteri:\n    - codice: A",
                                             "  criteri:  # capitolato: deroga AWD008 — esperienza essenziale\n"
                                             "    - codice: A")
    findings = check_text(text, tmp_path)
    assert [(f.code, f.derogated_reason) for f in findings] == [("AWD008", "esperienza essenziale")]


def test_inline_derogation_on_the_line_above(melzo_text: str, tmp_path: Path) -> None:
    text = company_heavy(melzo_text).replace("  criteri:\n    - codice: A",
                                             "  # capitolato: deroga AWD008 — esperienza essenziale\n"
                                             "  criteri:\n    - codice: A")
    assert [f.derogated for f in check_text(text, tmp_path)] == [True]


def test_inline_derogation_elsewhere_does_not_silence(melzo_text: str, tmp_path: Path) -> None:
    text = company_heavy(melzo_text).replace("versione: 1\n", "versione: 1  # capitolato: deroga AWD008 — qui no\n")
    findings = check_text(text, tmp_path)
    assert sorted((f.code, f.derogated) for f in findings) == [("AWD008", False), ("DRG002", False)]
    unused = next(f for f in findings if f.code == "DRG002")
    assert unused.location.line == line_of(text, "versione: 1")


def test_derogation_without_reason_does_not_silence(melzo_text: str, tmp_path: Path) -> None:
    text = company_heavy(melzo_text) + "deroghe:\n  - regola: AWD008\n"
    findings = check_text(text, tmp_path)
    assert sorted(f.code for f in active(findings)) == ["AWD008", "DRG001"]


def test_error_derogation_stays_visible(melzo_text: str, tmp_path: Path) -> None:
    start = melzo_text.index("  - id: subappalto-parita-trattamento\n")
    text = melzo_text[:start] + melzo_text[melzo_text.index("  - id: tutela-retribuzioni\n"):]
    text += "deroghe:\n  - regola: SOC004\n    motivazione: nessun subappalto ammesso\n"
    findings = check_text(text, tmp_path)
    assert [(f.code, f.derogated) for f in findings] == [("SOC004", True), ("DRG003", False)]


def test_derogation_of_an_unselected_rule_is_not_unused(melzo_text: str, tmp_path: Path) -> None:
    text = melzo_text + "deroghe:\n  - regola: AWD002\n    motivazione: prova\n"
    assert check_text(text, tmp_path, ignore=["AWD"]) == []
    assert [f.code for f in check_text(text, tmp_path)] == ["DRG002"]


def test_select_and_ignore_by_family(melzo_text: str, tmp_path: Path) -> None:
    text = company_heavy(melzo_text).replace("  tipo: aperta\n", "  tipo: negoziata\n")
    assert {f.code for f in check_text(text, tmp_path)} == {"AWD008", "PRC001", "PRC004"}
    assert {f.code for f in check_text(text, tmp_path, select=["PRC"])} == {"PRC001", "PRC004"}
    assert {f.code for f in check_text(text, tmp_path, ignore=["AWD008"])} == {"PRC001", "PRC004"}


def test_spec_controls(melzo_text: str, tmp_path: Path) -> None:
    text = company_heavy(melzo_text) + "controlli:\n  ignora: [AWD]\n"
    assert check_text(text, tmp_path) == []


def test_capitolato_toml_walking_up(melzo_text: str, tmp_path: Path) -> None:
    (tmp_path / "capitolato.toml").write_text('ignore = ["AWD008"]\n', encoding="utf-8")
    folder = tmp_path / "gare" / "melzo"
    folder.mkdir(parents=True)
    assert check_text(company_heavy(melzo_text), folder) == []


def test_pyproject_tool_section(melzo_text: str, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.capitolato]\nselect = ["PRC"]\n',
                                             encoding="utf-8")
    assert check_text(company_heavy(melzo_text), tmp_path) == []


def test_cli_select_wins_over_config(melzo_text: str, tmp_path: Path) -> None:
    (tmp_path / "capitolato.toml").write_text('select = ["PRC"]\n', encoding="utf-8")
    assert [f.code for f in check_text(company_heavy(melzo_text), tmp_path, select=["AWD"])] == ["AWD008"]
