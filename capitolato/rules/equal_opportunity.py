"""PNR: the equal-opportunity scheme of art. 47 d.l. 77/2021, extended by Allegato II.3 (trigger: scope_eo)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from capitolato.rules.context import Context
from capitolato.rules.finding import Finding, Severity
from capitolato.rules.registry import DL77, Basis, Status, art, rule

QUOTA = "quota-assunzioni-giovani-donne"
MINIMUM_QUOTA = Decimal(30)
ANNEX = Basis("Allegato II.3 d.lgs. 36/2023 (testo da verificare)")


@rule("PNR001", "hiring-quota-30", Severity.ERROR, "Quota del 30 % di assunzioni a giovani e donne, o deroga motivata",
      rationale="Il bando impone di riservare almeno il 30 % delle assunzioni necessarie sia a giovani sotto i 36 "
                "anni sia a donne; la stazione appaltante può ridurre o escludere la quota solo con una deroga "
                "motivata (art. 47 c. 7), l'unico errore che la legge consente di derogare.",
      basis=[art("57", "art. 57 c. 2-bis d.lgs. 36/2023"), ANNEX, Basis("art. 47 cc. 4, 7 d.l. 77/2021", DL77)],
      status=Status.VERIFIED, fix="aggiungere quota-assunzioni-giovani-donne, o deroga-quota-assunzioni con la motivazione")
def hiring_quota_30(ctx: Context) -> Iterable[Finding]:
    if not ctx.facts.scope_eo or ctx.has_clause("deroga-quota-assunzioni"):
        return
    if not ctx.has_clause(QUOTA):
        yield ctx.finding(ctx.section("clausole"), f"manca la clausola {QUOTA}")
        return
    for parameter, label in (("quota_giovani", "giovani"), ("quota_donne", "donne")):
        value = ctx.params(QUOTA).get(parameter)
        if value is not None and Decimal(value) < MINIMUM_QUOTA:
            yield ctx.finding(ctx.clause_at(QUOTA, parameter), f"quota {label} del {value} %, sotto il 30 %")


def _missing(ctx: Context, clause_id: str) -> Iterable[Finding]:
    if ctx.facts.scope_eo and not ctx.has_clause(clause_id):
        yield ctx.finding(ctx.section("clausole"), f"manca la clausola {clause_id}")


@rule("PNR002", "staff-report-over-50", Severity.ERROR, "Rapporto sulla situazione del personale a pena di esclusione",
      rationale="Gli operatori con più di 50 dipendenti allegano all'offerta il rapporto sulla situazione del "
                "personale (art. 46 d.lgs. 198/2006), a pena di esclusione.",
      basis=[Basis("art. 47 c. 2 d.l. 77/2021", DL77), ANNEX], status=Status.VERIFIED,
      fix="aggiungere la clausola rapporto-personale-oltre-50")
def staff_report_over_50(ctx: Context) -> Iterable[Finding]:
    yield from _missing(ctx, "rapporto-personale-oltre-50")


@rule("PNR003", "duties-15-50", Severity.ERROR, "Relazione di genere e dichiarazione L. 68/1999 entro 6 mesi",
      rationale="Gli operatori da 15 a 50 dipendenti consegnano entro sei mesi dal contratto la relazione di genere "
                "e la dichiarazione sugli obblighi della L. 68/1999, con penali per l'inadempimento.",
      basis=[Basis("art. 47 cc. 3, 3-bis, 6 d.l. 77/2021", DL77), ANNEX], status=Status.VERIFIED,
      fix="aggiungere la clausola relazione-genere-15-50")
def duties_15_50(ctx: Context) -> Iterable[Finding]:
    yield from _missing(ctx, "relazione-genere-15-50")


@rule("PNR004", "disability-law-compliance", Severity.ERROR, "Requisito del rispetto della L. 68/1999",
      rationale="Il rispetto delle norme sul diritto al lavoro delle persone con disabilità è requisito necessario "
                "dell'offerta.",
      basis=[Basis("art. 47 c. 4 d.l. 77/2021", DL77), ANNEX], status=Status.VERIFIED,
      fix="aggiungere la clausola obblighi-legge-68")
def disability_law_compliance(ctx: Context) -> Iterable[Finding]:
    yield from _missing(ctx, "obblighi-legge-68")
