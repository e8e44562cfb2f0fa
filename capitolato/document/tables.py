"""The tables of a tender as document tables: governance matrix, award grid, indicators, amounts.

A value of the spec keeps its path (`origin`), so a placeholder in a cell is located at the line that holds it.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from capitolato.document.model import Align, Cell, Column, Inline, LineBreak, Table, Text
from capitolato.document.values import SpecText
from capitolato.italian import euro, number, percent
from capitolato.model.facts import Facts
from capitolato.model.execution import Execution, over_months  # after tender, which imports it last
from capitolato.model.tender import Award, Criterion, CriterionKind, Governance, ImpactEvaluation, Spec, SupportLine

LEVEL_NAMES = {"strategico": "Strategico / decisionale", "gestionale": "Gestionale / organizzativo",
               "operativo": "Operativo"}
GRID_WIDTH_CM = 15.8
MAX_GRID_DEPTH = 5
KIND_NAMES = {CriterionKind.DISCRETIONARY: "D", CriterionKind.QUANTITATIVE: "Q", CriterionKind.TABULAR: "T"}


ColumnSpec = tuple[str, float, Align | None]
CellValue = str | SpecText | Cell


def block(columns: list[ColumnSpec], rows: list[list[CellValue]], *, total: list[CellValue] | None = None,
          caption: str = "") -> Table:
    """A table of the document: rows of text (a `SpecText` keeps its spec path) or of cells with merges."""
    return Table(
        columns=tuple(Column((Text(title),), width, align) for title, width, align in columns),
        rows=_place([list(row) for row in rows], len(columns)),
        total=tuple(replace(c, bold=True) for c in _place([list(total)], len(columns))[0]) if total else None,
        caption=caption,
    )


def cell(text: str, *, rows: int = 1, columns: int = 1, bold: bool = False, origin: str | None = None) -> Cell:
    """A cell spanning `rows` × `columns` slots; its column is set when the row is placed."""
    return Cell(_inlines(text, origin), col=0, rowspan=rows, colspan=columns, bold=bold)


def _inlines(text: str, origin: str | None) -> tuple[Inline, ...]:
    parts: list[Inline] = []
    for index, line in enumerate(str(text).split("\n")):
        if index:
            parts.append(LineBreak())
        if line:
            parts.append(Text(line, origin=origin))
    return tuple(parts)


def _place(rows: list[list[CellValue]], ncols: int) -> tuple[tuple[Cell, ...], ...]:
    """Lay cells on the grid, adding the continuation slots under vertical merges from rows above."""
    remaining = [0] * ncols
    spans = [1] * ncols
    placed: list[tuple[Cell, ...]] = []
    for raw in rows:
        queue = [value if isinstance(value, Cell) else cell(value, origin=getattr(value, "origin", None))
                 for value in raw]
        slots: list[Cell] = []
        col = 0
        while col < ncols:
            if remaining[col] > 0:
                remaining[col] -= 1
                slots.append(Cell((), col, colspan=spans[col], continuation=True))
                col += spans[col]
                continue
            current = replace(queue.pop(0), col=col)
            remaining[col], spans[col] = current.rowspan - 1, current.colspan
            slots.append(current)
            col += current.colspan
        placed.append(tuple(slots))
    return tuple(placed)


def _lines(items: list[str], origin: str) -> SpecText | str:
    return SpecText("; ".join(items), origin) if items else "—"


def _spec(value: str | None, origin: str) -> SpecText | str:
    return SpecText(value, origin) if value else "—"


def partner_name(outside_codice: bool) -> str:
    """Who delivers the service: an awardee in a contract, a partner in shared administration (art. 6 Codice)."""
    return "ente partner" if outside_codice else "aggiudicatario"


def governance_table(governance: Governance, partner: str = "aggiudicatario") -> Table:
    rows: list[list[CellValue]] = []
    for index, level in enumerate(governance.levels):
        at = f"governance.livelli.{index}"
        name = Cell((Text(LEVEL_NAMES[level.level.value], bold=True), LineBreak(), Text(level.name, origin=f"{at}.nome")), 0)
        rows.append([name, _lines(level.authority_roles, f"{at}.ruoli_ente"),
                     _lines(level.awardee_roles, f"{at}.ruoli_aggiudicatario"), _lines(level.functions, f"{at}.funzioni"),
                     _spec(level.frequency, f"{at}.frequenza")])
    return block([("Livello", 3.0, None), ("Ruoli dell'ente", 3.2, None), (f"Ruoli dell'{partner}", 3.2, None),
                  ("Funzioni", 4.0, None), ("Frequenza", 2.4, None)], rows, caption="Matrice di governance")


def support_lines_table(lines: list[SupportLine]) -> Table:
    rows: list[list[CellValue]] = [
        [SpecText(line.name, f"linee_supporto.{i}.nome"), SpecText(line.description, f"linee_supporto.{i}.descrizione"),
         _lines(line.recipients, f"linee_supporto.{i}.destinatari"), _spec(line.frequency, f"linee_supporto.{i}.frequenza"),
         number(line.hours) if line.hours is not None else "—"] for i, line in enumerate(lines)]
    return block([("Linea", 3.4, None), ("Descrizione", 5.6, None), ("Destinatari", 3.0, None),
                  ("Frequenza", 2.4, None), ("Ore", 1.4, "right")], rows, caption="Linee di supporto")


def indicators_table(impact: ImpactEvaluation, partner: str = "aggiudicatario") -> Table:
    owners = {"ente": "ente", "aggiudicatario": partner, "terzo": "soggetto terzo"}
    rows: list[list[CellValue]] = []
    for i, indicator in enumerate(impact.indicators):
        at = f"valutazione_impatto.indicatori.{i}"
        baseline = f"{_value(indicator.baseline.value)} ({indicator.baseline.date:%d/%m/%Y})" if indicator.baseline else "—"
        target = f"{_value(indicator.target.value)} ({indicator.target.date:%d/%m/%Y})" if indicator.target else "—"
        name = SpecText(indicator.name + (f" [{indicator.unit}]" if indicator.unit else ""), f"{at}.nome")
        rows.append([indicator.code, name, indicator.level.value, SpecText(baseline, f"{at}.baseline"),
                     SpecText(target, f"{at}.target"), _spec(indicator.source, f"{at}.fonte"),
                     _spec(indicator.frequency, f"{at}.frequenza"),
                     owners[indicator.owner.value] if indicator.owner else "—"])
    return block([("Cod.", 1.2, None), ("Indicatore", 4.2, None), ("Livello", 1.8, None), ("Baseline", 2.2, None),
                  ("Target", 2.2, None), ("Fonte", 2.6, None), ("Frequenza", 1.8, None), ("Rilevatore", 2.0, None)],
                 rows, caption="Indicatori del sistema di valutazione dell'impatto sociale")


def _value(value: Any) -> str:
    return number(value) if isinstance(value, Decimal) else str(value)


def amounts_table(spec: Spec, facts: Facts) -> Table:
    amounts = spec.amounts
    rows = [["Importo a base di gara (IVA esclusa)", euro(amounts.base_amount), "100 %"]]
    for label, value in (("di cui costi della manodopera stimati", amounts.labour_cost),
                         ("di cui oneri della sicurezza non soggetti a ribasso", amounts.safety_costs)):
        if value is not None:
            share = percent((value / amounts.base_amount * 100).quantize(Decimal("0.1"))) if amounts.base_amount else "—"
            rows.append([label, euro(value), share])
    extra = (("Opzioni", amounts.options), ("Rinnovi", amounts.renewals), ("Proroga tecnica", amounts.extension))
    rows += [[label, euro(value), ""] for label, value in extra if value]
    return block([("Voce", 10.0, None), ("Importo", 4.0, "right"), ("Quota", 2.5, "right")], rows,
                 total=["Valore stimato dell'appalto (art. 14 c. 4)", euro(facts.estimated_value), ""],
                 caption="Quadro economico")


def criteria_table(award: Award, caption: str = "Criteri e sottocriteri di valutazione dell'offerta tecnica",
                   total_label: str = "Totale offerta tecnica") -> Table:
    """The award grid with a row per leaf criterion and parent codes merged across their sub-criteria.

    A tree deeper than the page can hold as one column per level becomes an outline, one row per criterion.
    """
    depth = max((_depth(c) for c in award.criteria), default=1)
    if depth > MAX_GRID_DEPTH:
        return _outline_table(award, caption, total_label)
    rows: list[list[CellValue]] = []
    for criterion in award.criteria:
        rows += _criterion_rows(criterion, depth)
    group_width = 3.2 if depth <= 3 else 2.4
    columns = [("Criterio" if i == 0 else "Sottocriterio", group_width, None) for i in range(depth - 1)]
    columns += [("Descrizione", GRID_WIDTH_CM - group_width * (depth - 1) - 2.8, None),
                ("Tipo", 1.2, "center"), ("Punti max", 1.6, "right")]
    blanks = [""] * (len(columns) - 2)
    total = [*blanks[:-1], total_label, "", number(award.technical_points)] if depth > 1 else \
        [total_label, "", number(award.technical_points)]
    return block(columns, rows, total=total, caption=caption)


def _outline_table(award: Award, caption: str, total_label: str) -> Table:
    """One row per criterion with its level: the grid's columns per level would not fit the page."""
    rows: list[list[CellValue]] = [[str(level), cell(f"{c.code} – {c.title}", bold=bool(c.subcriteria)),
             KIND_NAMES.get(c.kind, "—") if c.kind else "—", _points(c)] for c, level in _walk(award.criteria, 1)]
    return block([("Livello", 1.6, "center"), ("Criterio", GRID_WIDTH_CM - 4.4, None), ("Tipo", 1.2, "center"),
                  ("Punti max", 1.6, "right")], rows,
                 total=["", total_label, "", number(award.technical_points)], caption=caption)


