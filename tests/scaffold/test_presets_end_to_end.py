"""Every preset: `new` (non-interactive) → `validate` → `check` clean → build md and docx with its defining content."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from typer.testing import CliRunner

from capitolato.cli.app import app
from capitolato.rules import check
from capitolato.scaffold.presets import discover
from capitolato.spec.load import load_spec
from tests.conftest import untypeset

runner = CliRunner()

ESSENTIALS = {
    "servizi-persona-oepv": ["oggetto=Servizi per l'autonomia delle persone con disabilità",
                             "importo_base=1.200.000,00", "costo_manodopera=840000"],
    "prezzo-fisso-alta-intensita": ["oggetto=Servizio di assistenza educativa scolastica per alunni con disabilità",
                                    "importo_base=900000", "costo_manodopera=700000"],
    "riservato-art61": ["oggetto=Servizio di custodia e accoglienza negli edifici comunali",
                        "importo_base=450000", "costo_manodopera=360000"],
    "convenzione-381": ["oggetto=Manutenzione delle aree verdi comunali con inserimento lavorativo",
                        "importo_base=180000", "costo_manodopera=120000"],
    "coprogettazione-art55": ["oggetto=Progetto di comunità per l'inclusione dei giovani", "importo_base=300000"],
    "convenzione-art56": ["oggetto=Accompagnamento delle persone anziane sole", "importo_base=40000"],
    "pnrr": ["oggetto=Percorsi di autonomia per persone con disabilità", "cup=E89F18000510007",
             "importo_base=300000", "costo_manodopera=210000"],
}


def test_every_shipped_preset_is_covered() -> None:
    assert sorted(p.name for p in discover()) == sorted(ESSENTIALS)


def _new(folder: Path, preset: str) -> None:
    options = [f"--set={item}" for item in ["ente=Comune di Prova: Ufficio \"Unico\"", *ESSENTIALS[preset]]]
    result = runner.invoke(app, ["new", str(folder), "--preset", preset, "--no-input", *options])
    assert result.exit_code == 0, result.output


def _docx_text(path: Path) -> str:
    document = Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _assert_only_placeholders_reported(folder: Path) -> None:
    """`check` may report a preset only where its spec still holds a mark to complete (motivations, names), and the
    placeholders the documents would print (PUB001, located at the value or the clause that writes them)."""
    from capitolato.model.placeholders import find_marks

    lines = (folder / "capitolato.yaml").read_text(encoding="utf-8").splitlines()
    for finding in check(load_spec(folder)):
        if finding.code == "PUB001":
            continue
        around = "\n".join(lines[max(finding.location.line - 1, 0):finding.location.line + 2])
        assert find_marks(around), f"{finding.code} {finding.location}: {finding.message}"


@pytest.fixture(scope="module", params=sorted(ESSENTIALS))
def built(request, tmp_path_factory) -> tuple[str, Path, dict[str, str]]:
    """The preset's tender folder after new → validate → check → build; texts of the built documents by name."""
    preset = request.param
    folder = tmp_path_factory.mktemp(preset) / "gara"
    _new(folder, preset)
    assert runner.invoke(app, ["validate", str(folder)]).exit_code == 0
    _assert_only_placeholders_reported(folder)
    assert "PUB001" in {f.code for f in check(load_spec(folder))}
    final = runner.invoke(app, ["build", str(folder), "-o", str(folder / "finale")])
    assert final.exit_code == 1 and not (folder / "finale").exists(), final.output
    drafted = runner.invoke(app, ["build", str(folder), "--bozza", "--formato", "md", "--formato", "docx",
                                  "-o", str(folder / "build")])
    assert drafted.exit_code == 0, drafted.output
    written = sorted((folder / "build").iterdir())
    texts = {p.name: untypeset(p.read_text(encoding="utf-8") if p.suffix == ".md" else _docx_text(p)) for p in written}
    return preset, folder, texts


def test_spec_is_commented_and_points_at_the_schema(built) -> None:
    _, folder, _ = built
    spec = (folder / "capitolato.yaml").read_text(encoding="utf-8")
    assert spec.startswith("# yaml-language-server: $schema=capitolato.schema.json\n")
    assert (folder / "capitolato.schema.json").is_file() and (folder / "README.md").is_file()
    assert "DA COMPLETARE" in spec
    assert sum(line.lstrip().startswith("#") for line in spec.splitlines()) >= 20


