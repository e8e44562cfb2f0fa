"""The Rapporto di impatto as a typed document: the renderers turn it into Word, HTML or PDF.

Every value from the spec or from a measurement file is a `Text` node, never markup.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from capitolato.document.model import Block, Cell, Column, Document, Figure, Heading, ListBlock, Paragraph, Table, Text
from capitolato.italian import date as italian_date
from capitolato.italian import euro, number, percent
from capitolato.monitor.engine import LevelReview, Monitoring, Summary, period_text
from capitolato.monitor.progress import IndicatorProgress, Status

KIND = "rapporto-impatto"
Charts = Callable[[IndicatorProgress], Figure | None]


def report_title(monitoring: Monitoring) -> str:
    return f"Rapporto di impatto al {italian_date(monitoring.at)}"


def report_document(monitoring: Monitoring, charts: Charts | None = None) -> Document:
    """The whole report; `charts` draws the figure of a quantitative indicator (None: no charts)."""
    blocks: list[Block] = [*_summary(monitoring), *_objective_and_strategies(monitoring),
                           *_indicators(monitoring, charts), *_missing(monitoring), *_money(monitoring),
                           *_deadlines(monitoring), *_governance(monitoring)]
    return Document(KIND, report_title(monitoring), tuple(blocks))


def _t(text: str, **style) -> tuple[Text, ...]:
    return (Text(text, **style),)


def _p(*parts: str | Text) -> Paragraph:
    return Paragraph(tuple(Text(part) if isinstance(part, str) else part for part in parts))


def _h(level: int, text: str, section: str | None = None) -> Heading:
    return Heading(level, _t(text), section=section)


def _table(titles: list[tuple[str, float | None]], rows: list[list[str]], caption: str = "",
           total: list[str] | None = None) -> Table:
    columns = tuple(Column(_t(title), width) for title, width in titles)
    body = tuple(tuple(Cell(_t(value), col) for col, value in enumerate(row)) for row in rows)
    last = tuple(Cell(_t(value), col, bold=True) for col, value in enumerate(total)) if total else None
    return Table(columns, body, last, caption)


def _bullets(items: list[str]) -> ListBlock:
    return ListBlock(tuple((_p(item),) for item in items))


def _value(value: Decimal | None) -> str:
    return number(value) if value is not None else "–"


def _share(fraction: Decimal | None) -> str:
    if fraction is None:
        return "–"
    return percent((fraction * 100).quantize(Decimal(1), ROUND_HALF_UP))


def _summary(monitoring: Monitoring) -> list[Block]:
    spec = monitoring.spec
    count = sum(len(p.series) for p in monitoring.indicators)
    rows = [[p.indicator.code, p.indicator.name, _value(p.baseline.value if p.baseline else None),
             _value(p.target.value if p.target else None), _latest(p), _share(p.progress), _share(p.expected),
             p.status.value] for p in monitoring.indicators]
    return [
        _h(1, "Sintesi", "sintesi"),
        _p("Contratto: ", Text(spec.procedure.subject, origin="procedura.oggetto"), ". Periodo di esecuzione "
           f"considerato: {period_text(monitoring)}; {count} misure di {len(monitoring.indicators)} indicatori."),
        _table([("Codice", 1.5), ("Indicatore", None), ("Baseline", 1.8), ("Target", 1.8), ("Ultimo valore", 2.6),
                ("Avanzamento", 2.2), ("Atteso", 1.6), ("Stato", 2.0)], rows,
               "Tabella 1 – Stato degli indicatori"),
        _p("L'avanzamento è la quota della distanza tra baseline e target percorsa dall'ultimo valore (nel verso del "
           "miglioramento); l'atteso è la quota prevista alla data del rapporto dalla traiettoria dello spec o, in "
           "mancanza, dalla retta tra baseline e target. Gli stati:"),
        _bullets([f"{status.value}: {status.meaning}" for status in Status]),
    ]


def _latest(p: IndicatorProgress) -> str:
    if p.latest is None:
        return "–"
    shown = _value(p.latest.value) if p.latest.value is not None else "giudizio"
    return f"{shown} ({p.latest.date.strftime('%d/%m/%Y')})"


def _objective_and_strategies(monitoring: Monitoring) -> list[Block]:
    blocks: list[Block] = [_h(1, "Obiettivo e strategie", "strategie")]
    if monitoring.objective is not None:
        blocks += [_p(Text("Obiettivo: ", bold=True), Text(monitoring.objective.title, origin="obiettivo.testo")),
                   _p(f"Indicatori dell'obiettivo: {_codes(monitoring.objective)}.")]
    rows = [[s.code, s.title, ", ".join(p.indicator.code for p in s.indicators) or "–", s.describe()]
            for s in monitoring.strategies]
    if rows:
        blocks.append(_table([("Codice", 1.5), ("Strategia", None), ("Indicatori", 2.5), ("Sintesi", 6.0)], rows,
                             "Tabella 2 – Strategie e loro indicatori"))
    return blocks


def _codes(summary: Summary) -> str:
    listed = ", ".join(f"{p.indicator.code} {p.status.value}" for p in summary.indicators)
    return f"{summary.describe()} ({listed})" if listed else summary.describe()


def _indicators(monitoring: Monitoring, charts: Charts | None) -> list[Block]:
    blocks: list[Block] = [_h(1, "Andamento degli indicatori", "indicatori")]
    for progress in monitoring.indicators:
        blocks += _indicator(progress, charts)
    return blocks


def _indicator(p: IndicatorProgress, charts: Charts | None) -> list[Block]:
    indicator = p.indicator
    facts = [f"livello {indicator.level.value}", f"misura {indicator.measure.value}"]
    facts += [f"unità: {indicator.unit}"] if indicator.unit else []
    facts += [f"fonte: {indicator.source}"] if indicator.source else []
    facts += [f"frequenza: {indicator.frequency}"] if indicator.frequency else []
    facts += [f"rilevatore: {indicator.owner.value}"] if indicator.owner else []
    blocks: list[Block] = [_h(2, f"{indicator.code} – {indicator.name}"), _p("; ".join(facts) + "."),
                           _p(Text("Stato: ", bold=True), Text(p.status.value, bold=True), _status_sentence(p))]
    figure = charts(p) if charts is not None and p.quantitative else None
    if figure is not None:
        blocks.append(figure)
    judged = not p.quantitative
    columns = [("Data", 2.0), ("Punteggio" if judged else "Valore", 1.8), *([("Giudizio", None)] if judged else []),
               ("Fonte", 3.0), ("Rilevatore", 2.4), ("Note", None)]
    rows = [[m.date.strftime("%d/%m/%Y"), _value(m.value), *([m.text or ""] if judged else []), m.source,
             m.surveyor, m.note] for m in p.series]
    if rows:
        blocks.append(_table(columns, rows, f"Misure di {indicator.code}"))
    else:
        blocks.append(_p("Nessuna misura fino alla data del rapporto."))
    return blocks


def _status_sentence(p: IndicatorProgress) -> str:
    if p.status is Status.NO_DATA:
        return " – " + p.status.meaning + "."
    text = f" – ultimo valore {_latest(p)}, avanzamento {_share(p.progress)} della distanza"
    if p.expected is not None:
        text += f" (atteso alla data del rapporto: {_share(p.expected)}, valore {_value(_rounded(p.expected_value))})"
    return text + "."


def _rounded(value: Decimal | None) -> Decimal | None:
    return value.quantize(Decimal("0.1"), ROUND_HALF_UP) if value is not None else None


def _missing(monitoring: Monitoring) -> list[Block]:
    blocks: list[Block] = [_h(1, "Misure mancanti", "mancanti")]
    rows = [[p.indicator.code, p.indicator.name, period.label, p.indicator.owner.value if p.indicator.owner else "–"]
            for p in monitoring.indicators for period in p.missing]
    if not rows:
        return blocks + [_p("Nessuna misura mancante: ogni periodo concluso ha la sua misura.")]
    return blocks + [_p("Periodi di rilevazione conclusi, secondo la frequenza di ciascun indicatore, senza una "
                        "misura datata al loro interno:"),
                     _table([("Codice", 1.5), ("Indicatore", None), ("Periodo", 3.5), ("Rilevatore", 3.0)], rows,
                            "Tabella 3 – Misure mancanti")]


def _money(monitoring: Monitoring) -> list[Block]:
    money = monitoring.money
    blocks: list[Block] = [_h(1, "Importi legati ai risultati", "importi")]
    if not money.amounts and not money.notes:
        return blocks + [_p("Il contratto non lega importi agli indicatori.")]
    rows = [[a.title, a.period, a.indicator, euro(a.amount) if a.amount is not None else "non calcolabile", a.formula]
            for a in money.amounts]
    blocks.append(_p(f"Importi calcolati dalle clausole del contratto sulle misure fino al "
                     f"{italian_date(monitoring.at)}; base di calcolo: {money.amount_source}, "
                     f"{euro(money.contract_amount)}."))
    if rows:
        blocks.append(_table([("Clausola", 3.3), ("Periodo", 3.0), ("Indicatore", 1.7), ("Importo", 2.9),
                              ("Formula", None)], rows, "Tabella 4 – Riduzioni del corrispettivo e penali",
                             total=["Totale", "", "", euro(money.total), ""]))
    if money.notes:
        blocks.append(_bullets(list(money.notes)))
    blocks.append(_p("Gli importi sono applicati previa contestazione e valutazione delle osservazioni "
                     "dell'appaltatore, come previsto dalle clausole."))
    return blocks


def _deadlines(monitoring: Monitoring) -> list[Block]:
    at = monitoring.at
    rows = [[d.date.strftime("%d/%m/%Y"), d.description, d.describe(at)] for d in monitoring.reports]
    rows += [[d.date.strftime("%d/%m/%Y"), d.description, d.describe(at)] for d in monitoring.measurements_due]
    blocks: list[Block] = [_h(1, "Scadenze", "scadenze")]
    if not rows:
        return blocks + [_p("Nessuna scadenza nello spec (valutazione_impatto.rendicontazione).")]
    return blocks + [_p("I rapporti della rendicontazione e la prossima misura di ciascun indicatore; una scadenza "
                        "passata resta segnata finché lo spec non la aggiorna."),
                     _table([("Data", 2.2), ("Scadenza", None), ("Stato", 3.5)], rows, "Tabella 5 – Scadenze")]


def _governance(monitoring: Monitoring) -> list[Block]:
    if not monitoring.reviews:
        return []
    blocks: list[Block] = [_h(1, "Esame da parte dei livelli di governance", "governance")]
    for review in monitoring.reviews:
        blocks += _review(monitoring, review)
    return blocks


def _review(monitoring: Monitoring, review: LevelReview) -> list[Block]:
    level = review.level
    frequency = f", frequenza {level.frequency}" if level.frequency else ""
    blocks: list[Block] = [_h(2, f"{level.name} (livello {level.level.value}{frequency})")]
    if level.functions:
        blocks.append(_p("Funzioni nella matrice di governance: " + "; ".join(level.functions) + "."))
    blocks.append(_p(f"Su questo rapporto il livello {review.task}:"))
    items = [line for part in review.parts for line in _review_items(monitoring, part)]
    blocks.append(_bullets(items))
    return blocks


def _review_items(monitoring: Monitoring, part: str) -> list[str]:
    """The lines of one part of the report a level examines (parts named in data/monitoraggio.yaml)."""
    return REVIEW_PARTS[part](monitoring)


def _synthesis_items(monitoring: Monitoring) -> list[str]:
    lines = [f"obiettivo: {_codes(monitoring.objective)}"] if monitoring.objective else []
    return lines + [f"strategia {s.code} «{s.title}»: {s.describe()}" for s in monitoring.strategies]


def _money_items(monitoring: Monitoring) -> list[str]:
    return [f"importi legati ai risultati: {euro(monitoring.money.total)} ({len(monitoring.money.amounts)} voci, "
            "tabella 4)"]


def _deadline_items(monitoring: Monitoring) -> list[str]:
    upcoming = [r for r in monitoring.reports if not r.overdue]
    return [f"prossimo rapporto: {r.description}, {r.date.strftime('%d/%m/%Y')}" for r in upcoming[:1]] or [
        "nessun rapporto ancora in scadenza"]


def _indicator_items(monitoring: Monitoring) -> list[str]:
    return [f"{p.indicator.code} {p.indicator.name}: {p.status.value}" for p in monitoring.indicators]


def _deviation_items(monitoring: Monitoring) -> list[str]:
    return [f"{p.indicator.code} {p.status.value}: {p.indicator.name}" for p in monitoring.off_track] or [
        "nessun indicatore in ritardo o peggiorato"]


def _missing_items(monitoring: Monitoring) -> list[str]:
    return [f"misura mancante di {p.indicator.code} ({', '.join(period.label for period in p.missing)}), "
            f"rilevatore {p.indicator.owner.value if p.indicator.owner else 'non indicato'}"
            for p in monitoring.missing] or ["nessuna misura mancante"]


REVIEW_PARTS: dict[str, Callable[[Monitoring], list[str]]] = {
    "sintesi": _synthesis_items, "importi": _money_items, "scadenze": _deadline_items,
    "indicatori": _indicator_items, "scostamenti": _deviation_items, "mancanti": _missing_items,
}
