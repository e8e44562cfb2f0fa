"""The tables of a tender as ```tabella``` blocks: governance matrix, award grid, indicators, amounts."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from capitolato.italian import euro, number, percent
from capitolato.model.facts import Facts
from capitolato.model.tender import Award, Criterion, CriterionKind, Governance, ImpactEvaluation, Spec, SupportLine

LEVEL_NAMES = {"strategico": "Strategico / decisionale", "gestionale": "Gestionale / organizzativo",
               "operativo": "Operativo"}
GRID_WIDTH_CM = 15.8
MAX_GRID_DEPTH = 5
KIND_NAMES = {CriterionKind.DISCRETIONARY: "D", CriterionKind.QUANTITATIVE: "Q", CriterionKind.TABULAR: "T"}


def block(columns: list[tuple[str, float, str | None]], rows: list[list[Any]], *, total: list[Any] | None = None,
          caption: str = "") -> str:
    """A fenced ```tabella``` block; the payload is JSON (valid YAML) so spec text is always safely quoted."""
    payload: dict[str, Any] = {
        "colonne": [{"titolo": title, "larghezza": width, **({"allinea": align} if align else {})}
                    for title, width, align in columns],
        "righe": rows,
    }
    if total is not None:
        payload["totale"] = total
    if caption:
        payload["didascalia"] = caption
    return "```tabella\n" + json.dumps(payload, ensure_ascii=False) + "\n```\n"


def _lines(items: list[str]) -> str:
    return "; ".join(items) if items else "—"


def partner_name(outside_codice: bool) -> str:
    """Who delivers the service: an awardee in a contract, a partner in shared administration (art. 6 Codice)."""
    return "ente partner" if outside_codice else "aggiudicatario"


def governance_table(governance: Governance, partner: str = "aggiudicatario") -> str:
    rows = [[f"{LEVEL_NAMES[level.level.value]}\n{level.name}", _lines(level.authority_roles),
             _lines(level.awardee_roles), _lines(level.functions), level.frequency or "—"]
            for level in governance.levels]
    return block([("Livello", 3.0, None), ("Ruoli dell'ente", 3.2, None), (f"Ruoli dell'{partner}", 3.2, None),
                  ("Funzioni", 4.0, None), ("Frequenza", 2.4, None)], rows, caption="Matrice di governance")


def support_lines_table(lines: list[SupportLine]) -> str:
    rows = [[line.name, line.description, _lines(line.recipients), line.frequency or "—",
             number(line.hours) if line.hours is not None else "—"] for line in lines]
    return block([("Linea", 3.4, None), ("Descrizione", 5.6, None), ("Destinatari", 3.0, None),
                  ("Frequenza", 2.4, None), ("Ore", 1.4, "destra")], rows, caption="Linee di supporto")


def indicators_table(impact: ImpactEvaluation, partner: str = "aggiudicatario") -> str:
    owners = {"ente": "ente", "aggiudicatario": partner, "terzo": "soggetto terzo"}
    rows = []
    for indicator in impact.indicators:
        baseline = f"{_value(indicator.baseline.value)} ({indicator.baseline.date:%d/%m/%Y})" if indicator.baseline else "—"
        target = f"{_value(indicator.target.value)} ({indicator.target.date:%d/%m/%Y})" if indicator.target else "—"
        rows.append([indicator.code, f"{indicator.name}" + (f" [{indicator.unit}]" if indicator.unit else ""),
                     indicator.level.value, baseline, target, indicator.source or "—", indicator.frequency or "—",
                     owners[indicator.owner.value] if indicator.owner else "—"])
    return block([("Cod.", 1.2, None), ("Indicatore", 4.2, None), ("Livello", 1.8, None), ("Baseline", 2.2, None),
                  ("Target", 2.2, None), ("Fonte", 2.6, None), ("Frequenza", 1.8, None), ("Rilevatore", 2.0, None)],
                 rows, caption="Indicatori del sistema di valutazione dell'impatto sociale")


def _value(value: Any) -> str:
    return number(value) if isinstance(value, Decimal) else str(value)


def amounts_table(spec: Spec, facts: Facts) -> str:
    amounts = spec.amounts
    rows = [["Importo a base di gara (IVA esclusa)", euro(amounts.base_amount), "100 %"]]
    for label, value in (("di cui costi della manodopera stimati", amounts.labour_cost),
                         ("di cui oneri della sicurezza non soggetti a ribasso", amounts.safety_costs)):
        if value is not None:
            share = percent((value / amounts.base_amount * 100).quantize(Decimal("0.1"))) if amounts.base_amount else "—"
            rows.append([label, euro(value), share])
    extra = (("Opzioni", amounts.options), ("Rinnovi", amounts.renewals), ("Proroga tecnica", amounts.extension))
    rows += [[label, euro(value), ""] for label, value in extra if value]
    return block([("Voce", 10.0, None), ("Importo", 4.0, "destra"), ("Quota", 2.5, "destra")], rows,
                 total=["Valore stimato dell'appalto (art. 14 c. 4)", euro(facts.estimated_value), ""],
                 caption="Quadro economico")


def criteria_table(award: Award, caption: str = "Criteri e sottocriteri di valutazione dell'offerta tecnica",
                   total_label: str = "Totale offerta tecnica") -> str:
    """The award grid with a row per leaf criterion and parent codes merged across their sub-criteria.

    A tree deeper than the page can hold as one column per level becomes an outline, one row per criterion.
    """
    depth = max((_depth(c) for c in award.criteria), default=1)
    if depth > MAX_GRID_DEPTH:
        return _outline_table(award, caption, total_label)
    rows: list[list[Any]] = []
    for criterion in award.criteria:
        rows += _criterion_rows(criterion, depth)
    group_width = 3.2 if depth <= 3 else 2.4
    columns = [("Criterio" if i == 0 else "Sottocriterio", group_width, None) for i in range(depth - 1)]
    columns += [("Descrizione", GRID_WIDTH_CM - group_width * (depth - 1) - 2.8, None),
                ("Tipo", 1.2, "centro"), ("Punti max", 1.6, "destra")]
    blanks = [""] * (len(columns) - 2)
    total = [*blanks[:-1], total_label, "", number(award.technical_points)] if depth > 1 else \
        [total_label, "", number(award.technical_points)]
    return block(columns, rows, total=total, caption=caption)


def _outline_table(award: Award, caption: str, total_label: str) -> str:
    """One row per criterion with its level: the grid's columns per level would not fit the page."""
    rows = [[str(level), {"testo": f"{c.code} – {c.title}", "grassetto": bool(c.subcriteria)},
             KIND_NAMES.get(c.kind, "—") if c.kind else "—", _points(c)] for c, level in _walk(award.criteria, 1)]
    return block([("Livello", 1.6, "centro"), ("Criterio", GRID_WIDTH_CM - 4.4, None), ("Tipo", 1.2, "centro"),
                  ("Punti max", 1.6, "destra")], rows,
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


def _criterion_rows(criterion: Criterion, depth: int) -> list[list[Any]]:
    """Rows for one subtree: the parent's code cell spans all its leaves (a vertical merge)."""
    if not criterion.subcriteria:
        label = f"{criterion.code} – {criterion.title}"
        span = {"testo": label, "colonne": depth} if depth > 1 else label
        return [[span, KIND_NAMES.get(criterion.kind, "—") if criterion.kind else "—", _points(criterion)]]
    header = {"testo": f"{criterion.code} – {criterion.title} ({_points(criterion)} punti)",
              "righe": _leaves(criterion), "grassetto": True}
    rows: list[list[Any]] = []
    for index, child in enumerate(criterion.subcriteria):
        child_rows = _criterion_rows(child, depth - 1)
        if index == 0:
            child_rows[0] = [header, *child_rows[0]]
        rows += child_rows
    return rows


def _points(criterion: Criterion) -> str:
    return number(criterion.points) if criterion.points is not None else "—"


def tabular_levels_table(criterion: Criterion) -> str:
    rows = [[level.description, number(level.points)] for level in criterion.levels]
    return block([("Condizione", 12.0, None), ("Punti", 2.5, "destra")], rows,
                 caption=f"Criterio {criterion.code} – punteggi tabellari")
