"""IMP: the social impact evaluation system (DM 23.7.2019; section 6 of the impact-oriented capitolato)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from capitolato.model.tender import Benchmark, Direction, Indicator, IndicatorLevel, Measure
from capitolato.rules.context import Context
from capitolato.rules.finding import Finding, Severity
from capitolato.rules.registry import MODEL, Basis, Status, rule

DM_2019 = Basis("d.m. Lavoro e politiche sociali 23 luglio 2019 (GU n. 214 del 12.9.2019)")
INDICATOR_FIELDS = (("baseline", "baseline"), ("target", "target"), ("source", "fonte"),
                    ("frequency", "frequenza"), ("owner", "rilevatore"))


@rule("IMP001", "impact-plan-complete", Severity.WARNING, "Piano di valutazione dell'impatto incompleto",
      rationale="Un indicatore è verificabile solo con baseline e target datati, fonte, frequenza e chi lo rileva; "
                "il piano misura sia in quantità sia in qualità, arriva almeno agli esiti (outcome) e fissa le "
                "date di rendicontazione. È un errore se il bando rende obbligatoria la valutazione.",
      basis=[DM_2019, Basis("art. 7 c. 3 L. 106/2016"), Basis("d.m. 31.3.2021 n. 72 (co-progettazione e VIS)")],
      status=Status.TO_VERIFY,
      fix="completare gli indicatori e la rendicontazione in valutazione_impatto")
def impact_plan_complete(ctx: Context) -> Iterable[Finding]:
    impact = ctx.spec.impact
    if impact is None:
        return
    severity = Severity.ERROR if impact.mandatory else Severity.WARNING
    base = ("valutazione_impatto", "indicatori")
    for index, indicator in enumerate(impact.indicators):
        missing = _missing_fields(indicator)
        if missing:
            yield ctx.finding(ctx.at(*base, index), f"indicatore «{indicator.code}» senza {', '.join(missing)}",
                              severity=severity)
    for problem in _plan_gaps(impact.indicators, bool(impact.reporting)):
        yield ctx.finding(ctx.section(*base) if "rendicontazione" not in problem
                          else ctx.section("valutazione_impatto"), problem, severity=severity)


def _missing_fields(indicator: Indicator) -> list[str]:
    return [label for attr, label in INDICATOR_FIELDS if getattr(indicator, attr) in (None, "")]


def _plan_gaps(indicators: list[Indicator], has_reporting: bool) -> list[str]:
    gaps = []
    if not indicators:
        gaps.append("nessun indicatore")
    elif {i.measure for i in indicators} != set(Measure):
        gaps.append("servono misure sia quantitative sia qualitative")
    if indicators and not {i.level for i in indicators} & {IndicatorLevel.OUTCOME, IndicatorLevel.IMPACT}:
        gaps.append("nessun indicatore di outcome o di impatto")
    if not has_reporting:
        gaps.append("nessuna data di rendicontazione")
    return gaps


@rule("IMP002", "objective-has-indicators", Severity.WARNING, "Obiettivo non verificabile",
      rationale="L'obiettivo del capitolato è verificabile come risultato solo se almeno un indicatore lo misura "
                "(misura_di: [obiettivo]).",
      basis=[Basis(MODEL), DM_2019], status=Status.DESIGN,
      fix="aggiungere «obiettivo» a misura_di di almeno un indicatore")
def objective_has_indicators(ctx: Context) -> Iterable[Finding]:
    if ctx.spec.objective is None:
        return
    indicators = ctx.spec.impact.indicators if ctx.spec.impact else []
    if not any("obiettivo" in indicator.measures for indicator in indicators):
        yield ctx.finding(ctx.section("obiettivo"), "nessun indicatore lo misura")


@rule("IMP003", "change-and-appreciation", Severity.WARNING, "Misurare il cambiamento e il gradimento",
      rationale="Il sistema valutativo del modello misura il cambiamento rispetto all'obiettivo e l'apprezzamento "
                "degli utenti (criterio a.4 della griglia: 5 + 5 punti).",
      basis=[Basis(MODEL), DM_2019], status=Status.DESIGN,
      fix="compilare valutazione_impatto.cambiamento e .gradimento (o la clausola coinvolgimento-utenti)")
def change_and_appreciation(ctx: Context) -> Iterable[Finding]:
    if not ctx.spec.features.impact_oriented:
        return
    impact = ctx.spec.impact
    change = (impact and impact.change_measure) or ctx.has_clause("piano-valutazione-impatto")
    appreciation = (impact and impact.appreciation_measure) or ctx.has_clause("coinvolgimento-utenti")
    missing = [label for present, label in ((change, "cambiamento"), (appreciation, "gradimento")) if not present]
    if missing:
        yield ctx.finding(ctx.section("valutazione_impatto"), "manca la misura del " + " e del ".join(missing))


@rule("IMP004", "indicator-plans-change", Severity.WARNING, "Il target dell'indicatore non prevede un cambiamento",
      rationale="Un indicatore d'impatto misura un cambiamento rispetto alla situazione di partenza: un target uguale "
                "alla baseline non chiede nulla, e un target che va nel verso opposto alla direzione dichiarata "
                "(valutazione_impatto.indicatori[].direzione: aumento o diminuzione) pianifica un peggioramento.",
      basis=[DM_2019, Basis(MODEL)], status=Status.DESIGN,
      fix="correggere il target o la direzione dell'indicatore")
def indicator_plans_change(ctx: Context) -> Iterable[Finding]:
    impact = ctx.spec.impact
    if impact is None:
        return
    for index, indicator in enumerate(impact.indicators):
        problem = _change_problem(indicator)
        if problem:
            yield ctx.finding(ctx.at("valutazione_impatto", "indicatori", index, "target"),
                              f"«{indicator.code}»: {problem}")


def _change_problem(indicator: Indicator) -> str | None:
    if indicator.baseline is None or indicator.target is None:
        return None
    base, target = _numeric(indicator.baseline), _numeric(indicator.target)
    if base is None or target is None:
        same = str(indicator.baseline.value).strip().lower() == str(indicator.target.value).strip().lower()
        return "target uguale alla baseline" if same else None
    if base == target:
        return f"target uguale alla baseline ({target})"
    if indicator.direction is Direction.INCREASE and target < base:
        return f"direzione «aumento» ma il target {target} è sotto la baseline {base}"
    if indicator.direction is Direction.DECREASE and target > base:
        return f"direzione «diminuzione» ma il target {target} è sopra la baseline {base}"
    return None


def _numeric(benchmark: Benchmark) -> Decimal | None:
    value = benchmark.value
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value).replace("%", "").replace(",", ".").strip())
    except InvalidOperation:
        return None
