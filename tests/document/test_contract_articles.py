"""The contract articles of the Melzo capitolato (issue 15): every article present, the hours one fact, annexes listed.

The built .docx is opened with python-docx; the hours are changed in the spec and followed into the table, the
labour-cost estimate and the derived facts.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import docx
import pytest

from capitolato import load_library, load_spec
from capitolato.document.assemble import assemble
from capitolato.document.build import build
from capitolato.document.model import Heading, inline_runs, walk
from capitolato.model.facts import derive
from capitolato.model.placeholders import find_marks
from capitolato.rules import check
from tests.conftest import EXAMPLES, MELZO, untypeset

# The articles a capitolato for a service to persons contains (issue 15, «Capitolato speciale»), in their order.
EXPECTED_ARTICLES = [
    "Premessa",
    "Oggetto, durata e valore dell’appalto",
    "Importo a base di gara, costi della manodopera e oneri della sicurezza",
    "Obiettivo e strategie",
    "Descrizione del servizio",
    "Destinatari, luoghi di esecuzione, accesso e presa in carico",
    "Prestazioni: attività, tempi e volumi",
    "Sistema di governance",
    "Linee di supporto",
    "Personale e contratto collettivo applicato",
    "Coordinatore del servizio e referente dell’appaltatore",
    "Clausole sociali",
    "Sistema di valutazione dell’impatto sociale",
    "Monitoraggio e rendicontazione",
    "Obblighi e responsabilità dell’appaltatore e dell’ente",
    "Sicurezza sul lavoro e DUVRI",
    "Garanzia definitiva e coperture assicurative",
    "Direttore dell’esecuzione e verifica di conformità",
    "Controlli sull’esecuzione",
    "Penali",
    "Revisione dei prezzi",
    "Pagamenti, fatturazione elettronica e tutela delle retribuzioni",
    "Tracciabilità dei flussi finanziari",
    "Subappalto",
    "Modifiche del contratto e quinto d’obbligo",
    "Risoluzione del contratto e clausola risolutiva espressa",
    "Recesso",
    "Trattamento dei dati personali",
    "Sciopero e continuità del servizio",
    "Passaggio di consegne all’avvio e alla scadenza",
    "Codice di comportamento e divieto di pantouflage",
    "Spese contrattuali, domicilio e controversie",
    "Allegati",
    "Disposizioni finali",
]


@pytest.fixture(scope="module")
def capitolato(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("articoli")
    paths = build(load_spec(MELZO), out, ["docx"])
    return next(p for p in paths if p.name.startswith("capitolato-speciale"))


def _text(path: Path) -> str:
    document = docx.Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return untypeset("\n".join([p.text for p in document.paragraphs] + cells))


def _table(path: Path, header: str):
    return next(t for t in docx.Document(str(path)).tables if t.rows[0].cells[0].text == header)


def test_every_contract_article_in_order(capitolato) -> None:
    headings = [p.text for p in docx.Document(str(capitolato)).paragraphs if p.style.name == "Heading 1"]
    titles = [re.sub(r"^Art\.\u00a0\d+ – ", "", heading) for heading in headings]
    assert titles == EXPECTED_ARTICLES


def test_guarantee_and_insurance_share_one_article(capitolato) -> None:
    sub = [p.text for p in docx.Document(str(capitolato)).paragraphs if p.style.name == "Heading 2"]
    number = EXPECTED_ARTICLES.index("Garanzia definitiva e coperture assicurative") + 1
    assert [s for s in sub if s.startswith(f"{number}.")] == [f"{number}.1 Garanzia definitiva",
                                                              f"{number}.2 Coperture assicurative (RCT/RCO)"]


def test_hours_table_total_is_the_monte_ore_of_the_labour_cost(capitolato) -> None:
    table = _table(capitolato, "Rif.")
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    *activities, total = rows
    hours = sum(int(row[-1].replace(".", "")) for row in activities)
    assert hours == 25_500 and total[-1] == "25.500"
    text = _text(capitolato)
    assert "monte ore complessivo di 76.500 ore nella durata contrattuale (25.500 ore annue" in text
    assert "Operatore per l'autonomia, livello C1: 18.000 ore annue" in text


def test_profiles_table_states_titles_and_levels(capitolato) -> None:
    table = _table(capitolato, "Profilo")
    rows = {row.cells[0].text: [c.text for c in row.cells] for row in table.rows[1:]}
    assert set(rows) == {"Operatore per l'autonomia", "Educatore professionale", "Coordinatore del servizio"}
    assert rows["Educatore professionale"][3] == "D2" and rows["Educatore professionale"][4] == "6.000"
    assert "L/SNT2" in rows["Educatore professionale"][1]


def test_penalties_carry_their_amounts(capitolato) -> None:
    text = _text(capitolato)
    assert "1.500,00 € per ciascun lavoratore non assorbito" in text
    assert "mancata sostituzione di un operatore assente entro il termine: 150,00 € per ogni intervento" in text


def test_every_named_annex_is_listed_and_nothing_is_left_to_complete(capitolato) -> None:
    text = _text(capitolato)
    listed = set(re.findall(r"Allegato ([A-Z]) – ", text))
    named = set(re.findall(r"\bAllegato ([A-Z])(?![\w.-])", text))
    assert listed == {"A", "B", "C", "D"} and named <= listed
    assert find_marks(text) == []
    assert "responsabile del trattamento" in text and "Tribunale di Milano" in text


def test_hours_are_one_fact(tmp_path) -> None:
    """Hours changed in esecuzione.prestazioni move the table, the estimate and the derived facts together."""
    text = MELZO.read_text(encoding="utf-8").replace("      ore_annue: 13000\n", "      ore_annue: 14000\n")
    path = tmp_path / "capitolato.yaml"
    path.write_text(text, encoding="utf-8")
    spec = load_spec(path)
    facts = derive(spec)
    assert facts.yearly_hours == 26_500 and facts.total_hours == 79_500
    assert facts.hours_labour_cost == Decimal("1741500.00")
    built = build(spec, tmp_path / "out", ["docx"])
    capitolato = next(p for p in built if p.name.startswith("capitolato-speciale"))
    assert "monte ore complessivo di 79.500 ore" in _text(capitolato)
    assert _table(capitolato, "Rif.").rows[-1].cells[-1].text == "26.500"
    findings = check(spec, load_library())
    assert [f.code for f in findings] == [], [(f.code, f.message) for f in findings]  # +3,7 %: within 5 %


def test_labour_cost_far_from_hours_is_reported(tmp_path) -> None:
    text = MELZO.read_text(encoding="utf-8").replace("      ore_annue: 13000\n", "      ore_annue: 20000\n")
    path = tmp_path / "capitolato.yaml"
    path.write_text(text, encoding="utf-8")
    findings = [f for f in check(load_spec(path), load_library()) if f.code == "ESE002"]
    assert len(findings) == 1 and "+26,2 %" in findings[0].message
    assert text.splitlines()[findings[0].location.line - 1].lstrip().startswith("manodopera:")


PROCUREMENT_EXAMPLES = ["melzo-servizi-persona", "assistenza-domiciliare-prezzo-fisso", "appalto-riservato-art61"]
CONTRACT_ARTICLES = EXPECTED_ARTICLES[EXPECTED_ARTICLES.index("Destinatari, luoghi di esecuzione, accesso e presa in "
                                                                "carico"):]


def _capitolato_text(name: str) -> tuple[list[str], str]:
    """Article titles and text of an example's capitolato, as the document model holds them (before typesetting)."""
    spec = load_spec(EXAMPLES / name / "capitolato.yaml")
    document = next(d for d in assemble(spec, load_library()) if d.kind == "capitolato-speciale")
    titles, texts = [], []
    for block in walk(document.blocks):
        for run in inline_runs(block):
            line = "".join(getattr(node, "text", " ") for node in run)
            texts.append(line)
            if isinstance(block, Heading) and block.level == 1:
                titles.append(untypeset(re.sub(r"^Art\. \d+ – ", "", line)))
    return titles, untypeset("\n".join(texts))


