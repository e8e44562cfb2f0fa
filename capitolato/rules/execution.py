"""ESE: the contract articles of the capitolato speciale (spec section `esecuzione`).

Annexes named but not listed, hours and hourly costs that do not add up to the stated labour cost, a final guarantee
other than the law's, insurance without limits, health data of vulnerable people without a processor appointment,
payment terms beyond the law's, penalties without an amount.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

from capitolato.document.model import Text
from capitolato.model import law
from capitolato.model.tender import ProcedureKind
from capitolato.rules.context import Context
from capitolato.rules.finding import Finding, Severity
from capitolato.rules.publication import spans
from capitolato.rules.registry import Basis, Status, art, rule

# «Allegato C», «Allegato 2», but not the Codice's annexes («Allegato I.1», «Allegato II.2-bis», «Allegato XIV»).
ANNEX = re.compile(r"\bAllegat[oi]\s+([A-Z]|\d{1,2})(?![\w-]|\.\d)")
AMOUNT = re.compile(r"\d[\d.]*(?:,\d+)?\s*(?:€|euro\b)|per\s+mille|‰|\d+(?:,\d+)?\s*(?:%|per\s+cento)", re.IGNORECASE)
HOURS_TOLERANCE = Decimal("0.05")
BELOW_THRESHOLD_ROUTES = frozenset({ProcedureKind.NEGOTIATED, ProcedureKind.DIRECT_AWARD})
CAPITOLATO = "capitolato-speciale"
ESTIMATE = "costi-manodopera-stima"
DATA = "contratto-trattamento-dati"
POLICIES = "contratto-polizze"
GUARANTEE = "contratto-garanzia-definitiva"
PENALTIES = "penali"
GDPR = Basis("art. 28 Regolamento (UE) 2016/679", "https://eur-lex.europa.eu/legal-content/IT/TXT/?uri=CELEX:32016R0679")
L231 = Basis("art. 4 d.lgs. 231/2002",
             "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:2002-10-09;231~art4")


@rule("ESE001", "annex-not-listed", Severity.ERROR, "Allegato citato nel testo ma assente dall'elenco degli allegati",
      rationale="Un allegato richiamato dal capitolato (il DUVRI, l'elenco del personale uscente, lo "
                "schema di nomina a responsabile del trattamento) che non compare nell'elenco degli allegati non è "
                "pubblicato con i documenti di gara: il concorrente non lo conosce e la clausola che lo richiama non "
                "si può applicare.",
      basis=[art("82", "art. 82 d.lgs. 36/2023 (documenti di gara disponibili)")], status=Status.DESIGN,
      fix="aggiungere l'allegato a esecuzione.allegati (codice e titolo), o correggere il riferimento nel testo")
def annex_not_listed(ctx: Context) -> Iterable[Finding]:
    if not ctx.facts.codice_route:
        return
    listed = {annex.code for annex in ctx.spec.execution.annexes}
    seen: set[str] = set()
    for span in spans(document for document in ctx.documents if document.kind == CAPITOLATO):
        if not isinstance(span.node, Text):
            continue
        for match in ANNEX.finditer(span.node.text):
            code = match.group(1)
            if code not in listed and code not in seen:
                seen.add(code)
                yield ctx.finding(ctx.section("esecuzione", "allegati"), f"«{match.group()}» non è tra gli allegati")


@rule("ESE002", "hours-labour-cost", Severity.WARNING,
      "Ore delle prestazioni e costi della manodopera non concordano",
      rationale="La stima dei costi della manodopera (art. 41 c. 14) nasce dal monte ore per profilo moltiplicato "
                "per il costo orario delle tabelle ministeriali: se ore × costo orario si discostano dai costi "
                "dichiarati, uno dei due numeri è sbagliato e la verifica di congruità dell'offerta (art. 110) parte "
                "da una base che l'ente non sa spiegare. Lo scarto tollerato (5 %) è una scelta di progetto.",
      basis=[art("41", "art. 41 c. 14 d.lgs. 36/2023"), art("110", "art. 110 d.lgs. 36/2023")],
      status=Status.DESIGN,
      fix="correggere le ore annue di esecuzione.prestazioni, il costo_orario dei profili o importi.manodopera")
def hours_labour_cost(ctx: Context) -> Iterable[Finding]:
    if not ctx.facts.codice_route or ctx.spec.amounts.labour_cost is None:
        return
    execution = ctx.spec.execution
    if not execution.activities:
        if ctx.has_clause(ESTIMATE):
            yield ctx.finding(ctx.section("esecuzione"), "manca il monte ore: indicare esecuzione.prestazioni con le "
                                                         "ore annue e il profilo di ciascuna attività")
        return
    computed = ctx.facts.hours_labour_cost
    if computed is None:
        return
    stated = ctx.spec.amounts.labour_cost
    if stated and abs(computed - stated) / stated > HOURS_TOLERANCE:
        share = (computed - stated) / stated * 100
        yield ctx.finding(ctx.at("importi", "manodopera"),
                          f"ore × costo orario = {_euro(computed)}, dichiarati {_euro(stated)} "
                          f"({_signed(share)} %, oltre lo scarto del 5 %)")


@rule("ESE003", "final-guarantee", Severity.WARNING, "Garanzia definitiva diversa dalla misura di legge",
      rationale="La garanzia definitiva è pari al 10 % dell'importo contrattuale (art. 117 c. 1), aumentata per i "
                "ribassi oltre il 10 % e ridotta nei casi dell'art. 106 c. 8; negli affidamenti sotto soglia "
                "dell'art. 50 è del 5 % (art. 53 c. 4, da verificare). Una misura diversa nel capitolato non è "
                "prevista dalla legge e si presta a contestazioni; senza misura la clausola non si applica.",
      basis=[art("117", "art. 117 c. 1 d.lgs. 36/2023"), art("53", "art. 53 c. 4 d.lgs. 36/2023 (da verificare)")],
      status=Status.TEXT_2023, fix="indicare esecuzione.garanzie.definitiva_percentuale con la misura di legge",
      values=("garanzia_definitiva", "garanzia_definitiva_sotto_soglia"))
def final_guarantee(ctx: Context) -> Iterable[Finding]:
    if not ctx.facts.codice_route:
        return
    guarantees = ctx.spec.execution.guarantees
    declared = guarantees.final_percent if guarantees else None
    if declared is None:
        if ctx.has_clause(GUARANTEE) or ctx.spec.execution.activities:
            yield ctx.finding(ctx.section("esecuzione", "garanzie"), "misura della garanzia definitiva non indicata")
        return
    key = ("garanzia_definitiva_sotto_soglia"
           if ctx.spec.procedure.kind in BELOW_THRESHOLD_ROUTES and not ctx.facts.above_eu_threshold
           else "garanzia_definitiva")
    legal = law.on(key, ctx.spec.procedure.notice_date)
    if declared != legal.number():
        yield ctx.finding(ctx.at("esecuzione", "garanzie", "definitiva_percentuale"),
                          f"{_number(declared)} % invece di {legal.shown()} ({legal.source.citation()})")


@rule("ESE004", "insurance-limits", Severity.ERROR, "Polizza assicurativa senza massimale",
      rationale="Nei servizi alla persona l'appaltatore risponde dei danni alle persone seguite, ai terzi e ai propri "
                "lavoratori: una polizza RCT o RCO senza massimale non garantisce nulla e non si può verificare "
                "prima dell'avvio. I massimali sono una scelta dell'ente, proporzionata al rischio.",
      basis=[Basis("art. 1917 codice civile (assicurazione della responsabilità civile)"), art("117")],
      status=Status.DESIGN,
      fix="indicare esecuzione.garanzie.rct_massimale e rco_massimale (euro per sinistro)")
def insurance_limits(ctx: Context) -> Iterable[Finding]:
    if not ctx.facts.codice_route:
        return
    if not ctx.has_clause(POLICIES):
        if ctx.facts.personal_service:
            yield ctx.finding(ctx.section("clausole"), f"manca la clausola {POLICIES} (servizio alla persona)")
        return
    guarantees = ctx.spec.execution.guarantees
    for key, label in (("rct_massimale", "RCT"), ("rco_massimale", "RCO")):
        value = guarantees.model_dump(by_alias=True).get(key) if guarantees else None
        if not value:
            yield ctx.finding(ctx.section("esecuzione", "garanzie", key) if guarantees
                              else ctx.section("esecuzione"), f"massimale {label} non indicato")


@rule("ESE005", "data-processor-appointment", Severity.ERROR,
      "Dati sanitari o di minori senza nomina dell'appaltatore a responsabile del trattamento",
      rationale="Chi tratta dati per conto del titolare è nominato responsabile con un contratto che ne fissa "
                "materia, durata, finalità, tipi di dati e obblighi (art. 28 GDPR). Nei servizi alla persona "
                "l'appaltatore tratta dati relativi alla salute di persone con disabilità e spesso di minori "
                "(art. 9 GDPR): senza la nomina il trattamento è illecito e la responsabilità resta all'ente.",
      basis=[GDPR, Basis("art. 9 Regolamento (UE) 2016/679")], status=Status.VERIFIED,
      fix=f"aggiungere la clausola {DATA} e allegare lo schema dell'atto di nomina")
def data_processor_appointment(ctx: Context) -> Iterable[Finding]:
    if not ctx.facts.codice_route or ctx.has_clause(DATA):
        return
    data = ctx.spec.execution.data
    sensitive = data is not None and (data.special_categories or data.minors)
    if sensitive or ctx.facts.personal_service:
        reason = ("dati di categorie particolari o di minori (esecuzione.trattamento_dati)" if sensitive
                  else "servizio alla persona")
        yield ctx.finding(ctx.section("clausole"), f"manca la clausola {DATA}: {reason}")


@rule("ESE006", "activity-profile", Severity.ERROR, "Prestazione senza un profilo professionale definito",
      rationale="Ogni prestazione indica il profilo che la svolge, e ogni profilo il costo orario usato nella stima: "
                "senza, il monte ore per profilo e la stima dei costi della manodopera non si possono ricostruire.",
      basis=[art("41", "art. 41 c. 14 d.lgs. 36/2023")], status=Status.DESIGN,
      fix="usare in esecuzione.prestazioni[].profilo un codice di esecuzione.profili, con il suo costo_orario")
def activity_profile(ctx: Context) -> Iterable[Finding]:
    if not ctx.facts.codice_route:
        return
    execution = ctx.spec.execution
    for index, activity in enumerate(execution.activities):
        if execution.profile(activity.profile) is None:
            yield ctx.finding(ctx.at("esecuzione", "prestazioni", index, "profilo"),
                              f"«{activity.code}»: profilo «{activity.profile}» non definito in esecuzione.profili")
    for index, profile in enumerate(execution.profiles):
        if profile.hourly_cost is None and any(a.profile == profile.code for a in execution.activities):
            yield ctx.finding(ctx.section("esecuzione", "profili", index),
                              f"«{profile.code}»: costo_orario non indicato")


@rule("ESE007", "payment-term", Severity.WARNING, "Termine di pagamento oltre il termine di legge",
      rationale="Le pubbliche amministrazioni pagano entro 30 giorni dal ricevimento della fattura; un termine fino "
                "a 60 giorni si può pattuire solo in modo espresso e se giustificato dalla natura del contratto "
                "(art. 4 cc. 2 e 4 d.lgs. 231/2002, da verificare). Un termine più lungo va motivato.",
      basis=[L231], status=Status.TO_VERIFY, fix="riportare esecuzione.pagamenti.termine_giorni a 30 giorni, o "
                                                 "motivare il termine più lungo con una deroga",
      values=("termine_pagamento",))
def payment_term(ctx: Context) -> Iterable[Finding]:
    payments = ctx.spec.execution.payments
    if not ctx.facts.codice_route or payments is None or payments.term_days is None:
        return
    legal = law.on("termine_pagamento", ctx.spec.procedure.notice_date)
    limit = legal.bound("max")
    if limit is not None and payments.term_days > limit:
        yield ctx.finding(ctx.at("esecuzione", "pagamenti", "termine_giorni"),
                          f"{payments.term_days} giorni invece di {legal.shown()} ({legal.source.citation()})")


@rule("ESE008", "penalty-without-amount", Severity.WARNING, "Penale senza importo",
      rationale="Una penale senza importo o misura (euro, per mille, percentuale) non si può applicare: l'obbligo che "
                "dovrebbe presidiare, anche sociale, diventa inesigibile.",
      basis=[art("126", "art. 126 c. 1 d.lgs. 36/2023"), Basis("art. 47 c. 6 d.l. 77/2021")],
      status=Status.VERIFIED, fix="scrivere in ogni voce l'inadempimento e il suo importo («…: 500,00 € per ogni …»)")
def penalty_without_amount(ctx: Context) -> Iterable[Finding]:
    if not ctx.has_clause(PENALTIES):
        return
    params = ctx.params(PENALTIES)
    for name in ("penali_sociali", "penali_servizio"):
        for index, item in _items(params.get(name)):
            if not AMOUNT.search(item):
                yield ctx.finding(ctx.clause_at(PENALTIES, name) if index is None else
                                  ctx.at("clausole", ctx.clause_ids().index(PENALTIES), "parametri", name, index),
                                  f"«{item}» senza importo")


def _items(value: object) -> Iterator[tuple[int | None, str]]:
    if isinstance(value, list):
        yield from ((index, str(item)) for index, item in enumerate(value))


def _euro(value: Decimal) -> str:
    from capitolato.italian import euro

    return euro(value)


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


def _signed(value: Decimal) -> str:
    text = _number(value.quantize(Decimal("0.1")))
    return text if text.startswith("-") else f"+{text}"
