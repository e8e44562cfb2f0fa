"""Dates of the execution: the contract's period, measurement periods by frequency, contract years, reports due."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from capitolato.italian import MONTHS
from capitolato.italian import date as italian_date
from capitolato.model.tender import Spec
from capitolato.resources import package_data

_ORDINALS = {2: "bimestre", 3: "trimestre", 4: "quadrimestre", 6: "semestre"}


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clipped to the month's last day (31 January + 1 month = 28/29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = (dt.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class ContractWindow:
    """From the start of execution to the last day the contract can run (duration, renewal, technical extension)."""

    start: dt.date
    end: dt.date
    duration_end: dt.date

    @classmethod
    def of(cls, spec: Spec) -> ContractWindow:
        procedure = spec.procedure
        start = procedure.execution_start or procedure.notice_date
        longest = procedure.duration_months + procedure.renewal_months + procedure.extension_months
        return cls(start, add_months(start, longest) - dt.timedelta(days=1),
                   add_months(start, procedure.duration_months) - dt.timedelta(days=1))

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def describe(self) -> str:
        return f"dal {italian_date(self.start)} al {italian_date(self.end)}"


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    label: str

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def frequency_months(frequency: str | None) -> int | None:
    """Months per measurement period for the spec's word («semestrale» → 6), None when it is not a known word."""
    if not frequency:
        return None
    return package_data("monitoraggio.yaml")["frequenze"].get(frequency.strip().lower())


def measurement_periods(months: int, window: ContractWindow, until: dt.date) -> list[Period]:
    """Calendar-aligned periods (semesters end on 30 June and 31 December) that overlap the execution and have
    ended by `until`."""
    periods: list[Period] = []
    first_month = (window.start.month - 1) // months * months + 1 if months <= 12 else 1
    start = dt.date(window.start.year, first_month, 1)
    while start <= min(until, window.end):
        end = add_months(start, months) - dt.timedelta(days=1)
        if end > until:
            break
        periods.append(Period(start, end, _label(start, months)))
        start = add_months(start, months)
    return periods


def next_period_end(months: int, window: ContractWindow, after: dt.date) -> dt.date | None:
    """The end of the first measurement period closing after `after`, within the contract."""
    first_month = (window.start.month - 1) // months * months + 1 if months <= 12 else 1
    end = add_months(dt.date(window.start.year, first_month, 1), months) - dt.timedelta(days=1)
    while end <= after:
        end = add_months(end + dt.timedelta(days=1), months) - dt.timedelta(days=1)
    return end if end <= window.end else None


def _label(start: dt.date, months: int) -> str:
    if months == 1:
        return f"{MONTHS[start.month - 1]} {start.year}"
    if months == 12 and start.month == 1:
        return str(start.year)
    if months in _ORDINALS:
        return f"{(start.month - 1) // months + 1}° {_ORDINALS[months]} {start.year}"
    end = add_months(start, months) - dt.timedelta(days=1)
    return f"{italian_date(start)} – {italian_date(end)}"


def contract_years(window: ContractWindow, until: dt.date) -> list[Period]:
    """The years of execution (from the start date) within the contract's duration that have ended by `until`."""
    years: list[Period] = []
    start, number = window.start, 1
    while start <= window.duration_end:
        end = min(add_months(start, 12) - dt.timedelta(days=1), window.duration_end)
        if end > until:
            break
        years.append(Period(start, end, f"{number}° anno ({italian_date(start)} – {italian_date(end)})"))
        start, number = end + dt.timedelta(days=1), number + 1
    return years