@pytest.mark.parametrize("name", PROCUREMENT_EXAMPLES)
def test_procurement_examples_have_every_contract_article(name) -> None:
    titles, text = _capitolato_text(name)
    assert [t for t in titles if t in {untypeset(a) for a in CONTRACT_ARTICLES}] == \
        [untypeset(a) for a in CONTRACT_ARTICLES]
    assert find_marks(text) == []


def test_fixed_price_capitolato_speaks_of_no_offered_price() -> None:
    _, melzo = _capitolato_text("melzo-servizi-persona")
    _, fixed = _capitolato_text("assistenza-domiciliare-prezzo-fisso")
    for offered in ("ai prezzi unitari risultanti dall'offerta", "In caso di ribasso superiore al 10 per cento"):
        assert offered in melzo and offered not in fixed
    assert "al costo orario che risulta dal prezzo fisso del contratto" in fixed


def test_unknown_profile_keeps_the_hours_but_not_the_cost(tmp_path) -> None:
    text = MELZO.read_text(encoding="utf-8").replace("      ore_annue: 1500\n      profilo: CO\n",
                                                     "      ore_annue: 1500\n      profilo: XX\n")
    path = tmp_path / "capitolato.yaml"
    path.write_text(text, encoding="utf-8")
    spec = load_spec(path)
    facts = derive(spec)
    assert facts.yearly_hours == 25_500 and facts.hours_labour_cost is None
    assert "XX: 1.500 ore annue" in facts.profile_hours
    codes = {f.code for f in check(spec, load_library())}
    assert "ESE006" in codes and "ESE002" not in codes


