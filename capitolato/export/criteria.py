"""The award criteria as eForms and OCDS see them: a flat list per lot, quality criteria plus the price."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from capitolato import italian
from capitolato.model.tender import AwardMethod, Criterion, Spec


@dataclass(frozen=True)
class ExportCriterion:
    """One top-level criterion: `kind` is the eForms BT-539 type, `points` its weight in points."""

    kind: str
    name: str
    description: str | None
    points: Decimal
    fixed_amount: Decimal | None = None


def criterion_points(criterion: Criterion) -> Decimal:
    """Declared points, or the sum of the subcriteria when the group states none."""
    if criterion.points is not None:
        return criterion.points
    return sum((criterion_points(child) for child in criterion.subcriteria), Decimal(0))


def award_criteria(spec: Spec) -> list[ExportCriterion]:
    """Top-level quality criteria (subcriteria summarised in the description), then the price criterion."""
    award = spec.award
    if award is None:
        return []
    quality = [ExportCriterion("quality", f"{c.code} – {c.title}", _description(c), criterion_points(c))
               for c in award.criteria]
    if award.method is AwardMethod.FIXED_PRICE:
        return [*quality, ExportCriterion("price", "Prezzo fisso", _fixed_price_text(spec), Decimal(0),
                                          fixed_price_amount(spec))]
    if award.economic_points > 0:
        return [*quality, ExportCriterion("price", "Prezzo", _price_text(spec), award.economic_points)]
    return quality


def fixed_price_amount(spec: Spec) -> Decimal | None:
    """The fixed amount from the award section, or from the `prezzo-fisso` clause."""
    if spec.award is not None and spec.award.fixed_amount is not None:
        return spec.award.fixed_amount
    amount = next((use.parameters.get("importo_fisso") for use in spec.clauses if use.id == "prezzo-fisso"), None)
    return Decimal(str(amount)) if amount is not None else None


def _description(criterion: Criterion) -> str | None:
    if criterion.description:
        return criterion.description
    if not criterion.subcriteria:
        return None
    return "; ".join(f"{child.code} {child.title} ({_points_text(criterion_points(child))})"
                     for child in criterion.subcriteria)


def _price_text(spec: Spec) -> str | None:
    award = spec.award
    if award is None or award.price_formula is None:
        return None
    return f"formula {award.price_formula.value}"


def _fixed_price_text(spec: Spec) -> str | None:
    return spec.award.fixed_price_reason if spec.award is not None else None


def _points_text(points: Decimal) -> str:
    return "1 punto" if points == 1 else f"{italian.number(points)} punti"
