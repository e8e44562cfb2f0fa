"""The documents of the routes outside the Codice: each has the parts the law and an officer expect, in order, and
none speaks the language of procurement."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from capitolato import load_library, load_spec
from capitolato.cli.app import app
from capitolato.document.assemble import assemble
from capitolato.document.build import build
from capitolato.document.model import Document, plain_text
from capitolato.render.markdown import render_markdown
from capitolato.resources import data_path

runner = CliRunner()
CO_DESIGN = data_path("examples", "coprogettazione-art55")
SGEI = data_path("examples", "sieg-trasporto-sociale")

AVVISO = ["Premessa", "Oggetto, finalità e durata", "Soggetti ammessi", "Requisiti di partecipazione",
          "Risorse messe a disposizione", "Governance del partenariato e valutazione dell'impatto",
          "Fasi del procedimento", "Modalità e termine di presentazione delle proposte", "Commissione di valutazione",
          "Criteri di valutazione delle proposte progettuali", "Esito, graduatoria e pubblicazione",
          "Responsabile del procedimento e contatti", "Chiarimenti", "Trasparenza e pubblicità", "Accesso agli atti",
          "Trattamento dei dati personali", "Ricorsi", "Disposizioni finali"]
CONVENZIONE = ["Parti", "Premesse", "Oggetto", "Durata", "Impegni reciproci delle parti",
               "Risorse, erogazione e rendicontazione", "Governance della convenzione", "Personale e volontari",
               "Monitoraggio e valutazione dell'impatto", "Controlli e verifiche della qualità", "Inadempimento",
               "Risoluzione", "Recesso", "Trattamento dei dati personali", "Controversie", "Disposizioni finali",
               "Sottoscrizione"]
CONVENZIONE_381 = [*CONVENZIONE[:5], "Piano di inserimento lavorativo", *CONVENZIONE[5:]]
CONVENZIONE_56 = [title for title in CONVENZIONE if title != "Governance della convenzione"]
ATTO_INCARICO = ["Premesse", "Oggetto e contenuto degli obblighi di servizio pubblico", "Durata dell'incarico",
                 "Impresa incaricata e territorio", "Diritti esclusivi o speciali", "Meccanismo di compensazione",
                 "Prevenzione e recupero della sovracompensazione", "Controlli, contabilità separata e trasparenza",
                 "Inadempimento e revoca dell'incarico", "Trattamento dei dati personali", "Controversie",
                 "Disposizioni finali", "Sottoscrizione e accettazione"]
PHASES = ["Presentazione delle manifestazioni di interesse", "Istruttoria di ammissibilità",
          "Valutazione delle proposte progettuali", "Tavolo di co-progettazione", "Progetto definitivo",
          "Stipula della convenzione"]
PROCUREMENT = re.compile(r"\b(ribass\w*|offerta economica|offerte economiche|aggiudica\w*|appalt\w*|base di gara|"
                         r"base d'asta|corrispettiv\w*|prezz[oi]|stazione appaltante)\b", re.IGNORECASE)
PRESETS = {
    "coprogettazione-art55": ["oggetto=Progetto di comunità per l'inclusione dei giovani", "importo_base=300000",
                              "regione=toscana"],
    "convenzione-art56": ["oggetto=Accompagnamento delle persone anziane sole", "importo_base=40000"],
    "convenzione-381": ["oggetto=Manutenzione delle aree verdi comunali con inserimento lavorativo",
                        "importo_base=180000", "costo_manodopera=120000", "regione=lombardia"],
}


def _documents(folder: Path) -> dict[str, Document]:
    return {document.kind: document for document in assemble(load_spec(folder), load_library())}


def _titles(document: Document) -> list[str]:
    return [plain_text(article.inlines).split(" – ", 1)[1] for article in document.articles]


def _markdown(document: Document) -> str:
    return render_markdown(document)


def _article(document: Document, title: str) -> str:
    """The Markdown of one article, up to the next one."""
    text = _markdown(document)
    start = text.index(f" – {title}\n")
    following = text.find("\n# Art. ", start)
    return text[start:following if following > 0 else None]


@pytest.fixture(scope="module")
def co_design():
    return _documents(CO_DESIGN)


@pytest.fixture(scope="module")
def presets(tmp_path_factory) -> dict[str, Path]:
    folders = {}
    for name, values in PRESETS.items():
        folder = tmp_path_factory.mktemp(name) / "gara"
        options = [f"--set={item}" for item in ["ente=Comune di Prova", *values]]
        result = runner.invoke(app, ["new", str(folder), "--preset", name, "--no-input", *options])
        assert result.exit_code == 0, result.output
        folders[name] = folder
    return folders


def test_co_design_avviso_has_every_part_in_order(co_design) -> None:
    assert _titles(co_design["avviso"]) == AVVISO


def test_co_design_convention_has_every_part_in_order(co_design) -> None:
    assert _titles(co_design["convenzione"]) == CONVENZIONE


def test_avviso_procedure_phases_each_with_who_and_when(co_design) -> None:
    phases = _article(co_design["avviso"], "Fasi del procedimento")
    positions = [phases.index(name) for name in PHASES]
    assert positions == sorted(positions)
    assert phases.count("a cura di:") == len(PHASES) and phases.count("tempi:") == len(PHASES)


def test_avviso_can_be_answered(co_design) -> None:
    submission = _article(co_design["avviso"], "Modalità e termine di presentazione delle proposte")
    assert "entro le ore 12:00 del 20 marzo 2026" in submission
    assert "ufficiodipiano@pec.comune.valdora.example.it" in submission
    assert "proposta progettuale di non più di venti pagine" in submission
    criteria = _article(co_design["avviso"], "Criteri di valutazione delle proposte progettuali")
    assert "A.2 – metodo di accompagnamento educativo, abitativo e verso il lavoro: fino a 15 punti" in criteria
    assert "**100 punti**" in criteria and "almeno **60 punti**" in criteria


def test_regional_rules_come_from_the_region(co_design) -> None:
    avviso = _markdown(co_design["avviso"])
    assert "Tribunale amministrativo regionale per la Toscana" in avviso
    assert "L.R. Toscana 22 luglio 2020, n. 65" in avviso
    assert "per almeno 30 giorni" in avviso


def test_no_territorial_restriction_unless_motivated(co_design) -> None:
    participants = _article(co_design["avviso"], "Soggetti ammessi")
    assert "Non è richiesta la sede legale né una sede operativa nel territorio" in participants


def test_co_design_convention_can_be_signed(co_design) -> None:
    convention = co_design["convenzione"]
    parties = _article(convention, "Parti")
    assert "in persona di dott. Paolo Ricci" in parties and "in persona di Giulia Martini" in parties
    assert "determinazione del Responsabile dell'Ufficio di Piano n. 96" in _article(convention, "Premesse")
    signatures = _article(convention, "Sottoscrizione")
    assert signatures.count("firmato digitalmente") == 2
    assert "DA COMPLETARE" not in _markdown(convention)
    reimbursement = _article(convention, "Risorse, erogazione e rendicontazione")
    assert "rimborso delle spese effettivamente sostenute e documentate" in reimbursement
    assert "nella sola quota attribuibile" in reimbursement and "non oltre il 7 %" in reimbursement


def test_art56_convention_carries_comma_4_content(presets) -> None:
    documents = _documents(presets["convenzione-art56"])
    convention = documents["convenzione"]
    assert _titles(convention) == CONVENZIONE_56
    text = _markdown(convention)
    for words in ("**Continuità delle attività.**", "**Diritti e dignità delle persone.**", "**Volontari.**",
                  "**Coperture assicurative.**", "art. 18 del Codice del Terzo settore",
                  "**Qualità delle attività.**", "nella sola quota attribuibile",
                  "più favorevole rispetto al ricorso al mercato", "interruzione non giustificata delle attività per più di dieci giorni"):
        assert words in text, words
    assert _titles(documents["avviso"]) == AVVISO
    assert "iscritte da almeno sei mesi" in _markdown(documents["avviso"])


def test_381_convention_carries_the_plan_and_the_selection(presets) -> None:
    convention = _documents(presets["convenzione-381"])["convenzione"]
    assert _titles(convention) == CONVENZIONE_381
    plan = _article(convention, "Piano di inserimento lavorativo")
    for item in ("**persone inserite**: almeno 3 persone", "**mansioni**", "**tutor**", "**formazione**",
                 "**verifiche**"):
        assert item in plan, item
    premises = _article(convention, "Premesse")
    assert "organismi analoghi degli altri Stati membri" in premises
    assert "albo regionale delle cooperative sociali della Regione Lombardia" in premises
    assert "180.000,00 €" in _markdown(convention)


def test_sgei_act_has_the_decision_content() -> None:
    act = _documents(SGEI)["atto-incarico"]
    assert _titles(act) == ATTO_INCARICO
    compensation = _article(act, "Meccanismo di compensazione")
    assert "tariffe pagate dagli utenti" in compensation and "230.000,00 €" in compensation
    assert "restituita dall'impresa entro sessanta giorni" in _article(
        act, "Prevenzione e recupero della sovracompensazione")
    assert "incarica l'impresa indicata all'art. 4" in _markdown(act)
    assert "Decisione 2012/21/UE della Commissione, del 20 dicembre 2011" in _article(act, "Disposizioni finali")


@pytest.mark.parametrize("kind", ["coprogettazione-art55", "convenzione-art56", "convenzione-381"])
def test_presets_build_their_documents(presets, kind: str, tmp_path: Path) -> None:
    written = build(load_spec(presets[kind]), tmp_path, ["md", "docx"])
    assert {path.suffix for path in written} == {".md", ".docx"}


def _generated_texts(presets: dict[str, Path], out: Path) -> dict[str, str]:
    texts = {}
    for name, folder in {"esempio-coprogettazione": CO_DESIGN, "esempio-sieg": SGEI, **presets}.items():
        for path in build(load_spec(folder), out / name, ["md"]):
            texts[f"{name}/{path.name}"] = path.read_text(encoding="utf-8")
    return texts


def test_no_procurement_vocabulary_in_any_generated_text(presets, tmp_path: Path) -> None:
    found = {name: sorted({m.group(0).lower() for m in PROCUREMENT.finditer(text)})
             for name, text in _generated_texts(presets, tmp_path).items()}
    assert len(found) == 8, sorted(found)
    assert {name: words for name, words in found.items() if words} == {}
