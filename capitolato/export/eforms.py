"""eForms business terms of a tender (SDK pinned in data): what an eSender needs to flag the social aims,
reservations and award criteria of a notice. A JSON of business terms, not an eForms XML notice."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from capitolato.export.criteria import ExportCriterion, award_criteria
from capitolato.export.data import code, notice_subtypes, sdk_version
from capitolato.export.social import SocialSource, social_objectives, social_sources
from capitolato.export.values import cpv_code, number
from capitolato.library.load import Library
from capitolato.model.facts import Facts, derive
from capitolato.model.tender import CODICE_ROUTES, ProcedureKind, Spec

CURRENCY = "EUR"


def eforms(spec: Spec, library: Library | None = None) -> dict[str, Any]:
    """The notice subtype and, per lot, BT-06/775/777, BT-71/736, the award criteria, value, duration and CPV."""
    facts = derive(spec)
    subtype, subtype_note = notice_subtype(spec, facts)
    result: dict[str, Any] = {"sdk": sdk_version(), "sottotipo_avviso": subtype, "nota_sottotipo": subtype_note}
    if spec.procedure.kind not in CODICE_ROUTES:
        return {**result, "procedura": None, "lotti": []}
    sources = social_sources(spec, library)
    lot_terms = _common_lot_terms(spec, sources)
    result["procedura"] = {
        "BT-21-Procedure": spec.procedure.subject,
        "BT-262-Procedure": cpv_code(spec.procedure.cpv[0]),
        "BT-27-Procedure": _money(facts.estimated_value),
    }
    result["lotti"] = [{**lot, **lot_terms} for lot in _lots(spec, facts)]
    return result


def notice_subtype(spec: Spec, facts: Facts) -> tuple[str | None, str]:
    """Contract notice subtype: CN 20 for social services in the light regime, CN 16 otherwise above threshold."""
    kind = spec.procedure.kind
    if kind not in CODICE_ROUTES:
        return None, "procedura fuori dal Codice dei contratti: nessun avviso eForms"
    if kind in (ProcedureKind.NEGOTIATED, ProcedureKind.DIRECT_AWARD):
        return None, "procedura senza bando: nessun avviso di indizione eForms"
    if kind is ProcedureKind.CONCESSION:
        return None, "concessione: sottotipo del regime alleggerito da verificare, non esportato"
    if facts.above_social_threshold:
        return notice_subtypes()["bando-servizi-sociali"], "servizi sociali sopra 750.000 € (art. 127): regime alleggerito"
    if facts.above_eu_threshold:
        return notice_subtypes()["bando-standard"], "bando di gara ordinario sopra la soglia europea"
    return None, "sotto la soglia europea: nessuna pubblicazione obbligatoria nella GUUE"


def strategic_procurement(sources: list[SocialSource]) -> str:
    """BT-06: `soc-obj` as soon as a social clause or criterion is present."""
    return code("strategic-procurement", "soc-obj" if sources else "none")


def reserved_participation(spec: Spec) -> str:
    """BT-71: `res-ws` (art. 61, unless only execution is reserved), `res-pub-ser` (art. 129), else `none`."""
    kind = spec.procedure.kind
    if kind is ProcedureKind.RESERVED_61 and not _execution_reserved(spec):
        return code("reserved-procurement", "res-ws")
    if kind is ProcedureKind.RESERVED_129:
        return code("reserved-procurement", "res-pub-ser")
    return code("reserved-procurement", "none")


def reserved_execution(spec: Spec) -> str:
    """BT-736: `yes` when art. 61 reserves execution to sheltered employment programmes."""
    reserved = spec.procedure.kind is ProcedureKind.RESERVED_61 and _execution_reserved(spec)
    return code("applicability", "yes" if reserved else "no")


def _execution_reserved(spec: Spec) -> bool:
    params = {use.id: use.parameters for use in spec.clauses}
    return params.get("riservato-art61", {}).get("tipo_riserva") == "esecuzione"


def _common_lot_terms(spec: Spec, sources: list[SocialSource]) -> dict[str, Any]:
    terms: dict[str, Any] = {"BT-06-Lot": strategic_procurement(sources)}
    if sources:
        terms["BT-777-Lot"] = strategic_description(spec, sources)
        terms["BT-775-Lot"] = [code("social-objective", c) for c in social_objectives(sources)]
    terms["BT-71-Lot"] = reserved_participation(spec)
    terms["BT-736-Lot"] = reserved_execution(spec)
    terms["criteri_aggiudicazione"] = [_criterion(c) for c in award_criteria(spec)]
    terms["BT-36-Lot"] = {"valore": spec.procedure.duration_months, "unita": "MONTH"}
    return terms


def strategic_description(spec: Spec, sources: list[SocialSource]) -> str:
    """BT-777: the tender's objective, then the clauses and criteria that pursue the social aims."""
    listed = "; ".join(dict.fromkeys(source.label for source in sources))
    aim = f"{spec.objective.text.strip()} " if spec.objective else ""
    return f"{aim}Considerazioni sociali: {listed}."


def _criterion(criterion: ExportCriterion) -> dict[str, Any]:
    terms: dict[str, Any] = {"BT-539-Lot": code("award-criterion-type", criterion.kind), "BT-734-Lot": criterion.name}
    if criterion.description:
        terms["BT-540-Lot"] = criterion.description
    numbers: list[dict[str, Any]] = []
    if criterion.fixed_amount is not None:
        numbers.append({"BT-541-Lot-FixedNumber": number(criterion.fixed_amount),
                        "BT-5422-Lot": code("number-fixed", "fix-tot")})
    numbers.append({"BT-541-Lot-WeightNumber": number(criterion.points), "BT-5421-Lot": code("number-weight", "poi-exa")})
    terms["numeri"] = numbers
    return terms


def _lots(spec: Spec, facts: Facts) -> list[dict[str, Any]]:
    cpv = cpv_code(spec.procedure.cpv[0])
    if not spec.procedure.lots:
        return [{"BT-137-Lot": "LOT-0001", "BT-21-Lot": spec.procedure.subject, "BT-262-Lot": cpv,
                 "BT-27-Lot": _money(facts.estimated_value)}]
    return [{"BT-137-Lot": f"LOT-{lot.number:04d}", "BT-21-Lot": lot.subject, "BT-262-Lot": cpv,
             "BT-27-Lot": _money(lot.amount)} for lot in spec.procedure.lots]


def _money(amount: Decimal) -> dict[str, Any]:
    return {"importo": number(amount), "valuta": CURRENCY}
