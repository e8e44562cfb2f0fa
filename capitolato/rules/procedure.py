"""PRC: procedure and value (artt. 14, 50, 127–128 d.lgs. 36/2023)."""

from __future__ import annotations

from collections.abc import Iterable

from capitolato.model import law
from capitolato.model.facts import social_by_nature, socio_health_educational
from capitolato.model.placeholders import is_placeholder
from capitolato.model.tender import ProcedureKind
from capitolato.rules.context import Context
from capitolato.rules.finding import Finding, Severity
from capitolato.rules.registry import Basis, Status, art, rule

UNPUBLISHED = frozenset({ProcedureKind.NEGOTIATED, ProcedureKind.DIRECT_AWARD})


@rule("PRC001", "social-regime-by-threshold", Severity.ERROR, "Applicare il regime di pubblicità dell'art. 127",
      rationale="I servizi sociali dell'Allegato XIV di valore stimato pari o superiore a 750.000 € si affidano con "
                "bando o avviso di preinformazione e avviso di aggiudicazione: non con negoziata senza bando o "
                "affidamento diretto, salvo la negoziata senza bando nei casi dell'art. 76 (art. 127 c. 2), "
                "da indicare in procedura.motivo_art76.",
      basis=[art("127", "artt. 14, 127 cc. 1–2, 128 d.lgs. 36/2023"), art("76", "art. 76 d.lgs. 36/2023")],
      status=Status.VERIFIED,
      fix="procedura.tipo: aperta (o avviso di preinformazione periodico), o procedura.motivo_art76",
      values=("soglia_servizi_sociali",))
def social_regime_by_threshold(ctx: Context) -> Iterable[Finding]:
    procedure = ctx.spec.procedure
    exempt = procedure.kind is ProcedureKind.NEGOTIATED and not is_placeholder(procedure.art76_ground)
    if ctx.facts.above_social_threshold and procedure.kind in UNPUBLISHED and not exempt:
        yield ctx.finding(ctx.at("procedura", "tipo"),
                          f"valore stimato {ctx.facts.estimated_value} € con {ctx.spec.procedure.kind.value}")


@rule("PRC002", "direct-award-social", Severity.WARNING, "Servizio sociale: serve un confronto competitivo con OEPV",
      rationale="Per il MIT (parere n. 2103 del 5.7.2023) anche sotto i 140.000 € i servizi sociali richiedono un "
                "confronto competitivo con l'offerta economicamente più vantaggiosa.",
      basis=[art("50", "art. 50 d.lgs. 36/2023"), Basis("MIT, Supporto giuridico, parere n. 2103 del 5.7.2023")],
      status=Status.VERIFIED,
      fix="confrontare più operatori con criteri di qualità, o motivare con una deroga")
def direct_award_social(ctx: Context) -> Iterable[Finding]:
    if ctx.facts.social_service and ctx.spec.procedure.kind is ProcedureKind.DIRECT_AWARD:
        yield ctx.finding(ctx.at("procedura", "tipo"))


@rule("PRC003", "estimated-value-complete", Severity.ERROR, "Valore stimato incompleto",
      rationale="Il valore stimato comprende opzioni, rinnovi e proroga tecnica; decide soglie e procedura. "
                "Un appalto in lotti ne motiva la suddivisione e i lotti sommano l'importo a base.",
      basis=[art("14", "art. 14 cc. 4, 6, 9 d.lgs. 36/2023")], status=Status.TEXT_2023,
      fix="valore_stimato = base + opzioni + rinnovi + proroga tecnica; motivazione_lotti")
def estimated_value_complete(ctx: Context) -> Iterable[Finding]:
    declared = ctx.spec.amounts.declared_estimated_value
    if declared is not None and declared != ctx.facts.estimated_value:
        yield ctx.finding(ctx.at("importi", "valore_stimato"),
                          f"dichiarato {declared} €, calcolato {ctx.facts.estimated_value} €")
    procedure = ctx.spec.procedure
    if len(procedure.lots) > 1 and not procedure.lot_split_reason:
        yield ctx.finding(ctx.section("procedura", "lotti"), "suddivisione in lotti non motivata")
    lots_total = sum((lot.amount for lot in procedure.lots), start=ctx.spec.amounts.base_amount * 0)
    if procedure.lots and lots_total != ctx.spec.amounts.base_amount:
        yield ctx.finding(ctx.section("procedura", "lotti"),
                          f"i lotti sommano {lots_total} €, la base è {ctx.spec.amounts.base_amount} €")