def test_builds_md_and_docx(built) -> None:
    _, _, texts = built
    assert any(name.endswith(".docx") for name in texts) and any(name.endswith(".md") for name in texts)
    assert all("Comune di Prova" in text for name, text in texts.items() if name.endswith(".md"))


def _docx(texts: dict[str, str], kind: str) -> str:
    return next(text for name, text in texts.items() if name.startswith(kind) and name.endswith(".docx"))


def test_defining_content(built) -> None:
    preset, _, texts = built
    check = DEFINING[preset]
    check(texts)


def _oepv(texts: dict[str, str]) -> None:
    rules = _docx(texts, "disciplinare")
    assert "offerta economicamente più vantaggiosa" in rules
    assert "Offerta tecnica\n80\nOfferta economica\n20" in rules or ("80 punti" in rules and "20 punti" in rules)
    specs = _docx(texts, "capitolato-speciale")
    assert "Direzione strategica" in specs and "Pool territoriale operativo" in specs
    assert "stabilità occupazionale" in specs.lower() or "personale uscente" in specs.lower()


def _fixed_price(texts: dict[str, str]) -> None:
    rules = _docx(texts, "disciplinare")
    assert "prezzo fisso" in rules and "non è prevista un'offerta sul prezzo" in rules
    assert "100 punti" in rules
    assert "offerta economicamente più vantaggiosa individuata sulla base del miglior rapporto" not in rules
    assert "formula bilineare" not in rules and "formula lineare" not in rules
    assert not re.search(r"fino a \*?\*?\d+ punti\*?\*? all'offerta economica", rules)
    assert "turnover" in rules


def _reserved(texts: dict[str, str]) -> None:
    rules = _docx(texts, "disciplinare")
    assert "riservata ai sensi dell'art. 61" in rules
    assert "30" in rules and "svantaggiat" in rules


def _convention(texts: dict[str, str]) -> None:
    assert not any(name.startswith(("disciplinare", "capitolato-speciale")) for name in texts)
    convention = _docx(texts, "convenzione")
    assert "cooperativa sociale di tipo B" in convention and "legge 8 novembre 1991, n. 381" in convention
    assert "piano di inserimento lavorativo" in convention and "tutor" in convention
    assert "180.000,00 €" in convention


def _co_design(texts: dict[str, str]) -> None:
    assert {name.split("_")[0] for name in texts} == {"avviso", "convenzione"}
    for name, text in texts.items():
        assert "ribasso" not in text.lower(), name
    assert "co-progettazione" in _docx(texts, "avviso")


def _convention_56(texts: dict[str, str]) -> None:
    assert {name.split("_")[0] for name in texts} == {"avviso", "convenzione"}
    convention = _docx(texts, "convenzione")
    assert "art. 56 del d.lgs. 3 luglio 2017, n. 117" in convention
    assert "rimborso delle spese effettivamente sostenute e documentate" in convention
    assert "art. 18 del Codice del Terzo settore" in convention


def _pnrr(texts: dict[str, str]) -> None:
    specs = _docx(texts, "capitolato-speciale").lower()
    rules = _docx(texts, "disciplinare").lower()
    assert "30" in specs and "giovani" in specs and "donne" in specs
    assert "relazione" in specs and "genere" in specs
    assert "68" in rules and "rapporto" in rules


DEFINING = {"servizi-persona-oepv": _oepv, "prezzo-fisso-alta-intensita": _fixed_price, "riservato-art61": _reserved,
            "convenzione-381": _convention, "coprogettazione-art55": _co_design, "convenzione-art56": _convention_56, "pnrr": _pnrr}


def test_draft_marks_every_placeholder(built) -> None:
    _, folder, _ = built
    for path in (folder / "build").glob("*.docx"):
        xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
        marked = re.findall(r'<w:highlight w:val="yellow"/>.*?<w:t[^>]*>([^<]*)</w:t>', xml)
        assert any("DA COMPLETARE" in text for text in marked), path.name
