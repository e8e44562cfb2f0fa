"""AMM: the documents of the routes outside the Codice — the co-design avviso, the conventions (artt. 55–56 CTS,
art. 5 L. 381/1991) and the SGEI entrustment act — have what the law and an officer's publication need."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

from capitolato.model.shared_admin import Convention, SharedAdministration, shared_of
from capitolato.model.tender import Criterion, ProcedureKind
from capitolato.rules.context import Context, affirmed
from capitolato.rules.finding import Finding, Severity
from capitolato.rules.registry import CTS, L381, Basis, Status, rule
from capitolato.spec.yamlsource import NodePath

NOTICE_ROUTES = (ProcedureKind.CO_DESIGN_55, ProcedureKind.CONVENTION_56)
CONVENTION_ROUTES = (ProcedureKind.CO_DESIGN_55, ProcedureKind.CONVENTION_56, ProcedureKind.CONVENTION_381)
REIMBURSED_ROUTES = (ProcedureKind.CO_DESIGN_55, ProcedureKind.CONVENTION_56)
NOTICE: NodePath = ("amministrazione_condivisa", "avviso")
CONVENTION: NodePath = ("amministrazione_condivisa", "convenzione")
ENTRUSTMENT: NodePath = ("amministrazione_condivisa", "incarico_sieg")
BEYOND_COSTS = re.compile(r"\b(utile|utili|margine|margini|mark-up|ricarico|maggiorazion\w*|forfait\w*|forfettari\w*|"
                          r"compens[oi]|remunerazion\w*|premio)\b", re.IGNORECASE)
TERRITORIAL = re.compile(r"\b(sede (legale |operativa )?(nel|nella|in)|residen\w*|radicament\w*|"
                         r"nel territorio (comunale|provinciale|regionale|dell'ambito|del distretto))\b", re.IGNORECASE)
DM72 = Basis("d.m. Lavoro e politiche sociali 31 marzo 2021, n. 72 (linee guida)")
DECISION = Basis("Decisione 2012/21/UE, artt. 4–6", "https://eur-lex.europa.eu/eli/dec/2012/21/oj")


def _kind(ctx: Context) -> ProcedureKind:
    return ctx.spec.procedure.kind


def _shared(ctx: Context) -> SharedAdministration:
    return shared_of(ctx.spec)


@rule("AMM001", "notice-deadline-channel", Severity.ERROR, "Avviso senza termine, canale o documenti da presentare",
      rationale="Un avviso al quale non si può rispondere non apre il procedimento: deve dire entro quale giorno e "
                "ora, con quale canale (PEC o piattaforma) e con quali documenti gli enti presentano le proposte.",
      basis=[Basis("art. 55 c. 4 d.lgs. 117/2017", CTS.format("55")), DM72, Basis("L. 241/1990, art. 12")],
      status=Status.VERIFIED,
      fix="compilare amministrazione_condivisa.avviso.termine (data, ora), canale (tipo, indirizzo) e documenti; "
          "aggiungere la clausola avviso-presentazione")
def notice_deadline_channel(ctx: Context) -> Iterable[Finding]:
    if _kind(ctx) not in NOTICE_ROUTES:
        return
    notice = _shared(ctx).notice
    missing = [label for label, value in (("termine di presentazione", notice.deadline),
                                          ("canale di presentazione", notice.channel),
                                          ("documenti da presentare", notice.documents)) if not value]
    if missing:
        yield ctx.finding(ctx.section(*NOTICE), ", ".join(missing))
    if not ctx.has_clause("avviso-presentazione"):
        yield ctx.finding(ctx.section("clausole"), "manca la clausola avviso-presentazione")


@rule("AMM002", "notice-deadline-term", Severity.WARNING, "Termine di presentazione troppo vicino alla pubblicazione",
      rationale="Tra la pubblicazione dell'avviso e la scadenza devono passare almeno i giorni di pubblicazione "
                "(il minimo regionale o quelli dichiarati): un termine più breve restringe la partecipazione.",
      basis=[Basis("L.R. Toscana 22 luglio 2020, n. 65, art. 13"), Basis("art. 55 c. 4 d.lgs. 117/2017",
                                                                         CTS.format("55"))],
      status=Status.TO_VERIFY, fix="spostare amministrazione_condivisa.avviso.termine.data o la data di pubblicazione")
def notice_deadline_term(ctx: Context) -> Iterable[Finding]:
    if _kind(ctx) not in NOTICE_ROUTES:
        return
    deadline = _shared(ctx).notice.deadline
    if deadline is None:
        return
    days = (deadline.date - ctx.spec.procedure.notice_date).days
    if days < ctx.facts.publication_days:
        yield ctx.finding(ctx.at(*NOTICE, "termine", "data"),
                          f"{days} giorni dalla pubblicazione, minimo {ctx.facts.publication_days}")


@rule("AMM003", "criteria-threshold", Severity.ERROR, "Criteri di valutazione senza punti o senza soglia minima",
      rationale="Criteri e modalità di selezione si definiscono prima di scegliere i partner: ogni criterio e "
                "sottocriterio ha il suo punteggio massimo, i sottocriteri sommano al criterio e una soglia minima "
                "dice quali proposte accedono al tavolo.",
      basis=[Basis("art. 55 c. 4 d.lgs. 117/2017", CTS.format("55")), Basis("L. 241/1990, art. 12"), DM72],
      status=Status.VERIFIED,
      fix="dare i punti a ogni criterio di amministrazione_condivisa.avviso.criteri e indicare soglia_minima")
def criteria_threshold(ctx: Context) -> Iterable[Finding]:
    if _kind(ctx) not in NOTICE_ROUTES:
        return
    notice = _shared(ctx).notice
    if not notice.criteria:
        yield ctx.finding(ctx.section(*NOTICE), "nessun criterio di valutazione")
        return
    yield from _criteria_points(ctx, notice.criteria, (*NOTICE, "criteri"))
    total = sum((c.points or Decimal(0) for c in notice.criteria), Decimal(0))
    if notice.threshold is None:
        yield ctx.finding(ctx.section(*NOTICE), "manca la soglia_minima")
    elif not Decimal(0) < notice.threshold < total:
        yield ctx.finding(ctx.at(*NOTICE, "soglia_minima"), f"soglia {notice.threshold} su {total} punti")


def _criteria_points(ctx: Context, criteria: list[Criterion], base: NodePath) -> Iterator[Finding]:
    for index, criterion in enumerate(criteria):
        path = (*base, index)
        if criterion.points is None:
            yield ctx.finding(ctx.at(*path, "codice"), f"criterio {criterion.code} senza punti")
            continue
        parts = [c.points for c in criterion.subcriteria if c.points is not None]
        if criterion.subcriteria and sum(parts, Decimal(0)) != criterion.points:
            yield ctx.finding(ctx.at(*path, "punti"),
                              f"i sottocriteri di {criterion.code} sommano a {sum(parts, Decimal(0))}, "
                              f"non a {criterion.points}")
        yield from _criteria_points(ctx, criterion.subcriteria, (*path, "sottocriteri"))


@rule("AMM004", "reimbursement-documented-costs", Severity.ERROR, "Rimborso oltre le spese documentate",
      rationale="Nell'amministrazione condivisa le risorse pubbliche rimborsano spese effettivamente sostenute e "
                "documentate, con i costi indiretti per la sola quota attribuibile: un forfait, un margine o un "
                "compenso trasformano il rimborso nel pagamento di un servizio.",
      basis=[Basis("art. 56 cc. 2, 4 d.lgs. 117/2017", CTS.format("56")), DM72, Basis("L. 241/1990, art. 12")],
      status=Status.VERIFIED,
      fix="amministrazione_condivisa.convenzione.rimborso: solo voci di spesa documentate, forfettario: false, "
          "quota e criterio di imputazione dei costi indiretti")
def reimbursement_documented_costs(ctx: Context) -> Iterable[Finding]:
    if _kind(ctx) not in REIMBURSED_ROUTES:
        return
    reimbursement = _shared(ctx).convention.reimbursement
    path = (*CONVENTION, "rimborso")
    if reimbursement is None:
        yield ctx.finding(ctx.section(*CONVENTION), "manca la disciplina del rimborso (rimborso)")
        return
    if reimbursement.lump_sum:
        yield ctx.finding(ctx.at(*path, "forfettario"), "rimborso forfettario")
    for index, cost in enumerate(reimbursement.costs):
        if affirmed(BEYOND_COSTS, cost.item):
            yield ctx.finding(ctx.at(*path, "costi_ammissibili", index, "voce"), f"«{cost.item}»")
    if not reimbursement.costs:
        yield ctx.finding(ctx.section(*path), "nessuna voce di spesa ammissibile")
    if reimbursement.indirect_share is not None and not reimbursement.indirect_method:
        yield ctx.finding(ctx.at(*path, "quota_costi_indiretti"),
                          "costi indiretti senza criterio di imputazione (criterio_imputazione)")


ART56_CONTENT = (
    ("continuità delle attività", lambda c: c.continuity, "continuita"),
    ("diritti e dignità degli utenti", lambda c: c.users_rights, "diritti_utenti"),
    ("verifiche e controllo di qualità", lambda c: c.quality_checks, "controlli_qualita"),
    ("coperture assicurative (art. 18)", lambda c: c.insurance, "assicurazione"),
    ("numero e attività dei volontari", lambda c: c.volunteers and c.volunteers.activities, "volontari"),
    ("numero e qualifiche del personale", lambda c: c.staff, "personale"),
    ("rimborso delle sole spese documentate", lambda c: c.reimbursement and c.reimbursement.costs, "rimborso"),
)
ART56_CLAUSES = ("convenzione-art56", "convenzione-personale", "convenzione-rimborso", "convenzione-controlli",
                 "convenzione-risoluzione")


@rule("AMM005", "convention-56-content", Severity.ERROR, "Convenzione art. 56 senza il contenuto del comma 4",
      rationale="La convenzione con ODV o APS deve prevedere durata, continuità delle prestazioni, rispetto dei "
                "diritti e della dignità degli utenti, numero e qualifiche delle persone impegnate, coperture "
                "assicurative dei volontari, verifiche e controllo di qualità, cause di risoluzione e rapporti "
                "finanziari limitati al rimborso delle spese effettive, con i costi indiretti nella quota attribuibile.",
      basis=[Basis("art. 56 c. 4 d.lgs. 117/2017", CTS.format("56")), Basis("art. 18 d.lgs. 117/2017",
                                                                           CTS.format("18")),
             Basis("L.R. Toscana 22 luglio 2020, n. 65, art. 15 c. 3")],
      status=Status.TO_VERIFY,
      fix="compilare amministrazione_condivisa.convenzione (continuita, diritti_utenti, controlli_qualita, "
          "assicurazione, volontari, personale, rimborso) e includere le clausole della convenzione")
def convention_56_content(ctx: Context) -> Iterable[Finding]:
    if _kind(ctx) is not ProcedureKind.CONVENTION_56:
        return
    convention = _shared(ctx).convention
    for label, present, key in ART56_CONTENT:
        if not present(convention):
            yield ctx.finding(ctx.section(*CONVENTION, key), label)
    missing = [clause for clause in ART56_CLAUSES if not ctx.has_clause(clause)]
    if missing:
        yield ctx.finding(ctx.section("clausole"), f"mancano le clausole {', '.join(missing)}")


@rule("AMM006", "sgei-compensation-parameters", Severity.ERROR, "Atto di incarico SIEG senza i parametri di compensazione",
      rationale="L'atto di incarico descrive il meccanismo di compensazione e i parametri per calcolarla, "
                "controllarla e rivederla (costi, ricavi, utile ragionevole) e le modalità per evitare e recuperare "
                "le sovracompensazioni: senza, la compensazione non rientra nella Decisione.",
      basis=[DECISION], status=Status.TO_VERIFY,
      fix="compilare amministrazione_condivisa.incarico_sieg.compensazione (parametri, costi, ricavi, verifiche) "
          "e includere le clausole sieg-compensazione e sieg-sovracompensazione")
def sgei_compensation_parameters(ctx: Context) -> Iterable[Finding]:
    if _kind(ctx) is not ProcedureKind.SGEI_ENTRUSTMENT:
        return
    compensation = _shared(ctx).entrustment.compensation
    path = (*ENTRUSTMENT, "compensazione")
    if compensation is None:
        yield ctx.finding(ctx.section(*ENTRUSTMENT), "manca la compensazione")
    else:
        missing = [label for label, value in (("parametri", compensation.parameters), ("costi", compensation.costs),
                                              ("ricavi", compensation.revenues),
                                              ("verifiche", compensation.checks)) if not value]
        if missing:
            yield ctx.finding(ctx.section(*path), ", ".join(missing))
    absent = [c for c in ("sieg-compensazione", "sieg-sovracompensazione") if not ctx.has_clause(c)]
    if absent:
        yield ctx.finding(ctx.section("clausole"), f"mancano le clausole {', '.join(absent)}")


@rule("AMM007", "convention-381-plan", Severity.ERROR, "Convenzione L. 381 senza piano di inserimento o selezione",
      rationale="La convenzione con la cooperativa di tipo B esiste per creare lavoro per persone svantaggiate: "
                "deve dire quante persone, con quali mansioni, con quale tutor, formazione e verifiche, e citare "
                "la procedura trasparente con cui la cooperativa è stata scelta.",
      basis=[Basis("art. 5 c. 1 L. 381/1991", L381.format("5")), Basis("parere ANAC n. 39/2015"),
             Basis("L. 190/2014, art. 1 c. 610 (da verificare)")],
      status=Status.VERIFIED,
      fix="compilare amministrazione_condivisa.convenzione.inserimento_lavorativo e selezione; includere la "
          "clausola convenzione-381-inserimento")
def convention_381_plan(ctx: Context) -> Iterable[Finding]:
    if _kind(ctx) is not ProcedureKind.CONVENTION_381:
        return
    convention = _shared(ctx).convention
    plan = convention.work_integration
    if plan is None:
        yield ctx.finding(ctx.section(*CONVENTION), "manca il piano di inserimento lavorativo")
    else:
        missing = [label for label, value in (("mansioni", plan.roles), ("tutor", plan.tutor),
                                              ("formazione", plan.training), ("verifiche", plan.verification))
                   if not value]
        if missing:
            yield ctx.finding(ctx.section(*CONVENTION, "inserimento_lavorativo"), ", ".join(missing))
    if convention.selection is None:
        yield ctx.finding(ctx.section(*CONVENTION), "manca la procedura di selezione (selezione)")
    if not ctx.has_clause("convenzione-381-inserimento"):
        yield ctx.finding(ctx.section("clausole"), "manca la clausola convenzione-381-inserimento")


@rule("AMM008", "convention-parties", Severity.WARNING, "Convenzione senza parti o firmatari",
      rationale="Una convenzione si firma: servono la controparte con il suo legale rappresentante, il firmatario "
                "dell'ente e l'atto che ha concluso la procedura di scelta, citato nelle premesse.",
      basis=[Basis("art. 11 L. 241/1990"), Basis("art. 24 d.lgs. 82/2005")], status=Status.DESIGN,
      fix="compilare amministrazione_condivisa.convenzione.partner (denominazione, rappresentante), "
          "firmatario_ente e selezione")
def convention_parties(ctx: Context) -> Iterable[Finding]:
    if _kind(ctx) not in CONVENTION_ROUTES:
        return
    missing = _missing_parties(_shared(ctx).convention)
    if missing:
        yield ctx.finding(ctx.section(*CONVENTION), ", ".join(missing))


def _missing_parties(convention: Convention) -> list[str]:
    partner = convention.partner
    return [label for label, value in (("controparte", partner),
                                       ("legale rappresentante", partner and partner.representative),
                                       ("firmatario dell'ente", convention.authority_signatory),
                                       ("atto di selezione", convention.selection)) if not value]


@rule("AMM009", "territorial-restriction", Severity.WARNING, "Restrizione territoriale non motivata",
      rationale="Chiedere una sede o un'esperienza nel territorio come requisito restringe la partecipazione degli "
                "enti e contrasta con la parità di trattamento, salvo una motivazione legata al progetto; il "
                "radicamento si valuta di norma tra i criteri.",
      basis=[Basis("art. 55 c. 4 d.lgs. 117/2017", CTS.format("55")), DM72], status=Status.DESIGN,
      fix="spostare il requisito tra i criteri, o motivarlo in amministrazione_condivisa.avviso.limitazione_territoriale")
def territorial_restriction(ctx: Context) -> Iterable[Finding]:
    if _kind(ctx) not in NOTICE_ROUTES:
        return
    notice = _shared(ctx).notice
    if notice.territorial_limit is not None:
        return
    for index, requirement in enumerate(notice.requirements):
        if TERRITORIAL.search(requirement):
            yield ctx.finding(ctx.at(*NOTICE, "requisiti", index), f"«{requirement}»")
