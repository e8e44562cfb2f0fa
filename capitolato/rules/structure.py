"""STR: internal consistency of the impact-oriented capitolato (strategies, indicators, tabular grids)."""

from __future__ import annotations

from collections.abc import Iterable

from capitolato.model.tender import CriterionKind, SupportLineKind
from capitolato.rules.award import walk
from capitolato.rules.context import Context
from capitolato.rules.finding import Finding, Severity
from capitolato.rules.registry import MODEL, Basis, Status, art, rule

DESIGN = Basis(MODEL)


@rule("STR001", "strategy-served", Severity.WARNING, "Strategia senza attività né indicatori",
      rationale="Ogni strategia persegue l'obiettivo con attività concrete ed è verificata da almeno un "
                "indicatore: una strategia senza l'una e senza l'altro resta una dichiarazione.",
      basis=[DESIGN], status=Status.DESIGN, fix="aggiungere attivita alla strategia o il suo codice in misura_di")
def strategy_served(ctx: Context) -> Iterable[Finding]:
    indicators = ctx.spec.impact.indicators if ctx.spec.impact else []
    measured = {code for indicator in indicators for code in indicator.measures}
    for index, strategy in enumerate(ctx.spec.strategies):
        if not strategy.activities and strategy.code not in measured:
            yield ctx.finding(ctx.at("strategie", index), f"«{strategy.code}»")


@rule("STR002", "tabular-level-exceeds", Severity.ERROR, "Livello tabellare oltre i punti del criterio",
      rationale="Un livello di un criterio tabellare non può dare più punti del criterio stesso: la somma della "
                "griglia non terrebbe.",
      basis=[art("108", "art. 108 c. 7 d.lgs. 36/2023")], status=Status.TEXT_2023,
      fix="ridurre i punti del livello o aumentare quelli del criterio")
def tabular_level_exceeds(ctx: Context) -> Iterable[Finding]:
    award = ctx.spec.award
    for criterion, path in walk(award.criteria if award else []):
        for index, level in enumerate(criterion.levels):
            if criterion.points is not None and level.points > criterion.points:
                yield ctx.finding(ctx.at(*path, "livelli", index, "punti"),
                                  f"«{criterion.code}»: {level.points} punti su {criterion.points}")


@rule("STR003", "tabular-max-unreachable", Severity.WARNING, "Punti del criterio tabellare non raggiungibili",
      rationale="Se nessun livello dà tutti i punti del criterio tabellare, una parte dei punti non è mai "
                "attribuibile e i pesi dichiarati non sono quelli reali.",
      basis=[art("108", "art. 108 c. 7 d.lgs. 36/2023")], status=Status.TEXT_2023,
      fix="il livello più alto deve valere quanto il criterio")
def tabular_max_unreachable(ctx: Context) -> Iterable[Finding]:
    award = ctx.spec.award
    for criterion, path in walk(award.criteria if award else []):
        if criterion.kind is not CriterionKind.TABULAR or not criterion.levels or criterion.points is None:
            continue
        best = max(level.points for level in criterion.levels)
        if best < criterion.points:
            yield ctx.finding(ctx.at(*path, "punti"), f"«{criterion.code}»: massimo {best} su {criterion.points}")


@rule("STR004", "indicator-unlinked", Severity.INFO, "Indicatore non collegato all'obiettivo né a una strategia",
      rationale="Nel modello ogni indicatore verifica l'obiettivo o una strategia: un indicatore isolato non "
                "dice che cosa misura.",
      basis=[DESIGN], status=Status.DESIGN, fix="indicare misura_di: [obiettivo] o il codice di una strategia")
def indicator_unlinked(ctx: Context) -> Iterable[Finding]:
    indicators = ctx.spec.impact.indicators if ctx.spec.impact else []
    for index, indicator in enumerate(indicators):
        if not indicator.measures:
            yield ctx.finding(ctx.at("valutazione_impatto", "indicatori", index), f"«{indicator.code}»")


@rule("STR005", "indicator-dates", Severity.WARNING, "Target non successivo alla baseline",
      rationale="Il cambiamento si misura tra una baseline e un target successivo: date invertite o uguali rendono "
                "l'indicatore inutilizzabile.",
      basis=[DESIGN], status=Status.DESIGN, fix="correggere le date di baseline e target")
def indicator_dates(ctx: Context) -> Iterable[Finding]:
    indicators = ctx.spec.impact.indicators if ctx.spec.impact else []
    for index, indicator in enumerate(indicators):
        if indicator.baseline and indicator.target and indicator.target.date <= indicator.baseline.date:
            yield ctx.finding(ctx.at("valutazione_impatto", "indicatori", index, "target"), f"«{indicator.code}»")


@rule("STR006", "reporting-after-notice", Severity.WARNING, "Rendicontazione precedente la pubblicazione",
      rationale="Le date di rendicontazione dell'impatto cadono durante l'esecuzione, dopo la pubblicazione del "
                "bando: una data anteriore è un refuso o un residuo di un bando precedente.",
      basis=[DESIGN], status=Status.DESIGN, fix="correggere la data di rendicontazione")
def reporting_after_notice(ctx: Context) -> Iterable[Finding]:
    reporting = ctx.spec.impact.reporting if ctx.spec.impact else []
    for index, item in enumerate(reporting):
        if item.date <= ctx.spec.procedure.notice_date:
            yield ctx.finding(ctx.at("valutazione_impatto", "rendicontazione", index, "data"), str(item.date))


@rule("STR007", "support-line-kinds", Severity.INFO, "Linee di supporto senza supervisione o formazione",
      rationale="Il modello chiede almeno la supervisione dell'équipe e dei progetti individuali e la formazione "
                "degli operatori.",
      basis=[DESIGN], status=Status.DESIGN, fix="aggiungere una linea di supporto di tipo supervisione o formazione")
def support_line_kinds(ctx: Context) -> Iterable[Finding]:
    lines = ctx.spec.support_lines
    if not ctx.spec.features.impact_oriented or not lines:
        return
    kinds = {line.kind for line in lines}
    missing = [kind.value for kind in (SupportLineKind.SUPERVISION, SupportLineKind.TRAINING) if kind not in kinds]
    if missing:
        yield ctx.finding(ctx.section("linee_supporto"), f"manca: {', '.join(missing)}")
