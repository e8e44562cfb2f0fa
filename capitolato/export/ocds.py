"""An OCDS 1.1 release fragment of the tender, with the Lots, Award criteria breakdown, Sustainability,
Other requirements and Contract terms extensions: the open-contracting view portals and monitors consume."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from capitolato.export.criteria import ExportCriterion, award_criteria
from capitolato.export.data import mapping
from capitolato.export.eforms import reserved_execution, reserved_participation
from capitolato.export.social import SocialSource, social_sources
from capitolato.errors import SpecError, single
from capitolato.export.values import cpv_code, number
from capitolato.library.load import Library
from capitolato.model.facts import derive
from capitolato.model.tender import CODICE_ROUTES, Award, AwardMethod, Spec
from capitolato.slug import slug

DEFAULT_OCID_PREFIX = "ocds-capitolato-"
OCID_PREFIX = re.compile(r"^ocds-[a-z0-9]{1,40}-$")
DAYS_PER_MONTH = Decimal("365.25") / 12
BUYER_ID = "ente"


def check_ocid_prefix(prefix: str) -> None:
    """An OCID prefix is «ocds-», the publisher's registered code (lower-case letters and digits), and «-»: anything
    else would give every release an identifier no OCDS tool accepts."""
    if not OCID_PREFIX.match(prefix):
        raise single(SpecError, "--prefisso-ocid", f"prefisso OCID non valido «{prefix}»",
                     hint="la forma è «ocds-» + il codice registrato presso Open Contracting + «-», es. ocds-a1b2c3-")


def ocds(spec: Spec, *, ocid_prefix: str = DEFAULT_OCID_PREFIX, library: Library | None = None) -> dict[str, Any]:
    """A release tagged `tender`; dates come from the spec, so the same spec always gives the same release."""
    procedure = spec.procedure
    check_ocid_prefix(ocid_prefix)
    ocid = f"{ocid_prefix}{procedure.cig or slug(procedure.subject, 60, fallback='gara')}"
    return {
        "ocid": ocid,
        "id": f"{ocid}-bozza-{procedure.notice_date.isoformat()}",
        "date": f"{procedure.notice_date.isoformat()}T00:00:00Z",
        "tag": ["tender"],
        "initiationType": "tender",
        "language": "it",
        "parties": [{"id": BUYER_ID, "name": spec.authority.name, "roles": ["buyer", "procuringEntity"]}],
        "buyer": {"id": BUYER_ID, "name": spec.authority.name},
        "tender": _tender(spec, social_sources(spec, library)),
    }


def _tender(spec: Spec, sources: list[SocialSource]) -> dict[str, Any]:
    procedure, ocds_codes = spec.procedure, mapping()["ocds"]
    tender: dict[str, Any] = {
        "id": procedure.cig or "1",
        "title": procedure.subject,
        "status": "planning",
        "procuringEntity": {"id": BUYER_ID, "name": spec.authority.name},
        "mainProcurementCategory": "services",
        "procurementMethodDetails": procedure.kind.value,
        "value": _value(derive(spec).estimated_value),
        "contractPeriod": _period(procedure.duration_months),
        "items": [_item(spec)],
    }
    description = spec.service_description or (spec.objective.text if spec.objective else None)
    if description:
        tender["description"] = description
    method = ocds_codes["metodo_procedura"].get(procedure.kind.value)
    if method:
        tender["procurementMethod"] = method
    if spec.award is not None:
        tender["awardCriteria"] = ocds_codes["criterio_aggiudicazione"][spec.award.method.value]
    if procedure.kind in CODICE_ROUTES:
        _reservations(spec, tender)
    tender["lots"] = _lots(spec, sources)
    return tender


def _reservations(spec: Spec, tender: dict[str, Any]) -> None:
    reserved = mapping()["ocds"]["partecipazione_riservata"].get(spec.procedure.kind.value)
    if reserved and reserved_participation(spec) != "none":
        tender["otherRequirements"] = {"reservedParticipation": [reserved]}
    tender["contractTerms"] = {"reservedExecution": reserved_execution(spec) == "yes"}


def _lots(spec: Spec, sources: list[SocialSource]) -> list[dict[str, Any]]:
    common: dict[str, Any] = {"hasSustainability": bool(sources)}
    if sources:
        common["sustainability"] = sustainability(sources)
    criteria = award_criteria(spec)
    if spec.award is not None and criteria:
        common["awardCriteria"] = {"criteria": [_criterion(c, spec.award) for c in criteria]}
    if not spec.procedure.lots:
        return [{"id": "LOT-0001", "title": spec.procedure.subject, **common}]
    return [{"id": f"LOT-{lot.number:04d}", "title": lot.subject, "value": _value(lot.amount), **common}
            for lot in spec.procedure.lots]


def sustainability(sources: list[SocialSource]) -> list[dict[str, Any]]:
    """One entry per goal, with the strategies that pursue it and the clauses and criteria behind it."""
    goals = mapping()["obiettivi_ocds"]
    entries: dict[str, dict[str, Any]] = {}
    for source in sources:
        for objective in source.objectives:
            entry = entries.setdefault(goals[objective], {"strategies": [], "labels": []})
            entry["strategies"].append(source.strategy)
            entry["labels"].append(source.label)
    order = mapping()["ocds"]["strategie"]
    return [{"goal": goal,
             "strategies": [s for s in order if s in entry["strategies"]],
             "description": "; ".join(dict.fromkeys(entry["labels"]))}
            for goal, entry in sorted(entries.items())]


def _criterion(criterion: ExportCriterion, award: Award) -> dict[str, Any]:
    result: dict[str, Any] = {"type": criterion.kind, "name": criterion.name}
    if criterion.description:
        result["description"] = criterion.description
    result["numbers"] = _numbers(criterion, award)
    return result


def _numbers(criterion: ExportCriterion, award: Award) -> list[dict[str, Any]]:
    """Points as `pointsExact`; under a fixed price, decimal weights summing to 1 and the price as `fixed: total`."""
    if award.method is not AwardMethod.FIXED_PRICE:
        return [{"number": number(criterion.points), "weight": "pointsExact"}]
    share = (criterion.points / award.total_points).quantize(Decimal("0.0001")) if award.total_points else Decimal(0)
    numbers = [{"number": number(share), "weight": "decimalExact"}]
    if criterion.fixed_amount is not None:
        numbers.insert(0, {"number": number(criterion.fixed_amount), "fixed": "total"})
    return numbers


def _item(spec: Spec) -> dict[str, Any]:
    main, *others = spec.procedure.cpv
    item: dict[str, Any] = {"id": "1", "description": spec.procedure.subject,
                            "classification": {"scheme": "CPV", "id": cpv_code(main)}}
    if others:
        item["additionalClassifications"] = [{"scheme": "CPV", "id": cpv_code(code)} for code in others]
    return item


def _value(amount: Decimal) -> dict[str, Any]:
    return {"amount": number(amount), "currency": "EUR"}


def _period(months: int) -> dict[str, Any]:
    """Duration only: the start date is not known when the tender is drafted (months → days, 365,25/12)."""
    return {"durationInDays": int((months * DAYS_PER_MONTH).to_integral_value())}
