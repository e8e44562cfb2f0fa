"""One chart per quantitative indicator: measurements, baseline, target and the expected path (matplotlib).

Imported only by `monitora` (matplotlib costs a second at import). The output is deterministic: no dates in the
metadata, a fixed hash salt for the SVG ids, the fonts shipped with matplotlib.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from matplotlib import rc_context
from matplotlib.dates import date2num
from matplotlib.figure import Figure

from capitolato.italian import MONTHS, number
from capitolato.monitor.progress import IndicatorProgress, Status

WIDTH_CM = 16.0
_SIZE_INCHES = (6.3, 2.9)
_PNG_DPI = 150
_MARGINS = {"left": 0.1, "right": 0.95, "top": 0.9, "bottom": 0.22}
_STYLE = {"svg.hashsalt": "capitolato", "svg.fonttype": "none", "font.family": "DejaVu Sans", "font.size": 8,
          "axes.spines.top": False, "axes.spines.right": False, "path.simplify": False}
_COLOURS = {Status.REACHED: "#1a7f37", Status.ON_TRACK: "#0b5cad", Status.LATE: "#b35900",
            Status.WORSE: "#b3261e", Status.NO_DATA: "#6e7781"}


def chart(progress: IndicatorProgress, at: dt.date, *, png: bool = True) -> tuple[bytes, bytes | None]:
    """The chart as SVG (for HTML, and kept in Word) and, when asked, PNG (what Word and the PDF show)."""
    with rc_context(_STYLE):
        figure = _draw(progress, at)
        vector = io.BytesIO()
        figure.savefig(vector, format="svg", metadata={"Date": None, "Creator": None})
        if not png:
            return vector.getvalue(), None
        raster = io.BytesIO()
        figure.savefig(raster, format="png", dpi=_PNG_DPI, metadata={"Software": None})
    return vector.getvalue(), raster.getvalue()


def alt_text(progress: IndicatorProgress, at: dt.date) -> str:
    """What the chart shows, in words, for screen readers and for Word's alternative text."""
    indicator = progress.indicator
    values = "; ".join(f"{m.date.strftime('%d/%m/%Y')}: {_number(m.value)}" for m in progress.series
                       if m.value is not None) or "nessuna misura"
    parts = [f"Andamento di {indicator.code} ({indicator.name}) fino al {at.strftime('%d/%m/%Y')}: {values}."]
    if progress.baseline and progress.target:
        parts.append(f"Baseline {_number(progress.baseline.value)} al {progress.baseline.date.strftime('%d/%m/%Y')}, "
                     f"target {_number(progress.target.value)} al {progress.target.date.strftime('%d/%m/%Y')}.")
    parts.append(f"Stato: {progress.status.value}.")
    return " ".join(parts)


def _draw(progress: IndicatorProgress, at: dt.date) -> Figure:
    figure = Figure(figsize=_SIZE_INCHES)
    figure.subplots_adjust(**_MARGINS)
    axes = figure.add_subplot()
    path = progress.trajectory()
    if path:
        axes.plot([date2num(p.date) for p in path], [float(p.value) for p in path], linestyle="--", color="#8c959f",
                  linewidth=1, label="traiettoria attesa")
        axes.axhline(float(path[0].value), color="#8c959f", linewidth=0.6, linestyle=":", label="baseline")
        axes.plot([date2num(path[-1].date)], [float(path[-1].value)], marker="*", markersize=10, linestyle="none",
                  color="#1a7f37", label="target")
    points = [m for m in progress.series if m.value is not None]
    if points:
        axes.plot([date2num(m.date) for m in points], [float(m.value) for m in points], marker="o", markersize=4,
                  linewidth=1.6, color=_COLOURS[progress.status], label=f"misure ({progress.status.value})")
    axes.axvline(date2num(at), color="#24292f", linewidth=0.6, label=f"al {at.strftime('%d/%m/%Y')}")
    _date_axis(axes, [p.date for p in path] + [m.date for m in points] + [at])
    axes.set_ylabel(_short(progress.indicator.unit or ""))
    axes.set_title(f"{progress.indicator.code} – {_short(progress.indicator.name, 80)}", loc="left", fontsize=9)
    axes.grid(axis="y", linewidth=0.3, color="#d0d7de")
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), ncols=5, frameon=False, fontsize=7)
    return figure


def _date_axis(axes, dates: list[dt.date]) -> None:
    """Ticks on 1 January and 1 July, labelled the Italian way («gen 2027»)."""
    first, last = min(dates), max(dates)
    ticks = [dt.date(year, month, 1) for year in range(first.year, last.year + 2) for month in (1, 7)
             if first <= dt.date(year, month, 1) <= last + dt.timedelta(days=31)]
    step = max(1, len(ticks) // 8)
    shown = ticks[::step]
    axes.set_xticks([date2num(t) for t in shown], [f"{MONTHS[t.month - 1][:3]} {t.year}" for t in shown])
    axes.set_xlim(date2num(first - dt.timedelta(days=20)), date2num(last + dt.timedelta(days=20)))


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _number(value: Decimal | None) -> str:
    return number(value) if value is not None else "–"