def _walk(criteria: list[Criterion], level: int) -> list[tuple[Criterion, int]]:
    """Every criterion in reading order with its level, iteratively: the tree may be as deep as the YAML allows."""
    found: list[tuple[Criterion, int]] = []
    stack = [(criterion, level) for criterion in reversed(criteria)]
    while stack:
        criterion, depth = stack.pop()
        found.append((criterion, depth))
        stack += [(child, depth + 1) for child in reversed(criterion.subcriteria)]
    return found


def _depth(criterion: Criterion) -> int:
    return 1 + max((_depth(c) for c in criterion.subcriteria), default=0)


def _leaves(criterion: Criterion) -> int:
    return sum(_leaves(c) for c in criterion.subcriteria) if criterion.subcriteria else 1


def _criterion_rows(criterion: Criterion, depth: int) -> list[list[CellValue]]:
    """Rows for one subtree: the parent's code cell spans all its leaves (a vertical merge)."""
    if not criterion.subcriteria:
        label = f"{criterion.code} – {criterion.title}"
        span = cell(label, columns=depth) if depth > 1 else label
        return [[span, KIND_NAMES.get(criterion.kind, "—") if criterion.kind else "—", _points(criterion)]]
    header = cell(f"{criterion.code} – {criterion.title} ({_points(criterion)} punti)", rows=_leaves(criterion),
                  bold=True)
    rows: list[list[CellValue]] = []
    for index, child in enumerate(criterion.subcriteria):
        child_rows = _criterion_rows(child, depth - 1)
        if index == 0:
            child_rows[0] = [header, *child_rows[0]]
        rows += child_rows
    return rows


