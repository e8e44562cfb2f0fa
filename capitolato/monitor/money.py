"""Money tied to results, read from the spec's clause uses: the outcome-linked fee and the turnover penalty.

Every amount carries the formula with its numbers, so the officer can check it by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from capitolato.italian import date as italian_date
from capitolato.italian import euro, number, percent
from capitolato.model.tender import Spec
from capitolato.monitor.calendar import ContractWindow, add_months, contract_years
from capitolato.monitor.measurements import Measurement

OUTCOME_FEE = "corrispettivo-legato-risultati"
TURNOVER_PENALTY = "penale-turnover"
PENALTIES = "penali"
CENT = Decimal("0.01")
DEFAULT_PENALTY_CAP = Decimal(10)


@dataclass(frozen=True)
class Amount:
    """What a clause makes due for one period: a reduction of the fee or a penalty (None when not computable)."""

    clause: str
    title: str
    period: str
    indicator: str
    amount: Decimal | None
    formula: str


@dataclass(frozen=True)
class Money:
    amounts: tuple[Amount, ...]
    contract_amount: Decimal
    amount_source: str
    notes: tuple[str, ...]

    @property
    def total(self) -> Decimal:
        return sum((a.amount for a in self.amounts if a.amount is not None), Decimal(0))


def money_due(spec: Spec, measurements: list[Measurement], at: dt.date) -> Money:
    """Amounts of every clause use that ties money to an indicator, for the periods ended by `at`."""
    contract, source = _contract_amount(spec)
    uses = {use.id: use.parameters for use in spec.clauses}
    window = ContractWindow.of(spec)
    amounts: list[Amount] = []
    notes: list[str] = []
    if OUTCOME_FEE in uses:
        amounts += _outcome_fee(uses[OUTCOME_FEE], spec, measurements, at, window, contract, notes)
    if TURNOVER_PENALTY in uses:
        cap = Decimal(str(uses.get(PENALTIES, {}).get("tetto_percentuale") or DEFAULT_PENALTY_CAP))
        amounts += _turnover_penalty(uses[TURNOVER_PENALTY], measurements, at, contract, cap, notes)
    return Money(tuple(amounts), contract, source, tuple(notes))


def _contract_amount(spec: Spec) -> tuple[Decimal, str]:
    if spec.amounts.contract_amount is not None:
        return spec.amounts.contract_amount, "importo contrattuale (importi.contrattuale)"
    return spec.amounts.base_amount, ("importo a base di gara (importi.base): indicare importi.contrattuale dopo la "
                                      "stipula")


def _latest_in(measurements: list[Measurement], code: str, start: dt.date, end: dt.date) -> Measurement | None:
    inside = [m for m in measurements if m.indicator == code and start <= m.date <= end and m.value is not None]
    return inside[-1] if inside else None


def _outcome_fee(parameters: dict, spec: Spec, measurements: list[Measurement], at: dt.date,
                 window: ContractWindow, contract: Decimal, notes: list[str]) -> list[Amount]:
    code = parameters.get("indicatore")
    if not code:
        notes.append(f"«{OUTCOME_FEE}»: indicare il parametro «indicatore» per calcolare la quota dovuta")
        return []
    baseline, target = Decimal(parameters["baseline"]), Decimal(parameters["target"])
    if baseline == target:
        notes.append(f"«{OUTCOME_FEE}»: baseline e target coincidono ({number(target)}): quota non calcolabile")
        return []
    share, ceiling = Decimal(parameters["quota_variabile"]) / 100, Decimal(parameters["tetto_riduzione"]) / 100
    cap = (contract * ceiling).quantize(CENT, ROUND_HALF_UP)
    months = spec.procedure.duration_months
    title = "Quota variabile del corrispettivo legata ai risultati"
    amounts: list[Amount] = []
    reduced = Decimal(0)
    for year in contract_years(window, at):
        span = _months_between(year.start, year.end)
        quota = (contract * span / months * share).quantize(CENT, ROUND_HALF_UP)
        quota_text = f"quota variabile Q = {euro(contract)} × {span}/{months} × {percent(share * 100)} = {euro(quota)}"
        measured = _latest_in(measurements, code, year.start, year.end)
        if measured is None:
            amounts.append(Amount(OUTCOME_FEE, title, year.label, code, None,
                                  f"{quota_text}; nessuna misura di {code} nel periodo: riduzione non calcolabile"))
            continue
        raw = (measured.value - baseline) / (target - baseline)
        achieved = min(max(raw, Decimal(0)), Decimal(1))
        reduction = (quota * (1 - achieved)).quantize(CENT, ROUND_HALF_UP)
        capped = min(reduction, cap - reduced)
        reduced += capped
        formula = (f"{quota_text}; risultato p = ({number(measured.value)} − {number(baseline)}) / "
                   f"({number(target)} − {number(baseline)}) = {percent(_pct(raw))}"
                   f"{' (limitato tra 0 e 100 %)' if raw != achieved else ''}; "
                   f"riduzione = Q × (1 − p) = {euro(reduction)}")
        if capped != reduction:
            formula += f", limitata a {euro(capped)} dal tetto del {percent(ceiling * 100)} ({euro(cap)})"
        amounts.append(Amount(OUTCOME_FEE, title, year.label, code, capped, formula))
    return amounts


def _turnover_penalty(parameters: dict, measurements: list[Measurement], at: dt.date, contract: Decimal,
                      cap_percent: Decimal, notes: list[str]) -> list[Amount]:
    code = parameters["indicatore"]
    offered = parameters.get("valore_offerto")
    if offered is None:
        notes.append(f"«{TURNOVER_PENALTY}»: indicare il parametro «valore_offerto» (dall'offerta) per calcolare la "
                     "penale")
        return []
    offered = Decimal(offered)
    per_point = Decimal(parameters["importo_per_punto"])
    cap = (contract * cap_percent / 100).quantize(CENT, ROUND_HALF_UP)
    title = "Penale per turnover superiore al valore offerto"
    amounts: list[Amount] = []
    charged = Decimal(0)
    for measured in (m for m in measurements if m.indicator == code and m.date <= at and m.value is not None):
        excess = max(measured.value - offered, Decimal(0))
        penalty = (excess * per_point).quantize(CENT, ROUND_HALF_UP)
        capped = min(penalty, cap - charged)
        charged += capped
        formula = (f"max(0; {number(measured.value)} − {number(offered)}) punti × {euro(per_point)} = "
                   f"{euro(penalty)}")
        if capped != penalty:
            formula += f", limitata a {euro(capped)} dal tetto delle penali ({percent(cap_percent)}: {euro(cap)})"
        amounts.append(Amount(TURNOVER_PENALTY, title, f"misura del {italian_date(measured.date)}", code,
                              capped, formula))
    return amounts


def _months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from `start` to `end` included (1 July – 30 June: 12)."""
    months = 0
    while add_months(start, months + 1) - dt.timedelta(days=1) <= end:
        months += 1
    return months


def _pct(fraction: Decimal) -> Decimal:
    return (fraction * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
