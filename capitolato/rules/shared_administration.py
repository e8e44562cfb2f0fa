"""CTS: shared administration under the Codice del Terzo settore (artt. 55–56 d.lgs. 117/2017), outside the Codice."""

from __future__ import annotations

import re
from collections.abc import Iterable

from capitolato.model.shared_admin import min_publication_days, shared_of
from capitolato.model.tender import ProcedureKind
from capitolato.rules.context import Context, affirmed
from capitolato.rules.finding import Finding, Severity
from capitolato.rules.registry import CTS, Basis, Status, art, rule

NOTICE = "avviso-oggetto"
PARTICIPANTS = "avviso-soggetti"
NOTICE_PATH = ("amministrazione_condivisa", "avviso")
PROCUREMENT_WORDS = re.compile(r"\b(ribass\w*|base d'asta|offerta economica|aggiudica\w*|prezz[oi]|corrispettiv\w*)\b",
                               re.IGNORECASE)
LIMITING = re.compile(r"\b(esclusivamente|solo|soltanto|unicamente|non)\b", re.IGNORECASE)
FOR_PROFIT = re.compile(r"\b(operatori economici|imprese|società commerciali)\b", re.IGNORECASE)
MARGIN = re.compile(r"\b(utile|utili|margine|mark-up|ricarico|compenso)\b", re.IGNORECASE)


@rule("CTS001", "co-design-notice-content", Severity.ERROR, "Avviso di co-progettazione incompleto",
      rationale="La co-progettazione sceglie i partner dopo aver definito obiettivi generali e specifici, durata, "
                "caratteristiche essenziali, criteri e modalità di selezione; l'avviso indica anche requisiti, "
                "quadro economico, ruolo dei soggetti non ETS e se il partner gestirà il servizio.",
      basis=[Basis("art. 55 cc. 3–4 d.lgs. 117/2017", CTS.format("55")), Basis("d.m. 31 marzo 2021, n. 72"),
             Basis("L.R. Toscana 22 luglio 2020, n. 65, art. 13")],
      status=Status.VERIFIED, fix="aggiungere le clausole dell'avviso (avviso-oggetto…); strategie, requisiti e criteri in "
          "amministrazione_condivisa.avviso")
def co_design_notice_content(ctx: Context) -> Iterable[Finding]:
    if ctx.spec.procedure.kind is not ProcedureKind.CO_DESIGN_55:
        return
    if not ctx.has_clause(NOTICE):
        yield ctx.finding(ctx.section("clausole"), f"manca la clausola {NOTICE}")
        return
    notice = shared_of(ctx.spec).notice
    for label, items, path in (("obiettivi specifici", ctx.spec.strategies, ("strategie",)),
                               ("requisiti", notice.requirements, (*NOTICE_PATH, "requisiti")),
                               ("criteri di selezione", notice.criteria, (*NOTICE_PATH, "criteri"))):
        if not items:
            yield ctx.finding(ctx.section(*path), f"elenco vuoto: {label}")


@rule("CTS002", "no-procurement-vocabulary", Severity.ERROR, "Lessico da appalto fuori dal Codice",
      rationale="Gli istituti del Titolo VII del Codice del Terzo settore sono fuori dal Codice dei contratti: "
                "avvisi e convenzioni non parlano di ribasso, base d'asta, offerta economica, prezzo, corrispettivo "
                "o aggiudicazione, che li farebbero riqualificare come appalti.",
      basis=[art("6", "art. 6 d.lgs. 36/2023"), Basis("Corte cost. n. 131/2020")], status=Status.VERIFIED,
      fix="usare contributo, rimborso delle spese documentate, proposta progettuale, individuazione del partner")
def no_procurement_vocabulary(ctx: Context) -> Iterable[Finding]:
    if not ctx.facts.outside_codice:
        return
    award = ctx.spec.award
    if award is not None and award.economic_points > 0:
        yield ctx.finding(ctx.at("aggiudicazione", "punti_economici"), "punteggio economico fuori dal Codice")
    for spot in ctx.free_texts():
        match = affirmed(PROCUREMENT_WORDS, spot.text)
        if match:
            where = f" (clausola {spot.clause_id})" if spot.clause_id else ""
            yield ctx.finding(ctx.at(*spot.path), f"«{match.group(0)}»{where}")


