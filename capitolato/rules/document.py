"""TXT: rules on the text of a tender document that was read (`capitolato check bando.docx`), not on a spec.

They see a `capitolato.audit.context.DocumentContext` and are registered as document-audit rules: the check of a
spec never runs them. Each rule's failing and passing cases are the synthetic tenders of tests/audit.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import cache
from typing import Any

from capitolato.audit.citations import Citation, annex_citations, citations
from capitolato.audit.context import DocumentContext
from capitolato.audit.facts import Status as FactStatus
from capitolato.audit.grid import Grid
from capitolato.model import law
from capitolato.model.facts import is_social_cpv
from capitolato.model.placeholders import find_marks
from capitolato.resources import package_data
from capitolato.rules.finding import Finding, Severity
from capitolato.rules.registry import CODICE, Basis, Rule, Status, art, register

DocumentCheck = Callable[[DocumentContext], Iterable[Finding]]
STAND_IN = re.compile(r"\bX{3,}\b|\[\s*(?:inserire|indicare|completare)[^\]]*\]|<\s*(?:inserire|indicare)[^>]*>",
                      re.IGNORECASE)
SCHEME = re.compile(r"schema di contratto|^\W*contratto\b", re.IGNORECASE)
CONTRADICTABLE = ("importi.base", "importi.manodopera", "importi.sicurezza", "importi.valore_stimato",
                  "procedura.durata_mesi", "aggiudicazione.punti_tecnici", "aggiudicazione.punti_economici",
                  "aggiudicazione.soglia_sbarramento", "aggiudicazione.criterio")


def document_rule(code: str, name: str, severity: Severity, message: str, *, rationale: str,
                  basis: Iterable[Basis], status: Status, fix: str) -> Callable[[DocumentCheck], DocumentCheck]:
    def decorate(check: DocumentCheck) -> DocumentCheck:
        register(Rule(code, name, severity, message, rationale, tuple(basis), status, fix,
                      needs_document_audit=True, check=check))  # type: ignore[arg-type]
        return check

    return decorate


@cache
def _code_table() -> dict[str, Any]:
    return package_data("codice-articoli.yaml")


@cache
def _topics() -> tuple[tuple[str, re.Pattern[str], tuple[tuple[str, tuple[str, ...]], ...]], ...]:
    return tuple((t["nome"], re.compile(t["modello"], re.IGNORECASE),
                  tuple((a["art"], tuple(a.get("commi", []))) for a in t["articoli"]))
                 for t in package_data("citazioni.yaml")["argomenti"])


@document_rule("TXT001", "citation-exists", Severity.ERROR, "Citazione di un articolo o comma inesistente del Codice",
               rationale="Un rinvio a un articolo che il d.lgs. 36/2023 non ha (229 articoli, oltre a quelli con "
                         "suffisso) o a un comma oltre l'ultimo è un refuso o un residuo di un vecchio bando, e "
                         "rende incerta la regola che il documento vuole richiamare. L'ultimo comma di ogni articolo "
                         "è quello del testo originario (GU 31 marzo 2023), salvo i commi aggiunti in fine da "
                         "modifiche successive elencati con la fonte in data/codice-articoli.yaml; i commi con "
                         "suffisso («2-bis») sono sempre ammessi.",
               basis=[Basis("d.lgs. 31 marzo 2023, n. 36 (testo vigente)", CODICE.format("1"))],
               status=Status.TO_VERIFY, fix="correggere il numero dell'articolo o del comma citato")
def citation_exists(ctx: DocumentContext) -> Iterable[Finding]:
    last, commas = _last_article(), verified_commas()
    for unit, sentence in ctx.sentences():
        for citation in citations(sentence):
            for number, suffix in citation.articles:
                if number > last or number == 0:
                    yield ctx.finding(unit.position, f"«{citation.text}»: il Codice ha {last} articoli")
                    continue
                limit = commas.get(str(number)) if len(citation.articles) == 1 and not suffix else None
                over = [c for c, c_suffix in citation.commas if limit is not None and c > limit and not c_suffix]
                if over:
                    count = "1 comma" if limit == 1 else f"{limit} commi"
                    yield ctx.finding(unit.position, f"«{citation.text}»: l'art. {number} ha {count} "
                                                     f"({_comma_source(str(number))})")


def _last_article() -> int:
    return int(_code_table()["codice"]["articoli"]["ultimo"])


def verified_commas() -> dict[str, int]:
    """Last numbered comma of each article: the original text's, or a later addition's; none if unverified."""
    table = _code_table()["codice"]["commi"]
    if table.get("stato") != "verificato":
        return {}
    return {number: int(_added_commas().get(number, {"ultimo": last})["ultimo"])
            for number, last in table["ultimo"].items()}


def _added_commas() -> dict[str, dict[str, Any]]:
    """Articles whose last numbered comma changed after the original text, with the act that changed it."""
    return _code_table()["codice"]["commi"].get("aggiunti") or {}


def _comma_source(number: str) -> str:
    if number in _added_commas():
        return _added_commas()[number]["fonte"]
    return (f"testo originario del {_code_table()['codice']['commi']['data']:%d/%m/%Y}, "
            "senza commi aggiunti dal correttivo")


def citation_tally(ctx: DocumentContext) -> dict[str, int]:
    """How many citations of the Codice the document has and how many of them the table could verify."""
    commas = verified_commas()
    tally = {"citazioni": 0, "articoli_controllati": 0, "commi_citati": 0, "commi_controllati": 0, "allegati_citati": 0}
    for _, sentence in ctx.sentences():
        for citation in citations(sentence):
            tally["citazioni"] += 1
            tally["articoli_controllati"] += len(citation.articles)
            tally["commi_citati"] += len(citation.commas)
            if len(citation.articles) == 1 and str(citation.articles[0][0]) in commas and not citation.articles[0][1]:
                tally["commi_controllati"] += len(citation.commas)
        tally["allegati_citati"] += len(annex_citations(sentence))
    return tally


@document_rule("TXT008", "annex-exists", Severity.ERROR, "Citazione di un allegato inesistente del Codice",
               rationale="Gli allegati del d.lgs. 36/2023 sono numerati per libro (I–V) e per ordine, «Allegato "
                         "II.3»: I.1–I.14, II.1–II.20, IV.1, V.1–V.3 nel testo originario, più I.01, II.2-bis e II.6-bis "
                         "aggiunti dal correttivo (d.lgs. 209/2024). Un allegato di un libro che il Codice non ha, o "
                         "oltre l'ultimo del suo libro, è un refuso o un rinvio a un altro atto.",
               basis=[Basis("d.lgs. 31 marzo 2023, n. 36, allegati (testo vigente)", CODICE.format("1"))],
               status=Status.TO_VERIFY, fix="correggere il numero dell'allegato citato")
def annex_exists(ctx: DocumentContext) -> Iterable[Finding]:
    annexes = _code_table()["codice"]["allegati"]
    books = annexes["libri"]
    for unit, sentence in ctx.sentences():
        for annex in annex_citations(sentence):
            if annex.book not in books:
                yield ctx.finding(unit.position, f"«{annex.text}»: il Codice ha allegati dei libri "
                                                 f"{', '.join(books)}")
                continue
            listed = annexes["elenchi"].get(annex.book) or {}
            last = listed.get("ultimo")
            if listed.get("stato") != "verificato" or last is None or annex.name in listed.get("aggiunti", []):
                continue
            if int(annex.number) > int(last) or int(annex.number) == 0:
                count = f"ha {last} allegati" if int(last) else "non ha allegati"
                yield ctx.finding(unit.position, f"«{annex.text}»: il libro {annex.book} {count}")


@document_rule("TXT009", "repealed-provision", Severity.WARNING, "Citato un articolo o un comma abrogato del Codice",
               rationale="Il correttivo (d.lgs. 209/2024, in vigore dal 31 dicembre 2024) ha abrogato l'art. 109 e "
                         "alcuni commi (tra gli altri art. 61 cc. 2 e 5, art. 71 c. 5): un bando pubblicato dopo che "
                         "li cita richiama una regola che non c'è più, spesso copiata da un bando precedente. Le "
                         "abrogazioni sono quelle elencate con la fonte in data/codice-articoli.yaml; quelle di atti "
                         "successivi al correttivo non sono censite.",
               basis=[Basis("d.lgs. 31 dicembre 2024, n. 209, artt. 24, 27, 37, 69 e 72",
                            "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:2024-12-31;209")],
               status=Status.TO_VERIFY,
               fix="togliere il rinvio o citare la disposizione che oggi disciplina l'argomento")
def repealed_provision(ctx: DocumentContext) -> Iterable[Finding]:
    published, repealed = ctx.value("procedura.data_pubblicazione"), _code_table()["codice"]["abrogati"]
    if published is None or published < _date(repealed["dal"]):
        return
    for unit, sentence in ctx.sentences():
        for citation in citations(sentence):
            for gone in _repealed_parts(citation, repealed):
                yield ctx.finding(unit.position, f"«{citation.text}»: {gone} dal {repealed['fonte']}")


def _repealed_parts(citation: Citation, repealed: dict[str, Any]) -> Iterable[str]:
    """The repealed article, or the repealed commas of the one article cited, in words."""
    for number, suffix in citation.articles:
        if not suffix and str(number) in repealed["articoli"]:
            yield f"l'art. {number} è stato abrogato"
    if citation.single_article is None or citation.articles[0][1]:
        return
    gone = [str(c) for c, c_suffix in citation.commas
            if not c_suffix and c in repealed["commi"].get(citation.single_article, [])]
    if len(gone) == 1:
        yield f"il comma {gone[0]} dell'art. {citation.single_article} è stato abrogato"
    elif gone:
        yield f"i commi {', '.join(gone)} dell'art. {citation.single_article} sono stati abrogati"


@document_rule("TXT002", "repealed-code", Severity.ERROR, "Citato il d.lgs. 50/2016, non più applicabile",
               rationale="Il d.lgs. 50/2016 è abrogato dal 1° luglio 2023 e si applica solo alle procedure avviate "
                         "prima: un bando pubblicato dopo quella data che lo cita rinvia a norme che non lo governano.",
               basis=[art("226", "art. 226 c. 1 d.lgs. 36/2023")], status=Status.VERIFIED,
               fix="sostituire il rinvio con l'articolo corrispondente del d.lgs. 36/2023")
def repealed_code(ctx: DocumentContext) -> Iterable[Finding]:
    published = ctx.value("procedura.data_pubblicazione")
    repealed = _code_table()["abrogato"]
    if published is None or published < _date(repealed["cessato"]):
        return
    pattern = re.compile(repealed["modello"], re.IGNORECASE)
    for unit, sentence in ctx.sentences():
        if pattern.search(sentence):
            yield ctx.finding(unit.position, f"bando pubblicato il {published:%d/%m/%Y}: «{_excerpt(sentence)}»")


@document_rule("TXT003", "citation-topic", Severity.WARNING, "Articolo del Codice fuori tema",
               rationale="Per gli argomenti che le regole conoscono il Codice ha un articolo proprio (CCNL: art. 11; "
                         "equivalenza delle tutele: art. 11 cc. 3–4; costi della manodopera: artt. 41 cc. 13–14 e 108 "
                         "c. 9; clausola sociale: art. 57; penali: art. 126; subappalto: art. 119; garanzie: artt. 106 e "
                         "117): una frase che ne cita un altro rinvia probabilmente all'articolo sbagliato.",
               basis=[art("11"), art("57"), art("126"), art("119")], status=Status.DESIGN,
               fix="citare l'articolo che disciplina l'argomento della frase")
def citation_topic(ctx: DocumentContext) -> Iterable[Finding]:
    for unit, sentence in ctx.sentences():
        cited = citations(sentence)
        if len(cited) != 1 or cited[0].single_article is None:
            continue
        citation = cited[0]
        topics = [(name, allowed) for name, pattern, allowed in _topics() if pattern.search(sentence)]
        if topics and not any(_allowed(citation, allowed) for _, allowed in topics):
            expected = "; ".join(f"{name}: {_articles(allowed)}" for name, allowed in topics)
            yield ctx.finding(unit.position, f"«{citation.text}» in una frase su {expected}")


def _allowed(citation: Any, allowed: tuple[tuple[str, tuple[str, ...]], ...]) -> bool:
    for article, commas in allowed:
        if citation.single_article != article:
            continue
        cited = {str(c) + s for c, s in citation.commas}
        if not commas or not cited or cited & set(commas):
            return True
    return False


def _articles(allowed: tuple[tuple[str, tuple[str, ...]], ...]) -> str:
    return ", ".join(f"art. {a}" + (f" c. {'–'.join(c)}" if c else "") for a, c in allowed[:2])


@document_rule("TXT004", "placeholder-left", Severity.ERROR, "Testo da completare nel documento",
               rationale="Un segnaposto («DA COMPLETARE», «XXX», «[inserire …]») in un documento pubblicato lascia "
                         "indeterminato un elemento della gara; in uno schema di contratto i dati della stipula sono "
                         "attesi e il rilievo è solo informativo.",
               basis=[art("83", "art. 83 d.lgs. 36/2023")], status=Status.DESIGN,
               fix="completare il testo o toglierlo prima della pubblicazione")
def placeholder_left(ctx: DocumentContext) -> Iterable[Finding]:
    scheme = SCHEME.search(ctx.audit.document.title or "") is not None
    for unit in ctx.audit.units:
        spans = [unit.text[a:b] for a, b in find_marks(unit.text)] + [m.group(0) for m in STAND_IN.finditer(unit.text)]
        if spans and scheme:
            yield ctx.finding(unit.position, f"«{spans[0]}», da completare alla stipula", severity=Severity.INFO)
        elif spans:
            yield ctx.finding(unit.position, f"«{spans[0]}»")


@document_rule("TXT005", "stated-values-differ", Severity.ERROR, "Valori diversi per lo stesso elemento",
               rationale="Importi, durata o punteggi scritti in due modi diversi nello stesso documento rendono "
                         "incerta la lex specialis e sono la prima causa di chiarimenti e ricorsi.",
               basis=[art("83", "art. 83 d.lgs. 36/2023"), art("108", "art. 108 c. 4 d.lgs. 36/2023")],
               status=Status.DESIGN, fix="uniformare il valore in tutto il documento")
def stated_values_differ(ctx: DocumentContext) -> Iterable[Finding]:
    for key in CONTRADICTABLE:
        fact = ctx.fact(key)
        if fact.status is not FactStatus.AMBIGUOUS:
            continue
        other = next(e for e in fact.evidence if e.value != fact.value)
        shown = " e ".join(_plain(v) for v in fact.candidates)
        yield ctx.finding(other.position, f"{fact.label.lower()}: {shown}")


@document_rule("TXT006", "points-add-up", Severity.ERROR, "I punteggi non tornano",
               rationale="Punti tecnici ed economici sommano al totale, le voci della griglia ai punti tecnici, i "
                         "sottocriteri al punteggio del loro criterio, e la soglia di sbarramento non supera i punti "
                         "tecnici: altrimenti l'attribuzione è impugnabile.",
               basis=[art("108", "art. 108 cc. 4, 7–8 d.lgs. 36/2023")], status=Status.TEXT_2023,
               fix="correggere i punti perché la griglia, la ripartizione e il totale coincidano")
def points_add_up(ctx: DocumentContext) -> Iterable[Finding]:
    technical, economic = ctx.value("aggiudicazione.punti_tecnici"), ctx.value("aggiudicazione.punti_economici")
    total = ctx.value("aggiudicazione.punti_totali")
    if technical is not None and economic is not None and technical + economic != (total or 100):
        stated = f"totale {total}" if total else "totale di 100 punti (non indicato)"
        yield ctx.finding(ctx.fact("aggiudicazione.punti_economici").where,
                          f"tecnica {technical} + economica {economic} ≠ {stated}")
    grid = ctx.audit.grid
    if grid is not None and grid.stated_total is not None and grid.total != grid.stated_total:
        yield ctx.finding(grid.position, f"le voci della griglia sommano {_plain(grid.total)}, il totale indicato è "
                                         f"{_plain(grid.stated_total)}")
    elif grid is not None and technical is not None and grid.total != technical:
        yield ctx.finding(grid.position, f"la griglia somma {_plain(grid.total)}, i punti tecnici sono {technical}")
    if grid is not None:
        yield from _groups_add_up(ctx, grid)
    threshold = ctx.value("aggiudicazione.soglia_sbarramento")
    if threshold is not None and technical is not None and threshold > technical:
        yield ctx.finding(ctx.fact("aggiudicazione.soglia_sbarramento").where,
                          f"soglia di {threshold} punti su {technical} punti tecnici")


def _groups_add_up(ctx: DocumentContext, grid: Grid) -> Iterable[Finding]:
    """A criterion with sub-criteria is worth what they add up to."""
    for index, row in enumerate(grid.rows):
        children = grid.children(index)
        parts = sum((child.points for child in children), Decimal(0))
        if children and parts != row.points:
            yield ctx.finding(grid.position, f"«{row.label}» vale {_plain(row.points)} punti, i suoi sottocriteri ne "
                                             f"sommano {_plain(parts)}")


@document_rule("TXT007", "social-clause-present", Severity.ERROR, "Servizio sociale o ad alta intensità di manodopera "
               "senza clausola sociale",
               rationale="Negli affidamenti di servizi sociali e ad alta intensità di manodopera i bandi inseriscono "
                         "specifiche clausole sociali per la stabilità occupazionale del personale impiegato, oltre al "
                         "CCNL: il documento non ne contiene alcuna.",
               basis=[art("57", "art. 57 c. 1 d.lgs. 36/2023")], status=Status.VERIFIED,
               fix="inserire la clausola sociale (stabilità occupazionale, art. 57) nel capitolato e nel disciplinare")
def social_clause_present(ctx: DocumentContext) -> Iterable[Finding]:
    if ctx.fact("clausola_sociale").found or ctx.value("procedura.tipo") == "coprogettazione-art55":
        return
    reasons = []
    if any(is_social_cpv(code) for code in ctx.value("procedura.cpv") or []):
        reasons.append("codici CPV dei servizi sociali (Allegato XIV)")
    if labour_intensive(ctx):
        reasons.append("costi della manodopera oltre il 50 % dell'importo")
    if reasons:
        yield ctx.finding(ctx.start(), " e ".join(reasons))


def labour_intensive(ctx: DocumentContext) -> bool:
    base, labour = ctx.value("importi.base"), ctx.value("importi.manodopera")
    if not base or labour is None:
        return False
    day = ctx.value("procedura.data_pubblicazione") or dt.date.today()
    return labour / base >= law.number("quota_alta_intensita", day) / 100


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _excerpt(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _plain(value: Any) -> str:
    if isinstance(value, Decimal):
        return f"{value:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".") + " €" \
            if value.as_tuple().exponent < 0 else str(value)
    return str(value)