@rule("PRC004", "procedure-by-value", Severity.ERROR, "Procedura non ammessa per il valore stimato",
      rationale="L'art. 50 sceglie la procedura per valore: servizi e forniture sotto 140.000 € con affidamento "
                "diretto; da 140.000 € alla soglia europea con negoziata senza bando consultando almeno cinque "
                "operatori; dalla soglia in su con le procedure ordinarie. I valori sono quelli in vigore alla "
                "data di pubblicazione.",
      basis=[art("50", "art. 50 c. 1 lett. b), e) d.lgs. 36/2023"), art("14", "art. 14 d.lgs. 36/2023")],
      status=Status.TEXT_2023, fix="scegliere la procedura adatta al valore; per la negoziata indicare "
                                   "procedura.operatori_invitati (almeno cinque)",
      values=("affidamento_diretto_servizi", "negoziata_servizi_operatori", "soglia_servizi_sub_centrale",
              "soglia_servizi_centrale", "soglia_servizi_sociali"))
def procedure_by_value(ctx: Context) -> Iterable[Finding]:
    procedure, facts = ctx.spec.procedure, ctx.facts
    day, value = procedure.notice_date, facts.estimated_value
    if procedure.kind is ProcedureKind.DIRECT_AWARD:
        limit = law.number("affidamento_diretto_servizi", day)
        if value >= limit:
            yield ctx.finding(ctx.at("procedura", "tipo"),
                              f"affidamento diretto con valore stimato {value} € (limite: meno di {limit} €)")
    if procedure.kind is not ProcedureKind.NEGOTIATED:
        return
    if facts.above_eu_threshold and is_placeholder(procedure.art76_ground):
        yield ctx.finding(ctx.at("procedura", "tipo"),
                          f"negoziata senza bando con valore stimato {value} € non inferiore alla soglia di "
                          f"{facts.eu_threshold} €")
    minimum = law.number("negoziata_servizi_operatori", day)
    invited = procedure.invited_operators
    if invited is None:
        yield ctx.finding(ctx.section("procedura"), "numero di operatori invitati non indicato "
                                                    "(procedura.operatori_invitati)")
    elif invited < minimum and is_placeholder(procedure.art76_ground):
        yield ctx.finding(ctx.at("procedura", "operatori_invitati"),
                          f"{invited} operatori invitati, ne servono almeno {minimum}")


@rule("PRC005", "service-nature-override", Severity.ERROR, "Natura del servizio dichiarata contro oggetto e CPV",
      rationale="Se un servizio è sociale, socio-sanitario o educativo lo decidono il suo oggetto e i codici CPV "
                "(Allegato XIV): nelle procedure del Codice la dichiarazione caratteristiche.servizi_sociali può "
                "correggerli solo con una motivazione scritta, perché cambia soglia, regime e criterio di "
                "aggiudicazione.",
      basis=[art("14", "art. 14 c. 1 lett. d) d.lgs. 36/2023"), art("127", "artt. 127–128 d.lgs. 36/2023"),
             Basis("Allegato XIV dir. 2014/24/UE")],
      status=Status.VERIFIED, fix="togliere caratteristiche.servizi_sociali o scriverne la motivazione "
                                  "(caratteristiche.motivazione_servizi_sociali)")
def service_nature_override(ctx: Context) -> Iterable[Finding]:
    features = ctx.spec.features
    declared, nature = features.social_service, social_by_nature(ctx.spec)
    if not ctx.facts.codice_route or declared is None or declared == nature:
        return
    if not is_placeholder(features.social_service_reason):
        return
    what = ("oggetto socio-sanitario o educativo" if socio_health_educational(ctx.spec)
            else "codici CPV dell'Allegato XIV" if nature else "nessun codice CPV dell'Allegato XIV")
    yield ctx.finding(ctx.at("caratteristiche", "servizi_sociali"),
                      f"dichiarato {'sociale' if declared else 'non sociale'} ma {what}, senza motivazione")
