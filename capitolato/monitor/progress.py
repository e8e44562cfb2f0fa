"""Where each indicator stands at a date: series, progress from baseline to target, expected progress, status."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from capitolato.model.tender import Direction, Indicator, Measure
from capitolato.monitor.calendar import (ContractWindow, Period, frequency_months, measurement_periods,
                                         next_period_end)
from capitolato.monitor.measurements import Measurement
from capitolato.monitor.parse import spec_number
from capitolato.resources import package_data


class Status(StrEnum):
    REACHED = "raggiunto"
    ON_TRACK = "in linea"
    LATE = "in ritardo"
    WORSE = "peggiorato"
    NO_DATA = "senza dati"

    @property
    def key(self) -> str:
        return self.value.replace(" ", "-")

    @property
    def meaning(self) -> str:
        return package_data("monitoraggio.yaml")["stati"][self.key]


OFF_TRACK = frozenset({Status.LATE, Status.WORSE})


@dataclass(frozen=True)
class Point:
    date: dt.date
    value: Decimal


@dataclass(frozen=True)
class IndicatorProgress:
    """One indicator at the report date. Fractions are shares of the distance from baseline to target."""

    indicator: Indicator
    direction: Direction | None
    baseline: Point | None
    target: Point | None
    series: tuple[Measurement, ...]
    latest: Measurement | None
    progress: Decimal | None
    expected: Decimal | None
    expected_value: Decimal | None
    status: Status
    due: tuple[Period, ...]
    missing: tuple[Period, ...]
    next_due: dt.date | None

    @property
    def quantitative(self) -> bool:
        return self.indicator.measure is Measure.QUANTITATIVE

    def trajectory(self) -> list[Point]:
        """The expected path: baseline, the spec's intermediate points, target."""
        return expected_path(self.indicator, self.baseline, self.target)


def tolerance() -> Decimal:
    return Decimal(str(package_data("monitoraggio.yaml")["tolleranza_punti"])) / 100


def indicator_progress(indicator: Indicator, measurements: list[Measurement], at: dt.date,
                       window: ContractWindow) -> IndicatorProgress:
    series = tuple(m for m in measurements if m.indicator == indicator.code and m.date <= at)
    scored = [m for m in series if m.value is not None]
    latest = scored[-1] if scored else (series[-1] if series else None)
    baseline, target = _point(indicator.baseline), _point(indicator.target)
    direction = indicator.direction or _implied_direction(baseline, target)
    progress = expected = expected_value = expected_then = None
    if baseline and target and target.value != baseline.value:
        path = expected_path(indicator, baseline, target)
        distance = target.value - baseline.value
        expected_value = value_at(path, at)
        expected = (expected_value - baseline.value) / distance
        if scored:
            progress = (scored[-1].value - baseline.value) / distance
            expected_then = (value_at(path, scored[-1].date) - baseline.value) / distance
    status = _status(scored[-1].value if scored else None, baseline, target, direction, progress, expected_then)
    due, missing, next_due = _schedule(indicator, series, at, window)
    return IndicatorProgress(indicator, direction, baseline, target, series, latest, progress, expected,
                             expected_value, status, due, missing, next_due)


def _point(benchmark) -> Point | None:
    if benchmark is None:
        return None
    value = spec_number(benchmark.value)
    return Point(benchmark.date, value) if value is not None else None


def _implied_direction(baseline: Point | None, target: Point | None) -> Direction | None:
    if baseline is None or target is None or baseline.value == target.value:
        return None
    return Direction.DECREASE if target.value < baseline.value else Direction.INCREASE


def _status(value: Decimal | None, baseline: Point | None, target: Point | None, direction: Direction | None,
            progress: Decimal | None, expected: Decimal | None) -> Status:
    """`expected` is the progress expected at the date of the latest measurement: a value is judged against what
    was due when it was measured (a late measurement shows among the missing ones, not as a late indicator)."""
    if value is None or baseline is None or target is None:
        return Status.NO_DATA
    sign = -1 if direction is Direction.DECREASE else 1
    if sign * (value - target.value) >= 0:
        return Status.REACHED
    if sign * (value - baseline.value) < 0:
        return Status.WORSE
    if progress is None or expected is None or progress >= expected - tolerance():
        return Status.ON_TRACK
    return Status.LATE


def expected_path(indicator: Indicator, baseline: Point | None, target: Point | None) -> list[Point]:
    if baseline is None or target is None:
        return []
    middle = [Point(b.date, v) for b in indicator.trajectory if (v := spec_number(b.value)) is not None
              and baseline.date < b.date < target.date]
    return [baseline, *sorted(middle, key=lambda p: p.date), target]


def value_at(path: list[Point], day: dt.date) -> Decimal:
    """Piecewise linear between the path's points; flat before the first and after the last."""
    if day <= path[0].date:
        return path[0].value
    for left, right in zip(path, path[1:]):
        if day <= right.date:
            share = Decimal((day - left.date).days) / Decimal((right.date - left.date).days)
            return left.value + (right.value - left.value) * share
    return path[-1].value


def _schedule(indicator: Indicator, series: tuple[Measurement, ...], at: dt.date,
              window: ContractWindow) -> tuple[tuple[Period, ...], tuple[Period, ...], dt.date | None]:
    months = frequency_months(indicator.frequency)
    if months is None:
        return (), (), None
    due = tuple(measurement_periods(months, window, at))
    missing = tuple(p for p in due if not any(p.contains(m.date) for m in series))
    return due, missing, next_period_end(months, window, at)
