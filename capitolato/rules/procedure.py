"""PRC: procedure and value (artt. 14, 50, 127–128 d.lgs. 36/2023)."""

from __future__ import annotations

from collections.abc import Iterable

from capitolato.model.tender import ProcedureKind
from capitolato.rules.context import Context
from capitolato.rules.finding import Finding, Severity
from capitolato.rules.registry import Basis, Status, art, rule

UNPUBLISHED = frozenset({ProcedureKind.NEGOTIATED, ProcedureKind.DIRECT_AWARD})


@rule("PRC001", "social-regime-by-threshold", Severity.ERROR, "Applicare il regime di pubblicità dell'art. 127",
      rationale="I servizi sociali dell'Allegato XIV di valore stimato pari o superiore a 750.000 € si affidano con "
                "bando o avviso di preinformazione e avviso di aggiudicazione: non con negoziata senza bando o "
                "affidamento diretto.",
      basis=[art("127", "artt. 14, 127, 128 d.lgs. 36/2023")], status=Status.TEXT_2023,
      fix="procedura.tipo: aperta (o avviso di preinformazione periodico)")
def social_regime_by_threshold(ctx: Context) -> Iterable[Finding]:
    if ctx.facts.above_social_threshold and ctx.spec.procedure.kind in UNPUBLISHED:
        yield ctx.finding(ctx.at("procedura", "tipo"),
                          f"valore stimato {ctx.facts.estimated_value} € con {ctx.spec.procedure.kind.value}")


@rule("PRC002", "direct-award-social", Severity.WARNING, "Servizio sociale: serve un confronto competitivo con OEPV",
      rationale="Per il MIMS anche sotto i 140.000 € i servizi sociali richiedono un confronto competitivo con "
                "l'offerta economicamente più vantaggiosa.",
      basis=[art("50", "art. 50 d.lgs. 36/2023"), Basis("MIMS parere n. 2103/2023")], status=Status.VERIFIED,
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
