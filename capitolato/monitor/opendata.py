"""The indicators' progress as open data (JSON and CSV), the form the open-data KPI clause promises.

Numbers are plain (decimal point), dates ISO 8601, text UTF-8: machine-readable, the same bytes for the same inputs.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from capitolato.monitor.engine import Monitoring
from capitolato.monitor.progress import IndicatorProgress, Status

CSV_COLUMNS = ("codice", "nome", "livello", "misura", "unita", "direzione", "baseline", "data_baseline", "target",
               "data_target", "ultimo_valore", "data_ultimo_valore", "avanzamento_percento",
               "avanzamento_atteso_percento", "stato", "misure_rilevate", "misure_mancanti", "prossima_misura")


def to_json(monitoring: Monitoring) -> bytes:
    spec = monitoring.spec
    data = {
        "ente": spec.authority.name,
        "oggetto": spec.procedure.subject,
        "cig": spec.procedure.cig,
        "al": monitoring.at.isoformat(),
        "inizio_esecuzione": monitoring.window.start.isoformat(),
        "indicatori": [_indicator(p) for p in monitoring.indicators],
        "sintesi": [{"codice": s.code, "titolo": s.title, "indicatori": [p.indicator.code for p in s.indicators],
                     "stati": {status.value: s.counts[status] for status in Status if s.counts[status]}}
                    for s in ((monitoring.objective,) if monitoring.objective else ()) + monitoring.strategies],
        "importi": [{"clausola": a.clause, "periodo": a.period, "indicatore": a.indicator,
                     "importo": _number(a.amount), "formula": a.formula} for a in monitoring.money.amounts],
        "rendicontazione": [{"data": r.date.isoformat(), "descrizione": r.description, "scaduta": r.overdue}
                            for r in monitoring.reports],
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _indicator(p: IndicatorProgress) -> dict[str, Any]:
    indicator = p.indicator
    return {
        "codice": indicator.code, "nome": indicator.name, "livello": indicator.level.value,
        "misura": indicator.measure.value, "unita": indicator.unit,
        "direzione": p.direction.value if p.direction else None,
        "baseline": _point(p.baseline), "target": _point(p.target),
        "avanzamento": _number(p.progress, 4), "avanzamento_atteso": _number(p.expected, 4),
        "valore_atteso": _number(p.expected_value, 4), "stato": p.status.value,
        "misure": [{"data": m.date.isoformat(), "valore": _number(m.value), "giudizio": m.text, "fonte": m.source,
                    "rilevatore": m.surveyor, "note": m.note} for m in p.series],
        "misure_mancanti": [{"periodo": period.label, "dal": period.start.isoformat(), "al": period.end.isoformat()}
                            for period in p.missing],
        "prossima_misura": p.next_due.isoformat() if p.next_due else None,
    }


def _point(point) -> dict[str, Any] | None:
    return {"valore": _number(point.value), "data": point.date.isoformat()} if point else None


def _number(value: Decimal | None, places: int | None = None) -> int | float | None:
    """A JSON number: integers stay integers, the rest rounded half up to `places` (when given)."""
    if value is None:
        return None
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def to_csv(monitoring: Monitoring) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for p in monitoring.indicators:
        writer.writerow(_csv_row(p))
    return buffer.getvalue().encode("utf-8")


def _csv_row(p: IndicatorProgress) -> list[str]:
    latest = p.latest
    return [
        p.indicator.code, p.indicator.name, p.indicator.level.value, p.indicator.measure.value, p.indicator.unit or "",
        p.direction.value if p.direction else "",
        _plain(p.baseline.value if p.baseline else None), p.baseline.date.isoformat() if p.baseline else "",
        _plain(p.target.value if p.target else None), p.target.date.isoformat() if p.target else "",
        _plain(latest.value if latest else None), latest.date.isoformat() if latest else "",
        _plain(p.progress * 100 if p.progress is not None else None, 1),
        _plain(p.expected * 100 if p.expected is not None else None, 1),
        p.status.value, str(len(p.series)), str(len(p.missing)), p.next_due.isoformat() if p.next_due else "",
    ]


def _plain(value: Decimal | None, places: int | None = None) -> str:
    number = _number(value, places)
    return "" if number is None else str(number)
