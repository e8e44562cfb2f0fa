"""GAR: the tender procedure the disciplinare states (terms, lots and CIG, guarantees, requirements, commission)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from capitolato.model import law
from capitolato.model.placeholders import is_placeholder
from capitolato.model.tender import AwardMethod, ProcedureKind
from capitolato.model.tendering import days_to_deadline
from capitolato.rules.context import Context
from capitolato.rules.finding import Finding, Severity
from capitolato.rules.registry import Basis, Status, art, rule

WITH_DISCIPLINARE = frozenset({ProcedureKind.OPEN, ProcedureKind.NEGOTIATED, ProcedureKind.RESERVED_61,
                               ProcedureKind.RESERVED_129, ProcedureKind.CONCESSION})
OPEN = frozenset({ProcedureKind.OPEN, ProcedureKind.RESERVED_61, ProcedureKind.RESERVED_129})
GARA = ("gara",)


def _tendering(ctx: Context) -> bool:
    return ctx.spec.procedure.kind in WITH_DISCIPLINARE


def _minimum_days(ctx: Context) -> tuple[int, str]:
    """The minimum offer term of an open procedure: the reduced one only with a written reason (art. 71 c. 3)."""
    tendering, day = ctx.spec.tendering, ctx.spec.procedure.notice_date
    reduction = tendering.reduction
    key = ("termine_offerte_ridotto" if reduction is not None and not is_placeholder(reduction.explanation)
           else "termine_offerte_aperta")
    return int(law.number(key, day, "min")), key


@rule("GAR001", "offer-deadline-minimum", Severity.WARNING, "Termine per le offerte sotto il minimo di legge",
      rationale="Nella procedura aperta il termine per ricevere le offerte non è inferiore a 30 giorni dalla "
                "trasmissione del bando; può scendere a 15 giorni solo con un avviso di preinformazione o per "
                "un'urgenza motivata (gara.riduzione_termine). Il termine si misura qui dalla data di pubblicazione, "
                "che può seguire la trasmissione: la regola avvisa, non decide.",
      basis=[art("71", "art. 71 cc. 2–3 d.lgs. 36/2023")], status=Status.TO_VERIFY,
      fix="spostare gara.termine_offerte o motivare la riduzione in gara.riduzione_termine",
      values=("termine_offerte_aperta", "termine_offerte_ridotto"))
def offer_deadline_minimum(ctx: Context) -> Iterable[Finding]:
    if ctx.spec.procedure.kind not in OPEN:
        return
    days = days_to_deadline(ctx.spec.procedure.notice_date, ctx.spec.tendering)
    if days is None:
        return
    minimum, _ = _minimum_days(ctx)
    if days < minimum:
        yield ctx.finding(ctx.at(*GARA, "termine_offerte", "data"),
                          f"{days} giorni dalla pubblicazione, ne servono almeno {minimum}")


@rule("GAR002", "clarification-deadline", Severity.WARNING, "Chiarimenti senza il tempo di rispondere",
      rationale="La stazione appaltante risponde alle richieste di chiarimento presentate in tempo utile almeno "
                "sei giorni prima della scadenza delle offerte: il termine per le richieste deve lasciare questo "
                "margine.",
      basis=[art("88", "art. 88 d.lgs. 36/2023 (comma da verificare)"), Basis("bando-tipo ANAC n. 1, § 2.2")],
      status=Status.TO_VERIFY, fix="anticipare gara.termine_chiarimenti", values=("chiarimenti_anticipo",))
def clarification_deadline(ctx: Context) -> Iterable[Finding]:
    tendering = ctx.spec.tendering
    if not _tendering(ctx) or tendering.clarifications_deadline is None or tendering.offer_deadline is None:
        return
    margin = int(law.number("chiarimenti_anticipo", ctx.spec.procedure.notice_date, "min"))
    gap = (tendering.offer_deadline.date - tendering.clarifications_deadline.date).days
    if gap < margin:
        yield ctx.finding(ctx.at(*GARA, "termine_chiarimenti", "data"),
                          f"{gap} giorni prima della scadenza delle offerte, ne servono più di {margin}")


@rule("GAR003", "provisional-guarantee", Severity.ERROR, "Garanzia provvisoria fuori dalla misura dell'art. 106",
      rationale="La garanzia provvisoria è pari al 2 % del valore della procedura; la stazione appaltante può "
                "motivatamente ridurla fino all'1 % o aumentarla fino al 4 %. Una misura diversa dal 2 % o la "
                "rinuncia a chiederla vanno motivate negli atti di gara.",
      basis=[art("106", "art. 106 c. 1 d.lgs. 36/2023")], status=Status.TEXT_2023,
      fix="gara.garanzia_provvisoria.percentuale tra 1 e 4, con la motivazione se diversa da 2",
      values=("garanzia_provvisoria", "garanzia_provvisoria_misura"))
def provisional_guarantee(ctx: Context) -> Iterable[Finding]:
    if not _tendering(ctx) or _below_threshold(ctx):
        return
    guarantee, day = ctx.spec.tendering.provisional_guarantee, ctx.spec.procedure.notice_date
    path = (*GARA, "garanzia_provvisoria")
    if not guarantee.required:
        if is_placeholder(guarantee.reason):
            yield ctx.finding(ctx.section(*path), "garanzia non richiesta senza motivazione")
        return
    if guarantee.percent is None:
        return
    low, high = law.number("garanzia_provvisoria_misura", day, "min"), law.number("garanzia_provvisoria_misura",
                                                                                   day, "max")
    if not low <= guarantee.percent <= high:
        yield ctx.finding(ctx.at(*path, "percentuale"), f"{guarantee.percent} %, ammessa da {low} a {high} %")
    elif guarantee.percent != law.number("garanzia_provvisoria", day) and is_placeholder(guarantee.reason):
        yield ctx.finding(ctx.at(*path, "percentuale"), f"{guarantee.percent} % senza motivazione")


def _below_threshold(ctx: Context) -> bool:
    return ctx.spec.procedure.kind is ProcedureKind.NEGOTIATED and not ctx.facts.above_eu_threshold


@rule("GAR004", "provisional-guarantee-below-threshold", Severity.WARNING,
      "Garanzia provvisoria nella negoziata sotto soglia",
      rationale="Negli affidamenti sotto soglia dell'art. 50 la garanzia provvisoria non si chiede, salvo "
                "particolari esigenze indicate nella decisione di contrarre; se chiesta, non supera l'1 %.",
      basis=[art("53", "art. 53 cc. 1–2 d.lgs. 36/2023")], status=Status.TO_VERIFY,
      fix="gara.garanzia_provvisoria.richiesta: false, o percentuale fino a 1 con la motivazione",
      values=("garanzia_provvisoria_sotto_soglia",))
def provisional_guarantee_below_threshold(ctx: Context) -> Iterable[Finding]:
    if not _below_threshold(ctx):
        return
    guarantee = ctx.spec.tendering.provisional_guarantee
    if not guarantee.required:
        return
    path = (*GARA, "garanzia_provvisoria")
    cap = law.number("garanzia_provvisoria_sotto_soglia", ctx.spec.procedure.notice_date, "max")
    if guarantee.percent is None or guarantee.percent > cap:
        shown = f"{guarantee.percent} %" if guarantee.percent is not None else "misura ordinaria"
        yield ctx.finding(ctx.section(*path), f"{shown}, al massimo {cap} %")
    if is_placeholder(guarantee.reason):
        yield ctx.finding(ctx.section(*path), "richiesta senza le particolari esigenze che la giustificano")


@rule("GAR005", "turnover-cap", Severity.ERROR, "Fatturato richiesto oltre il limite dell'art. 100",
      rationale="Come requisito di capacità economica e finanziaria si può chiedere un fatturato non superiore al "
                "doppio del valore stimato dell'appalto: un requisito più alto restringe la concorrenza senza "
                "proporzione.",
      basis=[art("100", "art. 100 c. 11 d.lgs. 36/2023")], status=Status.TEXT_2023,
      fix="ridurre gara.requisiti.fatturato.importo", values=("fatturato_massimo",))
def turnover_cap(ctx: Context) -> Iterable[Finding]:
    turnover = ctx.spec.tendering.requirements.turnover
    if not _tendering(ctx) or turnover is None:
        return
    factor = law.number("fatturato_massimo", ctx.spec.procedure.notice_date, "max")
    cap = ctx.facts.estimated_value * factor
    if turnover.amount > cap:
        yield ctx.finding(ctx.at(*GARA, "requisiti", "fatturato", "importo"),
                          f"{turnover.amount} €, oltre {factor} volte il valore stimato ({cap} €)")


@rule("GAR006", "single-lot-reason", Severity.ERROR, "Lotto unico senza motivazione",
      rationale="Le stazioni appaltanti motivano nel bando o nella lettera di invito la mancata suddivisione "
                "dell'appalto in lotti, a tutela delle micro, piccole e medie imprese.",
      basis=[art("58", "art. 58 c. 2 d.lgs. 36/2023")], status=Status.TEXT_2023,
      fix="scrivere in procedura.motivazione_lotti perché l'appalto non è suddiviso in lotti")
def single_lot_reason(ctx: Context) -> Iterable[Finding]:
    procedure = ctx.spec.procedure
    if _tendering(ctx) and len(procedure.lots) <= 1 and is_placeholder(procedure.lot_split_reason):
        where = (ctx.section("procedura") if procedure.lot_split_reason is None
                 else ctx.at("procedura", "motivazione_lotti"))
        yield ctx.finding(where, "manca procedura.motivazione_lotti")


@rule("GAR007", "lot-cig", Severity.WARNING, "CIG mancante",
      rationale="Ogni lotto ha il proprio codice identificativo di gara, acquisito con la pubblicazione sulla "
                "piattaforma e riportato negli atti di gara e in ogni pagamento (tracciabilità).",
      basis=[art("23", "art. 23 d.lgs. 36/2023"), Basis("art. 3 c. 5 L. 136/2010",
             "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:legge:2010-08-13;136~art3")],
      status=Status.TEXT_2023, fix="indicare procedura.cig o il cig di ciascun lotto")
def lot_cig(ctx: Context) -> Iterable[Finding]:
    procedure = ctx.spec.procedure
    if not _tendering(ctx):
        return
    if not procedure.lots:
        if procedure.cig is None:
            yield ctx.finding(ctx.section("procedura"), "manca procedura.cig")
        return
    for index, lot in enumerate(procedure.lots):
        if lot.cig is None:
            yield ctx.finding(ctx.section("procedura", "lotti", index), f"lotto {lot.number} senza CIG")


@rule("GAR008", "tender-essentials", Severity.ERROR, "Piattaforma o termine delle offerte mancanti",
      rationale="La procedura si svolge su una piattaforma di approvvigionamento digitale certificata e il bando "
                "fissa il termine per ricevere le offerte: senza l'una o l'altro il disciplinare non si può "
                "pubblicare.",
      basis=[art("25", "art. 25 d.lgs. 36/2023"), art("71", "art. 71 d.lgs. 36/2023")], status=Status.TEXT_2023,
      fix="indicare gara.piattaforma (nome, indirizzo) e gara.termine_offerte (data, ora)")
def tender_essentials(ctx: Context) -> Iterable[Finding]:
    if not _tendering(ctx):
        return
    tendering = ctx.spec.tendering
    if tendering.platform is None:
        yield ctx.finding(ctx.section(*GARA), "manca gara.piattaforma")
    if tendering.offer_deadline is None:
        yield ctx.finding(ctx.section(*GARA), "manca gara.termine_offerte")


@rule("GAR009", "commission-size", Severity.WARNING, "Commissione giudicatrice di composizione non ammessa",
      rationale="La commissione giudicatrice è composta da un numero dispari di componenti, non superiore a "
                "cinque, esperti nel settore dell'appalto.",
      basis=[art("93", "art. 93 d.lgs. 36/2023 (comma da verificare)")], status=Status.TO_VERIFY,
      fix="gara.commissione.componenti: 3 o 5", values=("commissione_componenti",))
def commission_size(ctx: Context) -> Iterable[Finding]:
    award = ctx.spec.award
    if not _tendering(ctx) or award is None or award.method is AwardMethod.LOWEST_PRICE:
        return
    members, day = ctx.spec.tendering.commission.members, ctx.spec.procedure.notice_date
    low, high = law.number("commissione_componenti", day, "min"), law.number("commissione_componenti", day, "max")
    if members % 2 == 0 or not low <= Decimal(members) <= high:
        yield ctx.finding(ctx.at(*GARA, "commissione", "componenti"),
                          f"{members} componenti, ne servono un numero dispari da {low} a {high}")


@rule("GAR010", "reversed-order-open-only", Severity.ERROR, "Inversione procedimentale fuori dalla procedura aperta",
      rationale="Solo nelle procedure aperte la stazione appaltante può disporre negli atti di gara che le offerte "
                "siano esaminate prima della verifica dell'idoneità degli offerenti.",
      basis=[art("107", "art. 107 c. 3 d.lgs. 36/2023")], status=Status.TEXT_2023,
      fix="togliere gara.inversione_procedimentale o scegliere la procedura aperta")
def reversed_order_open_only(ctx: Context) -> Iterable[Finding]:
    if ctx.spec.tendering.reversed_order and _tendering(ctx) and ctx.spec.procedure.kind not in OPEN:
        yield ctx.finding(ctx.at(*GARA, "inversione_procedimentale"), ctx.spec.procedure.kind.value)


@rule("GAR011", "site-visit-time", Severity.WARNING, "Sopralluogo obbligatorio senza tempo sufficiente",
      rationale="Quando le offerte si possono formulare solo dopo una visita dei luoghi, i termini sono più lunghi "
                "del minimo, così che tutti gli operatori possano conoscere i luoghi; il sopralluogo va concluso "
                "prima della scadenza delle offerte.",
      basis=[art("92", "art. 92 c. 1 d.lgs. 36/2023")], status=Status.TO_VERIFY,
      fix="allungare gara.termine_offerte oltre il minimo e fissare gara.sopralluogo.termine prima della scadenza",
      values=("termine_offerte_aperta",))
def site_visit_time(ctx: Context) -> Iterable[Finding]:
    tendering = ctx.spec.tendering
    visit = tendering.site_visit
    if not _tendering(ctx) or not visit.required:
        return
    path = (*GARA, "sopralluogo")
    days = days_to_deadline(ctx.spec.procedure.notice_date, tendering)
    if days is not None and ctx.spec.procedure.kind in OPEN and days <= _minimum_days(ctx)[0]:
        yield ctx.finding(ctx.section(*path), f"termine per le offerte di {days} giorni, pari al minimo")
    if visit.deadline is None or is_placeholder(visit.how):
        yield ctx.finding(ctx.section(*path), "mancano il termine o le modalità del sopralluogo")
    elif tendering.offer_deadline is not None and visit.deadline >= tendering.offer_deadline.date:
        yield ctx.finding(ctx.at(*path, "termine"), "il sopralluogo termina dopo la scadenza delle offerte")