@rule("CTS003", "ets-only", Severity.ERROR, "Solo enti del Terzo settore come partner",
      rationale="Solo gli enti del Terzo settore possono essere partner della co-progettazione o accreditati; gli "
                "altri soggetti partecipano solo come sostenitori, finanziatori o per attività secondarie.",
      basis=[Basis("Corte cost. n. 131/2020"), Basis("art. 55 d.lgs. 117/2017", CTS.format("55"))],
      status=Status.VERIFIED, fix="limitare i requisiti agli ETS iscritti al RUNTS e il ruolo dei non ETS")
def ets_only(ctx: Context) -> Iterable[Finding]:
    if ctx.spec.procedure.kind not in (ProcedureKind.CO_DESIGN_55, ProcedureKind.ACCREDITATION_55):
        return
    role = ctx.params(PARTICIPANTS).get("ruolo_non_ets")
    if role and not LIMITING.search(role):
        yield ctx.finding(ctx.clause_at(PARTICIPANTS, "ruolo_non_ets"), "ruolo dei soggetti non ETS non limitato")
    if any(affirmed(FOR_PROFIT, item) for item in shared_of(ctx.spec).notice.requirements):
        yield ctx.finding(ctx.at(*NOTICE_PATH, "requisiti"), "i requisiti ammettono soggetti che non sono ETS")


@rule("CTS004", "co-design-publication-term", Severity.WARNING, "Pubblicazione dell'avviso sotto il minimo regionale",
      rationale="La legge toscana fissa in almeno 20 giorni la pubblicazione dell'avviso; per le altre regioni il "
                "termine è da verificare e 20 è il default prudente (capitolato/data/amministrazione-condivisa.yaml).",
      basis=[Basis("L.R. Toscana 22 luglio 2020, n. 65")], status=Status.VERIFIED,
      fix="amministrazione_condivisa.avviso.giorni_pubblicazione: almeno il minimo regionale", unsettled=True)
def co_design_publication_term(ctx: Context) -> Iterable[Finding]:
    shared = ctx.spec.shared_administration
    if shared is None or shared.notice.publication_days is None:
        return
    days, minimum = shared.notice.publication_days, min_publication_days(shared.region)
    if days < minimum:
        yield ctx.finding(ctx.at(*NOTICE_PATH, "giorni_pubblicazione"), f"{days} giorni, minimo {minimum}")


@rule("CTS005", "convention-56-form", Severity.ERROR, "Convenzione art. 56: solo rimborso delle spese documentate",
      rationale="Le convenzioni con ODV e APS iscritte al RUNTS da almeno sei mesi sono ammesse se più favorevoli "
                "del mercato, con il solo rimborso delle spese effettivamente sostenute e documentate: nessun "
                "margine o compenso.",
      basis=[Basis("art. 56 cc. 1–3 d.lgs. 117/2017", CTS.format("56"))], status=Status.VERIFIED,
      fix="aggiungere la clausola convenzione-art56; togliere voci di utile o compenso dai costi ammissibili")
def convention_56_form(ctx: Context) -> Iterable[Finding]:
    if ctx.spec.procedure.kind is not ProcedureKind.CONVENTION_56:
        return
    if not ctx.has_clause("convenzione-art56"):
        yield ctx.finding(ctx.section("clausole"), "manca la clausola convenzione-art56")
        return
    reimbursement = shared_of(ctx.spec).convention.reimbursement
    for index, cost in enumerate(reimbursement.costs if reimbursement else []):
        if affirmed(MARGIN, cost.item):
            yield ctx.finding(ctx.at("amministrazione_condivisa", "convenzione", "rimborso", "costi_ammissibili", index),
                              "voce di margine o compenso")
