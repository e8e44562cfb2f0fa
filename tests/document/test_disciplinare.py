"""The disciplinare di gara on the ANAC bando-tipo n. 1: every section in order, the tender facts from `gara`, the
fixed-price and reserved variants, cross-references to the capitolato, and the .docx read back with python-docx."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from capitolato import load_library, load_spec
from capitolato.cli.app import app
from capitolato.document.assemble import assemble
from capitolato.document.build import build
from capitolato.document.model import Reference, inline_runs, text_of, walk
from capitolato.library.render import section_title_reference
from capitolato.model import law
from capitolato.model.facts import derive
from capitolato.model.placeholders import find_marks
from tests.conftest import EXAMPLES, MELZO, untypeset

# The sections of the issue, in its order (Premesse first): the shipped documenti.yaml must not lose or reorder one.
BANDO_TIPO = [
    "Premesse",
    "Piattaforma telematica",
    "Documenti di gara, chiarimenti e comunicazioni",
    "Oggetto dell'appalto, importo e suddivisione in lotti",
    "Durata, opzioni e rinnovi, revisione dei prezzi e modifiche del contratto",
    "Soggetti ammessi e condizioni di partecipazione",
    "Requisiti di ordine generale",
    "Requisiti speciali e mezzi di prova",
    "Avvalimento",
    "Subappalto",
    "Garanzia provvisoria",
    "Sopralluogo",
    "Contributo a favore dell'ANAC",
    "Modalità di presentazione dell'offerta, termine, validità e firma",
    "Soccorso istruttorio",
    "Domanda di partecipazione e documentazione amministrativa",
    "Offerta tecnica",
    "Offerta economica",
    "Criterio di aggiudicazione",
    "Commissione giudicatrice",
    "Svolgimento delle operazioni di gara",
    "Verifica della documentazione amministrativa e valutazione delle offerte",
    "Verifica dell'anomalia delle offerte",
    "Aggiudicazione e stipula del contratto",
    "Garanzia definitiva e polizze assicurative",
    "Tracciabilità dei flussi finanziari",
    "Codice di comportamento e patto di integrità",
    "Accesso agli atti",
    "Definizione delle controversie",
    "Trattamento dei dati personali",
    "Disposizioni finali",
]
FIXED_PRICE = EXAMPLES / "assistenza-domiciliare-prezzo-fisso"
RESERVED = EXAMPLES / "appalto-riservato-art61"


def _documents(folder: Path) -> dict[str, object]:
    spec = load_spec(folder)
    return {document.kind: document for document in assemble(spec, load_library())}


def _article(document, title: str) -> str:
    """The text of one article, from its heading to the next article."""
    text = untypeset(text_of(document))
    start = re.search(rf"^Art\. \d+ – {re.escape(title)}$", text, flags=re.M)
    assert start, title
    following = re.search(r"^Art\. \d+ – ", text[start.end():], flags=re.M)
    return text[start.end():start.end() + following.start()] if following else text[start.end():]


@pytest.fixture(scope="module")
def melzo() -> dict[str, object]:
    return _documents(MELZO)


@pytest.fixture(scope="module")
def melzo_docx(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("disciplinare")
    path = next(p for p in build(load_spec(MELZO), out, ["docx"]) if p.name.startswith("disciplinare"))
    document = docx.Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return untypeset("\n".join([p.text for p in document.paragraphs] + cells))


def test_melzo_disciplinare_has_every_bando_tipo_section_in_order(melzo) -> None:
    titles = [untypeset(re.sub(r"^Art\.\s\d+ – ", "", "".join(t.text for t in a.inlines)))
              for a in melzo["disciplinare"].articles]
    assert titles == BANDO_TIPO


def test_every_reference_of_both_documents_is_resolved(melzo) -> None:
    for document in melzo.values():
        references = [node for block in walk(document.blocks) for run in inline_runs(block) for node in run
                      if isinstance(node, Reference)]
        assert references and all(r.resolved for r in references), \
            [r.section for r in references if not r.resolved]


def test_subappalto_points_to_the_capitolato_article_of_the_same_name(melzo) -> None:
    capitolato = melzo["capitolato-speciale"]
    number = next(a.number for a in capitolato.articles if a.section == "subappalto")
    text = _article(melzo["disciplinare"], "Subappalto")
    assert f"dell'art. {number} del capitolato speciale d'appalto" in text


def test_facts_come_from_the_spec_once(melzo_docx: str) -> None:
    spec = load_spec(MELZO)
    tendering = spec.tendering
    assert "entro le ore 12:00 del 10 aprile 2026" in melzo_docx
    assert "entro le ore 12:00 del 27 marzo 2026" in melzo_docx
    assert f"{tendering.platform.name}, accessibile all'indirizzo {tendering.platform.address}" in melzo_docx
    guarantee = spec.amounts.base_amount * law.number("garanzia_provvisoria", spec.procedure.notice_date) / 100
    assert guarantee == Decimal("48000") and "L'importo della garanzia è di 48.000,00 €" in melzo_docx
    assert derive(spec).anac_fee["lotti"][0]["operatore"] == Decimal("165")
    assert "procedura (4.400.000,00 €): 165,00 €" in melzo_docx
    assert melzo_docx.count(spec.procedure.cig) >= 2  # cover and premesse
    months = law.number("durata_procedimento_aperta", spec.procedure.notice_date, "oepv")
    assert f"entro {months} mesi dalla pubblicazione del bando, termine massimo dell'Allegato I.3" in melzo_docx
    assert "L'appalto costituisce un lotto unico ai sensi dell'art. 58 del Codice: il servizio è unitario" in melzo_docx
    assert "non inferiore a 1.600.000,00 €" in melzo_docx and "Tribunale amministrativo regionale per la Lombardia" \
        in melzo_docx


def test_a_section_with_nothing_to_require_still_says_so(melzo_docx: str) -> None:
    assert "Il sopralluogo non è previsto" in melzo_docx
    assert "L'inversione procedimentale dell'art. 107, comma 3, del Codice non è applicata" in melzo_docx


def test_no_placeholder_in_the_example(melzo_docx: str) -> None:
    assert not find_marks(melzo_docx)


def test_fixed_price_offer_has_no_price_to_fill() -> None:
    disciplinare = _documents(FIXED_PRICE)["disciplinare"]
    offer = _article(disciplinare, "Offerta economica")
    assert "non contiene alcun ribasso e non riceve punteggio" in offer
    assert "ribasso percentuale unico" not in offer and "cifre e in lettere" not in offer
    assert "a prezzo fisso" in _article(disciplinare, "Premesse")


def test_reserved_tender_states_the_reservation_among_the_requirements() -> None:
    disciplinare = _documents(RESERVED)["disciplinare"]
    requirements = _article(disciplinare, "Requisiti speciali e mezzi di prova")
    assert "Appalto riservato ai sensi dell'art. 61" in requirements
    assert "albo regionale delle cooperative sociali" in requirements
    assert "Partecipazione riservata" not in [a.section for a in disciplinare.articles]
    assert "della condizione di riserva indicata all'art." in _article(disciplinare,
                                                                      "Soggetti ammessi e condizioni di partecipazione")


def test_site_visit_and_reduced_guarantee_of_the_reserved_example() -> None:
    disciplinare = _documents(RESERVED)["disciplinare"]
    visit = _article(disciplinare, "Sopralluogo")
    assert "è obbligatorio" in visit and "entro il 1° giugno 2026" in visit
    guarantee = _article(disciplinare, "Garanzia provvisoria")
    assert "pari all'1 % del valore" in guarantee and "5.400,00 €" in guarantee
    assert "in deroga a quella ordinaria del 2 per cento" in guarantee


def test_cross_document_reference_outside_a_build_names_the_other_document() -> None:
    refer = section_title_reference("disciplinare")
    assert refer("importi") == "l'articolo «Importo a base di gara, costi della manodopera e oneri della sicurezza» " \
                               "del capitolato speciale d'appalto"
    assert refer("subappalto", "capitolato-speciale").endswith("del capitolato speciale d'appalto")
    assert refer("subappalto") == "l'articolo «Subappalto»"
    with pytest.raises(ValueError):
        refer("inesistente")


def test_new_asks_for_the_deadline_and_the_platform(tmp_path: Path) -> None:
    folder = tmp_path / "gara"
    result = CliRunner().invoke(app, [
        "new", str(folder), "--preset", "servizi-persona-oepv", "--no-input", "--set=ente=Comune di Prova",
        "--set=oggetto=Servizi per l'autonomia", "--set=importo_base=1200000", "--set=costo_manodopera=840000",
        "--set=termine_offerte=2026-07-20", "--set=piattaforma=Sintel",
        "--set=indirizzo_piattaforma=https://www.sintel.regione.lombardia.it"])
    assert result.exit_code == 0, result.output
    spec = load_spec(folder)
    assert spec.tendering.offer_deadline.date.isoformat() == "2026-07-20"
    assert spec.tendering.platform.name == "Sintel"
    built = CliRunner().invoke(app, ["build", str(folder), "--bozza", "--formato", "md", "-o", str(folder / "out")])
    assert built.exit_code == 0, built.output
    text = untypeset(next((folder / "out").glob("disciplinare*.md")).read_text(encoding="utf-8"))
    assert "entro le ore 12:00 del 20 luglio 2026" in text and "**Sintel**" in text
