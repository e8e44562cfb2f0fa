"""LAB: labour cost, safety costs and the collective agreement (artt. 11, 41, 108, 110 d.lgs. 36/2023)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from capitolato.model import law
from capitolato.model.placeholders import is_placeholder
from capitolato.model.tender import ServiceNature
from capitolato.rules.context import Context, affirmed
from capitolato.rules.finding import Finding, Severity
from capitolato.rules.registry import Basis, Status, art, rule

ESTIMATE = "costi-manodopera-stima"
EXCLUSIVE_CCNL = re.compile(r"\b(esclusivamente|unicamente|solo|obbligatoriamente)\s+(il\s+|al\s+)?"
                            r"(ccnl|contratto collettivo)", re.IGNORECASE)
EXCLUSION = re.compile(r"(a pena di|causa di|comporta l'|determina l')\s*esclusione|è escluso|sono esclus",
                       re.IGNORECASE)
SENTENCES = re.compile(r"(?<=[.;])\s+")
LABOUR_AMOUNT = re.compile(r"cost[oi] (?:della manodopera|del personale)[^.;]{0,80}?(?P<amount>\d{1,3}(?:\.\d{3})+(?:,\d{2})?"
                           r"|\d+,\d{2})\s*(?:€|euro)", re.IGNORECASE)


def labour_cost(ctx: Context) -> Decimal | None:
    """The labour cost: it lives in `importi.manodopera` only (the estimate clause reads it from there)."""
    return ctx.spec.amounts.labour_cost


@rule("LAB001", "labour-cost-required", Severity.ERROR, "Indicare il costo della manodopera",
      rationale="La stazione appaltante stima i costi della manodopera con le tabelle ministeriali e li indica negli "
                "atti di gara: da essi dipendono l'alta intensità di manodopera e la verifica delle offerte.",
      basis=[Basis("Allegato I.1 art. 2 c. 1 lett. e) d.lgs. 36/2023"), art("41", "art. 41 c. 14 d.lgs. 36/2023")],
      status=Status.VERIFIED, fix="indicare importi.manodopera e aggiungere la clausola costi-manodopera-stima")
def labour_cost_required(ctx: Context) -> Iterable[Finding]:
    if ctx.facts.codice_route and labour_cost(ctx) is None:
        yield ctx.finding(ctx.section("importi"))


@rule("LAB002", "base-amount-breakdown", Severity.ERROR, "Scorporare manodopera e sicurezza",
      rationale="Costi della manodopera e oneri della sicurezza sono indicati a parte e scorporati dall'importo "
                "assoggettato al ribasso; la clausola di stima li porta nel capitolato con la tabella usata.",
      basis=[art("41", "art. 41 c. 14 d.lgs. 36/2023")], status=Status.TEXT_2023,
      fix="aggiungere la clausola costi-manodopera-stima")
def base_amount_breakdown(ctx: Context) -> Iterable[Finding]:
    if not ctx.facts.codice_route or labour_cost(ctx) is None:
        return
    if not ctx.has_clause(ESTIMATE):
        yield ctx.finding(ctx.section("clausole"), f"manca la clausola {ESTIMATE}",
                          fix=f"aggiungere la clausola {ESTIMATE}")
    if ctx.spec.amounts.safety_costs is None:
        yield ctx.finding(ctx.section("importi"), "oneri della sicurezza non indicati", fix="indicare importi.sicurezza")


@rule("LAB003", "discount-mechanics", Severity.WARNING, "Precisare la base del ribasso e la verifica della manodopera",
      rationale="Se il ribasso si applichi all'importo con o senza la manodopera è controverso (Bando-tipo n. 1 e MIT "
                "parere 2154/2023 contro Consiglio di Stato 2025): il capitolato deve dirlo, senza default.",
      basis=[art("41", "art. 41 c. 14 d.lgs. 36/2023"), art("110", "art. 110 d.lgs. 36/2023"),
             Basis("MIT parere n. 2154 del 19.7.2023")],
      status=Status.VERIFIED, fix="indicare importi.base_ribasso: totale-con-manodopera o al-netto-manodopera",
      unsettled=True)
def discount_mechanics(ctx: Context) -> Iterable[Finding]:
    price_competition = ctx.facts.codice_route and ctx.facts.economic_points > 0
    if price_competition and ctx.spec.amounts.discount_base is None:
        yield ctx.finding(ctx.section("importi"), "base del ribasso non indicata")


@rule("LAB004", "labour-cost-in-offer", Severity.ERROR, "Costi della manodopera nell'offerta a pena di esclusione",
      rationale="Nei servizi non intellettuali l'offerta economica indica i costi della manodopera e gli oneri "
                "aziendali per la sicurezza a pena di esclusione: il disciplinare deve chiederli.",
      basis=[art("108", "art. 108 c. 9 d.lgs. 36/2023")], status=Status.TEXT_2023,
      fix="aggiungere la clausola costi-manodopera-offerta")
def labour_cost_in_offer(ctx: Context) -> Iterable[Finding]:
    non_intellectual = ctx.spec.procedure.service_nature is ServiceNature.NON_INTELLECTUAL
    if ctx.facts.codice_route and non_intellectual and not ctx.has_clause("costi-manodopera-offerta"):
        yield ctx.finding(ctx.section("clausole"))


@rule("LAB005", "personnel-cost-congruity", Severity.WARNING, "Esclusione delle offerte sotto i minimi tabellari",
      rationale="L'offerta con un costo del personale inferiore ai minimi delle tabelle ministeriali è esclusa e "
                "sui minimi salariali non si ammettono giustificazioni: il disciplinare deve prevederne la verifica.",
      basis=[art("110", "art. 110 cc. 4–5 d.lgs. 36/2023")], status=Status.TEXT_2023,
      fix="aggiungere la clausola congruita-costo-personale")
def personnel_cost_congruity(ctx: Context) -> Iterable[Finding]:
    if ctx.facts.codice_route and labour_cost(ctx) is not None and not ctx.has_clause("congruita-costo-personale"):
        yield ctx.finding(ctx.section("clausole"))


@rule("LAB006", "ccnl-named", Severity.ERROR, "Indicare il CCNL (anche nella decisione di contrarre)",
      rationale="Gli atti iniziali e la decisione di contrarre indicano il contratto collettivo di settore e di zona "
                "stipulato dalle organizzazioni comparativamente più rappresentative.",
      basis=[art("11", "art. 11 cc. 1–2 d.lgs. 36/2023")], status=Status.VERIFIED,
      fix="aggiungere la clausola ccnl-applicabile e indicare ccnl.nome (e ccnl.codice_cnel)")
def ccnl_named(ctx: Context) -> Iterable[Finding]:
    if not ctx.facts.codice_route:
        return
    if not ctx.has_clause("ccnl-applicabile"):
        yield ctx.finding(ctx.section("clausole"), "manca la clausola ccnl-applicabile")


@rule("LAB007", "ccnl-secondary-tasks", Severity.ERROR, "Indicare il CCNL delle prestazioni secondarie pari almeno al 30 %",
      rationale="Se prestazioni secondarie o accessorie di una categoria omogenea valgono almeno il 30 % e differiscono "
                "dall'attività prevalente, gli atti indicano anche il loro contratto collettivo.",
      basis=[art("11", "art. 11 c. 2-bis d.lgs. 36/2023")], status=Status.TO_VERIFY,
      fix="indicare il ccnl della prestazione o aggiungere la clausola ccnl-prestazioni-secondarie",
      values=("ccnl_prestazioni_secondarie",))
def ccnl_secondary_tasks(ctx: Context) -> Iterable[Finding]:
    if not ctx.facts.codice_route or ctx.has_clause("ccnl-prestazioni-secondarie"):
        return
    for index, task in enumerate(ctx.spec.features.secondary_tasks):
        if task.share >= law.number("ccnl_prestazioni_secondarie", ctx.spec.procedure.notice_date, "min") and not task.ccnl:
            yield ctx.finding(ctx.at("caratteristiche", "prestazioni_secondarie", index, "quota"),
                              f"«{task.description}» vale il {task.share} %")


@rule("LAB008", "ccnl-not-exclusive", Severity.ERROR, "Ammettere CCNL con tutele equivalenti",
      rationale="Il CCNL indicato non può essere imposto come esclusivo: l'operatore può applicarne un altro con "
                "tutele equivalenti, dichiarandolo. Il metodo dell'Allegato I.01 è da verificare: la regola controlla "
                "solo che la via dell'equivalenza esista.",
      basis=[art("11", "art. 11 cc. 3–4 d.lgs. 36/2023"), Basis("Allegato I.01 d.lgs. 36/2023")],
      status=Status.VERIFIED, fix="aggiungere la clausola equivalenza-tutele; togliere formule di esclusività")
def ccnl_not_exclusive(ctx: Context) -> Iterable[Finding]:
    if not ctx.facts.codice_route:
        return
    if not ctx.has_clause("equivalenza-tutele"):
        yield ctx.finding(ctx.section("clausole"), "manca la clausola equivalenza-tutele (da verificare: metodo "
                                                   "dell'Allegato I.01)")
    for spot in ctx.free_texts():
        if affirmed(EXCLUSIVE_CCNL, spot.text):
            yield ctx.finding(ctx.at(*spot.path), "il testo impone un CCNL in via esclusiva")


@rule("LAB009", "equivalence-no-exclusion", Severity.WARNING, "La mancata dichiarazione di equivalenza non è causa di esclusione",
      rationale="La dichiarazione di equivalenza si acquisisce prima dell'aggiudicazione; la sua mancanza "
                "nell'offerta non giustifica l'esclusione (TAR Piemonte n. 1222).",
      basis=[art("11", "art. 11 c. 4 d.lgs. 36/2023"), Basis("TAR Piemonte n. 1222 (anno da verificare)")],
      status=Status.TO_VERIFY, fix="togliere la sanzione dell'esclusione e chiedere la dichiarazione prima dell'aggiudicazione")
def equivalence_no_exclusion(ctx: Context) -> Iterable[Finding]:
    for spot in ctx.free_texts():
        for sentence in SENTENCES.split(spot.text):
            if "equivalen" in sentence.lower() and affirmed(EXCLUSION, sentence):
                yield ctx.finding(ctx.at(*spot.path), "il testo minaccia l'esclusione")
                break


@rule("LAB010", "ccnl-identified", Severity.ERROR, "CCNL non identificato con precisione",
      rationale="Nei contratti ad alta intensità di manodopera il CCNL indicato decide costo del lavoro, "
                "equivalenza delle tutele e verifica dell'anomalia: va identificato con nome, settore e codice "
                "CNEL (archivio dei contratti collettivi), così che operatori e commissione lo riconoscano senza "
                "dubbi.",
      basis=[art("11", "art. 11 cc. 1–2 d.lgs. 36/2023"), Basis("Allegato I.01 d.lgs. 36/2023 (da verificare)")],
      status=Status.TO_VERIFY, fix="compilare ccnl.nome, ccnl.settore e ccnl.codice_cnel")
def ccnl_identified(ctx: Context) -> Iterable[Finding]:
    if not (ctx.facts.codice_route and ctx.facts.labour_intensive):
        return
    ccnl = ctx.spec.ccnl
    if ccnl is None:
        yield ctx.finding(ctx.section("ccnl"), "manca la sezione ccnl (nome, settore, codice CNEL)")
        return
    clause = ctx.params("ccnl-applicabile")
    missing = [label for label, value in (("nome", ccnl.name), ("settore", ccnl.sector),
                                          ("codice CNEL", ccnl.cnel_code or clause.get("codice_cnel")))
               if is_placeholder(value)]
    if missing:
        yield ctx.finding(ctx.section("ccnl"), f"mancano {', '.join(missing)} del CCNL")


@rule("LAB011", "labour-cost-stated-elsewhere", Severity.ERROR, "Costo della manodopera indicato fuori da importi",
      rationale="Il costo della manodopera decide l'alta intensità di manodopera (e con essa OEPV, tetto del "
                "punteggio economico, divieto di subappalto della prevalenza): un importo scritto nei testi dello "
                "spec ma non in importi.manodopera non può far concludere, in silenzio, che il servizio non è ad "
                "alta intensità. Anche una deroga all'alta intensità con una motivazione segnaposto non vale.",
      basis=[Basis("Allegato I.1 art. 2 c. 1 lett. e) d.lgs. 36/2023"), art("41", "art. 41 c. 14 d.lgs. 36/2023")],
      status=Status.VERIFIED, fix="indicare importi.manodopera (e motivare per esteso l'eventuale deroga)",
      values=("quota_alta_intensita",))
def labour_cost_stated_elsewhere(ctx: Context) -> Iterable[Finding]:
    amounts = ctx.spec.amounts
    override = amounts.labour_intensive_override
    if override is not None and is_placeholder(override.reason):
        yield ctx.finding(ctx.at("importi", "alta_intensita_manodopera", "motivazione"),
                          "motivazione della deroga all'alta intensità segnaposto: la deroga non si applica")
    if amounts.labour_cost is not None or not ctx.facts.codice_route:
        return
    for spot in ctx.free_texts():
        match = LABOUR_AMOUNT.search(spot.text)
        if match:
            yield ctx.finding(ctx.at(*spot.path), _stated_detail(ctx, match.group("amount")))
            return


def _stated_detail(ctx: Context, amount: str) -> str:
    value = Decimal(amount.replace(".", "").replace(",", "."))
    base = ctx.spec.amounts.base_amount
    threshold = law.number("quota_alta_intensita", ctx.spec.procedure.notice_date)
    share = value / base * 100 if base else Decimal(0)
    verdict = "alta intensità di manodopera" if share >= threshold else "sotto la soglia dell'alta intensità"
    return f"il testo indica {amount} € di costo della manodopera ({share:.0f} % della base: {verdict})"
