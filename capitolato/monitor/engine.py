"""The monitoring of a tender at a date: indicators, summaries per strategy and objective, calendar, money."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from capitolato.italian import date as italian_date
from capitolato.model.tender import GovernanceLevel, Spec
from capitolato.monitor.calendar import ContractWindow
from capitolato.monitor.measurements import Measurement
from capitolato.monitor.money import Money, money_due
from capitolato.monitor.progress import OFF_TRACK, IndicatorProgress, Status, indicator_progress
from capitolato.resources import package_data

OBJECTIVE = "obiettivo"


@dataclass(frozen=True)
class Summary:
    """The indicators that verify the objective or one strategy (`misura_di`), with their statuses."""

    code: str
    title: str
    indicators: tuple[IndicatorProgress, ...]

    @property
    def counts(self) -> Counter[Status]:
        return Counter(p.status for p in self.indicators)

    def describe(self) -> str:
        if not self.indicators:
            return "nessun indicatore"
        counts = self.counts
        parts = [f"{counts[s]} {s.value}" for s in Status if counts[s]]
        total = len(self.indicators)
        return f"{total} {'indicatore' if total == 1 else 'indicatori'}: " + ", ".join(parts)


@dataclass(frozen=True)
class Deadline:
    date: dt.date
    description: str
    overdue: bool

    def describe(self, at: dt.date) -> str:
        days = (self.date - at).days
        if self.overdue:
            return f"scaduta da {-days} giorni"
        return "oggi" if days == 0 else f"tra {days} giorni"


@dataclass(frozen=True)
class LevelReview:
    """What a governance level examines in this report, from its functions and the level's kind."""

    level: GovernanceLevel
    task: str
    parts: tuple[str, ...]


@dataclass(frozen=True)
class Monitoring:
    spec: Spec
    at: dt.date
    window: ContractWindow
    indicators: tuple[IndicatorProgress, ...]
    objective: Summary | None
    strategies: tuple[Summary, ...]
    reports: tuple[Deadline, ...]
    measurements_due: tuple[Deadline, ...]
    reviews: tuple[LevelReview, ...]
    money: Money
    inputs: tuple[Path, ...] = ()

    @property
    def off_track(self) -> tuple[IndicatorProgress, ...]:
        return tuple(p for p in self.indicators if p.status in OFF_TRACK)

    @property
    def missing(self) -> tuple[IndicatorProgress, ...]:
        return tuple(p for p in self.indicators if p.missing)


def default_date(measurements: list[Measurement], spec: Spec) -> dt.date:
    """The report's date when `--al` is not given: the latest measurement (the start of execution if none)."""
    if measurements:
        return max(m.date for m in measurements)
    return ContractWindow.of(spec).start


def monitor(spec: Spec, measurements: list[Measurement], at: dt.date, *, inputs: tuple[Path, ...] = ()) -> Monitoring:
    """Everything the report and the open data say, at the date `at`; `inputs` are the files it was read from."""
    window = ContractWindow.of(spec)
    by_indicator: dict[str, list[Measurement]] = {}
    for measurement in measurements:
        by_indicator.setdefault(measurement.indicator, []).append(measurement)
    indicators = tuple(indicator_progress(i, by_indicator.get(i.code, []), at, window)
                       for i in (spec.impact.indicators if spec.impact else []))
    objective = Summary(OBJECTIVE, spec.objective.text if spec.objective else "Obiettivo",
                        tuple(p for p in indicators if OBJECTIVE in p.indicator.measures))
    strategies = tuple(Summary(s.code, s.title, tuple(p for p in indicators if s.code in p.indicator.measures))
                       for s in spec.strategies)
    reports = tuple(Deadline(r.date, r.description, r.date < at)
                    for r in sorted(spec.impact.reporting if spec.impact else [], key=lambda r: r.date))
    due = tuple(sorted((Deadline(p.next_due, f"misura di {p.indicator.code} ({p.indicator.name})", False)
                        for p in indicators if p.next_due is not None), key=lambda d: (d.date, d.description)))
    return Monitoring(spec, at, window, indicators, objective if spec.objective else None, strategies, reports,
                      due, _reviews(spec), money_due(spec, measurements, at), inputs)


def _reviews(spec: Spec) -> tuple[LevelReview, ...]:
    kinds = package_data("monitoraggio.yaml")["livelli"]
    levels = spec.governance.levels if spec.governance else []
    return tuple(LevelReview(level, kinds[level.level.value]["esame"], tuple(kinds[level.level.value]["parti"]))
                 for level in levels)


def period_text(monitoring: Monitoring) -> str:
    """«dal 1 luglio 2026 al 30 giugno 2028»: from the start of execution to the report's date."""
    return f"dal {italian_date(monitoring.window.start)} al {italian_date(monitoring.at)}"
