"""Monitoring during execution: measurements against baseline and target, reports for the governance levels.

`monitor_tender` is the library entry point (the CLI is a thin layer over it); nothing here prints.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from capitolato.errors import Location, ProblemList, SpecError
from capitolato.model.tender import Direction, Spec
from capitolato.monitor.engine import Monitoring, default_date, monitor
from capitolato.monitor.measurements import Measurement, load_measurements
from capitolato.monitor.parse import spec_number
from capitolato.monitor.sources import MeasurementError, measurement_files

MEASUREMENTS_FOLDER = "misure"

__all__ = ["Measurement", "MeasurementError", "Monitoring", "load_measurements", "monitor", "monitor_tender",
           "measurement_inputs"]


def measurement_inputs(spec: Spec, given: Sequence[Path] = ()) -> list[Path]:
    """The files or folders to read: those given, else `misure/` beside the spec (none if it does not exist)."""
    if given:
        return [Path(p) for p in given]
    if spec.source is None:
        return []
    folder = spec.source.path.parent / MEASUREMENTS_FOLDER
    return [folder] if folder.is_dir() else []


def monitor_tender(spec: Spec, measures: Sequence[Path] = (), at: dt.date | None = None) -> Monitoring:
    """The monitoring at `at` (default: the latest measurement's date); SpecError or MeasurementError list every
    problem of the spec's indicators or of the measurement files."""
    check_indicators(spec)
    inputs = measurement_inputs(spec, measures)
    measurements = load_measurements(spec, inputs)
    files = tuple(measurement_files(inputs)) + ((spec.source.path,) if spec.source is not None else ())
    return monitor(spec, measurements, at or default_date(measurements, spec), inputs=files)


def check_indicators(spec: Spec) -> None:
    """What monitoring needs of the spec beyond its schema: indicators, and a direction that agrees with them."""
    problems = ProblemList()
    locate = spec.source.locate if spec.source is not None else (lambda node: Location("<spec>"))
    indicators = spec.impact.indicators if spec.impact else []
    if not indicators:
        problems.add(locate(("valutazione_impatto",)), "lo spec non ha indicatori (valutazione_impatto.indicatori): "
                                                       "niente da monitorare")
    for index, indicator in enumerate(indicators):
        if indicator.direction is None or indicator.baseline is None or indicator.target is None:
            continue
        baseline, target = spec_number(indicator.baseline.value), spec_number(indicator.target.value)
        if baseline is None or target is None or baseline == target:
            continue
        if (target > baseline) != (indicator.direction is Direction.INCREASE):
            node = ("valutazione_impatto", "indicatori", index, "direzione")
            problems.add(locate(node),
                         f"direzione «{indicator.direction.value}» di {indicator.code} in contrasto con baseline "
                         f"({indicator.baseline.value}) e target ({indicator.target.value})")
    problems.raise_if_any(SpecError)
