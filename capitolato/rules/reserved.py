"""RES: reserved contracts (artt. 61, 129 d.lgs. 36/2023) and conventions with type-B social coops (L. 381/1991)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from capitolato.model import law
from capitolato.model.facts import socio_health_educational, thresholds_on
from capitolato.model.tender import AuthorityType, ProcedureKind
from capitolato.rules.context import Context
from capitolato.rules.finding import Finding, Severity
from capitolato.rules.registry import L381, Basis, Status, art, rule

MINIMUM_SHARE = Decimal(30)
THIRTY_PERCENT = re.compile(r"\b30\s*(%|per\s*cento)|trenta per cento", re.IGNORECASE)


@rule("RES001", "reserved-61-form", Severity.ERROR, "Riserva dell'art. 61 incompleta",
      rationale="Il bando dichiara espressamente la riserva (di partecipazione o di esecuzione in programmi di lavoro "
                "protetti) e la condizione che almeno il 30 % dei lavoratori sia con disabilità o svantaggiato, "
                "secondo le categorie del comma 4.",
      basis=[art("61", "art. 61 cc. 1, 3, 4 d.lgs. 36/2023")], status=Status.TEXT_2023,
      fix="aggiungere la clausola riservato-art61 (e programmi-lavoro-protetti se la riserva è di esecuzione)")
def reserved_61_form(ctx: Context) -> Iterable[Finding]:
    if ctx.spec.procedure.kind is not ProcedureKind.RESERVED_61:
        return
    if not ctx.has_clause("riservato-art61"):
        yield ctx.finding(ctx.section("clausole"), "manca la dichiarazione della riserva e della quota del 30 % "
                                                   "(clausola riservato-art61)")
        return
    params = ctx.params("riservato-art61")
    share = params.get("quota_minima")
    if share is None or Decimal(share) < MINIMUM_SHARE:
        yield ctx.finding(ctx.clause_at("riservato-art61", "quota_minima"), f"quota di lavoratori svantaggiati {share} %")
    if params.get("tipo_riserva") == "esecuzione" and not ctx.has_clause("programmi-lavoro-protetti"):
        yield ctx.finding(ctx.clause_at("riservato-art61", "tipo_riserva"),
                          "riserva di esecuzione senza il programma di lavoro protetto")


@rule("RES002", "reserved-129-form", Severity.ERROR, "Riserva dell'art. 129 incompleta",
      rationale="La riserva dell'art. 129 vale solo per i servizi sanitari, sociali e culturali dell'Allegato XIV, "
                "per organizzazioni con missione di servizio pubblico, per non più di tre anni e non per chi ne ha "
                "già beneficiato nei tre anni precedenti.",
      basis=[art("129", "art. 129 cc. 2–4 d.lgs. 36/2023")], status=Status.VERIFIED,
      fix="aggiungere la clausola riservato-art129; durata con rinnovi, opzioni e proroga entro il limite; solo "
          "servizi dell'Allegato XIV",
      values=("riserva_art129_durata", "riserva_art129_esclusione"))
def reserved_129_form(ctx: Context) -> Iterable[Finding]:
    procedure = ctx.spec.procedure
    if procedure.kind is not ProcedureKind.RESERVED_129:
        return
    if not ctx.facts.social_service:
        yield ctx.finding(ctx.at("procedura", "cpv"), "servizio non compreso nell'Allegato XIV")
    if not ctx.has_clause("riservato-art129"):
        yield ctx.finding(ctx.section("clausole"), "mancano le tre condizioni e l'esclusione triennale "
                                                   "(clausola riservato-art129)")
    months = (procedure.duration_months + procedure.renewal_months + procedure.option_months
              + procedure.extension_months)
    limit = law.on("riserva_art129_durata", procedure.notice_date).bound("max")
    if limit is not None and months > limit:
        yield ctx.finding(ctx.at("procedura", "durata_mesi"),
                          f"durata complessiva (con rinnovi, opzioni e proroga) di {months} mesi, oltre {limit}")


@rule("RES003", "convention-381-eligibility", Severity.ERROR, "Convenzione L. 381/1991 non ammessa",
      rationale="La convenzione diretta con una cooperativa sociale di tipo B deroga alle regole dei contratti "
                "pubblici solo sotto la soglia europea dei servizi, per beni e servizi diversi da quelli "
                "socio-sanitari ed educativi (decisi da oggetto e CPV, non dal solo flag), con finalità di "
                "inserimento lavorativo e una selezione trasparente. Si controllano solo le condizioni verificate.",
      basis=[Basis("art. 5 c. 1 L. 381/1991", L381.format("5")), Basis("artt. 1, 4, 8 L. 381/1991", L381.format("1")),
             art("14", "art. 14 d.lgs. 36/2023")],
      status=Status.VERIFIED, fix="sopra soglia o per servizi socio-sanitari usare una procedura del Codice "
                                  "(eventualmente riservata, art. 61)")
def convention_381_eligibility(ctx: Context) -> Iterable[Finding]:
    procedure = ctx.spec.procedure
    if procedure.kind is not ProcedureKind.CONVENTION_381:
        return
    thresholds = thresholds_on(procedure.notice_date)
    limit = (thresholds.services_central if procedure.authority_type is AuthorityType.CENTRAL
             else thresholds.services_sub_central)
    if ctx.facts.estimated_value >= limit:
        where = "valore_stimato" if ctx.spec.amounts.declared_estimated_value is not None else "base"
        yield ctx.finding(ctx.at("importi", where),
                          f"valore stimato {ctx.facts.estimated_value} € non inferiore alla soglia di {limit} €")
    if socio_health_educational(ctx.spec):
        yield ctx.finding(ctx.at("procedura", "cpv"), "oggetto o CPV socio-sanitario o educativo")
    if not ctx.has_clause("convenzione-381"):
        yield ctx.finding(ctx.section("clausole"), "manca la clausola convenzione-381 (oggetto, persone svantaggiate, "
                                                   "procedura di selezione)")


@rule("RES004", "disadvantaged-30", Severity.ERROR, "Dichiarare il 30 % di lavoratori svantaggiati",
      rationale="Una cooperativa di tipo B conta almeno il 30 % di persone svantaggiate tra i lavoratori, condizione "
                "documentata dalla pubblica amministrazione: la convenzione deve dichiararlo.",
      basis=[Basis("art. 4 c. 2 L. 381/1991", L381.format("4"))], status=Status.VERIFIED,
      fix="usare il testo della clausola convenzione-381, che contiene la dichiarazione")
def disadvantaged_30(ctx: Context) -> Iterable[Finding]:
    text = ctx.texts.get("convenzione-381")
    if text is not None and not THIRTY_PERCENT.search(text):
        yield ctx.finding(ctx.clause_at("convenzione-381"), "il testo della convenzione non dichiara la quota")