def _points(criterion: Criterion) -> str:
    return number(criterion.points) if criterion.points is not None else "—"


def guidance_table(award: Award) -> Table | None:
    """Scale and motivational criteria of every discretionary criterion: what the commission's judgement follows."""
    rows: list[list[CellValue]] = []
    for path, criterion in _discretionary(award.criteria, "aggiudicazione.criteri"):
        scale = " – ".join(number(step) for step in criterion.scale) if criterion.scale else "—"
        guidance = SpecText(criterion.guidance, f"{path}.criteri_motivazionali") if criterion.guidance else "—"
        rows.append([f"{criterion.code} – {criterion.title}", SpecText(scale, f"{path}.scala"), guidance])
    if not rows:
        return None
    return block([("Criterio", 4.4, None), ("Scala dei coefficienti", 3.4, None), ("Criteri motivazionali", 8.0, None)],
                 rows, caption="Criteri discrezionali: scala dei coefficienti e criteri motivazionali")


def _discretionary(criteria: list[Criterion], base: str) -> list[tuple[str, Criterion]]:
    found: list[tuple[str, Criterion]] = []
    for index, criterion in enumerate(criteria):
        path = f"{base}.{index}"
        if criterion.subcriteria:
            found += _discretionary(criterion.subcriteria, f"{path}.sottocriteri")
        elif criterion.kind is CriterionKind.DISCRETIONARY:
            found.append((path, criterion))
    return found


def tabular_levels_table(criterion: Criterion) -> Table:
    rows: list[list[CellValue]] = [[level.description, number(level.points)] for level in criterion.levels]
    return block([("Condizione", 12.0, None), ("Punti", 2.5, "right")], rows,
                 caption=f"Criterio {criterion.code} – punteggi tabellari")


def activities_table(execution: Execution, months: int) -> Table:
    """The activities with times, volumes and yearly hours: the monte ore the labour-cost estimate states."""
    rows: list[list[CellValue]] = []
    for i, activity in enumerate(execution.activities):
        at = f"esecuzione.prestazioni.{i}"
        profile = execution.profile(activity.profile)
        rows.append([activity.code, SpecText(activity.title, f"{at}.attivita"), _spec(activity.schedule, f"{at}.orari"),
                     number(activity.persons) if activity.persons is not None else "—",
                     SpecText(profile.name if profile else activity.profile, f"{at}.profilo"),
                     number(activity.yearly_hours)])
    yearly = execution.yearly_hours()
    return block([("Rif.", 1.1, None), ("Attività", 4.3, None), ("Giorni e orari", 3.6, None),
                  ("Persone/anno", 2.0, "right"), ("Profilo", 3.0, None), ("Ore annue", 2.0, "right")], rows,
                 total=["", f"Totale annuo (per {months} mesi: {number(int(over_months(yearly, months)))} ore)", "", "",
                        "", number(yearly)],
                 caption="Prestazioni, tempi e volumi")


def profiles_table(execution: Execution) -> Table:
    """Staff profiles: qualifications, CCNL level and yearly hours (from the activities)."""
    hours = execution.hours_by_profile()
    rows: list[list[CellValue]] = []
    for i, profile in enumerate(execution.profiles):
        at = f"esecuzione.profili.{i}"
        required = _lines(profile.qualifications, f"{at}.titoli")
        rows.append([SpecText(profile.name, f"{at}.nome"), required, _spec(profile.experience, f"{at}.esperienza"),
                     _spec(profile.level, f"{at}.livello"), number(hours.get(profile.code, 0))])
    return block([("Profilo", 3.0, None), ("Titoli e qualifiche richiesti", 5.6, None), ("Esperienza", 3.2, None),
                  ("Livello CCNL", 2.2, None), ("Ore annue", 2.0, "right")], rows,
                 caption="Profili professionali richiesti")