def test_fixed_price_composition_reads_the_amounts(tmp_path) -> None:
    """The fixed-price clause writes labour cost, safety and the rest from importi: the motivation is only prose,
    and a changed labour cost moves the sentence."""
    valdora = EXAMPLES / "assistenza-domiciliare-prezzo-fisso" / "capitolato.yaml"
    source = valdora.read_text(encoding="utf-8")
    assert "51.600" not in source.split("motivazione_prezzo_fisso:")[1].split("soglia_sbarramento")[0]
    for manodopera, rest, share in (("1161000.00", "184.500,00 €", "13,7 %"), ("1080000.00", "265.500,00 €", "19,7 %")):
        path = tmp_path / manodopera / "capitolato.yaml"
        path.parent.mkdir()
        path.write_text(source.replace("  manodopera: 1161000.00", f"  manodopera: {manodopera}"), encoding="utf-8")
        built = build(load_spec(path), path.parent / "out", ["docx"])
        text = _text(next(p for p in built if p.name.startswith("disciplinare")))
        assert (f"la parte restante di {rest} ({share} del prezzo). La parte restante copre spese generali" in text)


def test_traceability_lists_the_cig_of_every_lot(tmp_path) -> None:
    """With lots, the contract's traceability article names each lot's CIG (one contract per lot uses its own)."""
    lots = ("  lotti:\n"
            "    - {numero: 1, oggetto: Comuni del distretto nord, importo: 2200000.00, cig: B7F3A21C91}\n"
            "    - {numero: 2, oggetto: Comuni del distretto sud, importo: 2200000.00, cig: B7F3A21C92}\n")
    source = MELZO.read_text(encoding="utf-8")
    path = tmp_path / "capitolato.yaml"
    path.write_text(source.replace("procedura:\n", "procedura:\n" + lots, 1), encoding="utf-8")
    built = build(load_spec(path), tmp_path / "out", ["docx"])
    text = _text(next(p for p in built if p.name.startswith("capitolato-speciale")))
    assert "recando il CIG del lotto affidato (lotto 1: B7F3A21C91; lotto 2: B7F3A21C92)" in text
