"""Facts the law derives from a tender (labour intensity, thresholds, estimated value).

They live in one place so rules, clause texts, documents and export agree on them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from capitolato.italian import number as italian_number
from capitolato.model import law
from capitolato.model.placeholders import is_placeholder
from capitolato.model.tender import (CODICE_ROUTES, SHARED_ADMINISTRATION, Amounts, AuthorityType, AwardMethod,
                                     Criterion, DiscountBase, Funding, ProcedureKind, ServiceNature, Spec)
from capitolato.model.shared_admin import Region, min_publication_days, regional_rules
from capitolato.model.execution import Execution, over_months  # after tender, which imports it last
from capitolato.resources import package_data

CENT = Decimal("0.01")
GENDER_TAGS = frozenset({"parita-genere", "certificazione-parita-genere"})


@dataclass(frozen=True)
class Thresholds:
    """EU thresholds in force on a date (art. 14 Codice)."""

    services_central: Decimal
    services_sub_central: Decimal
    social_services: Decimal


def thresholds_on(day: dt.date) -> Thresholds:
    return Thresholds(law.number("soglia_servizi_centrale", day), law.number("soglia_servizi_sub_centrale", day),
                      law.number("soglia_servizi_sociali", day))


def correttivo_applies(day: dt.date) -> bool:
    return day >= law.on("correttivo_in_vigore", day).value


def is_social_cpv(code: str) -> bool:
    """Whether a CPV code is in the eForms social-service list (a subset of Annex XIV)."""
    table = package_data("cpv-servizi-sociali.yaml")
    digits = code.split("-")[0]
    number = int(digits)
    return (any(digits.startswith(prefix) for prefix in table["prefissi"])
            or number in table["codici"]
            or any(low <= number <= high for low, high in table["intervalli"]))


def _matches_cpv(code: str, table: dict[str, Any]) -> bool:
    digits = code.split("-")[0]
    return (any(digits.startswith(prefix) for prefix in table.get("prefissi", []))
            or int(digits) in table.get("codici", []))


def socio_health_educational(spec: Spec) -> bool:
    """Whether the object or a CPV code is socio-sanitary or educational (art. 5 c. 1 L. 381/1991)."""
    table = package_data("cpv-socio-sanitari-educativi.yaml")
    subject = spec.procedure.subject
    return (any(_matches_cpv(code, table) for code in spec.procedure.cpv)
            or any(re.search(pattern, subject, re.IGNORECASE) for pattern in table["oggetto"]))


def social_by_nature(spec: Spec) -> bool:
    """What the service is, ignoring the spec's flag: an Annex XIV CPV code or a socio-sanitary/educational object."""
    return any(is_social_cpv(code) for code in spec.procedure.cpv) or socio_health_educational(spec)


def cam_categories(spec: Spec) -> dict[str, str]:
    """CAM categories the CPV codes point at, by category name, with the code that points there."""
    found: dict[str, str] = {}
    for item in law.on("cam_decreti", spec.procedure.notice_date).value:
        for code in spec.procedure.cpv:
            if any(code.startswith(prefix) for prefix in item.get("cpv", [])):
                found.setdefault(item["categoria"], code)
    return found


@dataclass(frozen=True)
class Facts:
    """Derived values of one spec; names match the conditions clauses and rules speak of."""

    codice_route: bool
    outside_codice: bool
    labour_share: Decimal | None
    labour_intensive: bool
    social_service: bool
    personal_service: bool
    estimated_value: Decimal
    eu_threshold: Decimal
    above_eu_threshold: bool
    above_social_threshold: bool
    discountable_amount: Decimal
    pnrr_funded: bool
    scope_57: bool
    scope_eo: bool
    fixed_price: bool
    best_quality_price: bool
    economic_points: Decimal
    regional_rules: dict[str, Any]
    publication_days: int
    counterpart: dict[str, str] | None
    gender_points: Decimal | None
    oepv_reasons: tuple[str, ...]
    economic_cap_applies: bool
    economic_cap: Decimal
    yearly_hours: int | None
    total_hours: int | None
    profile_hours: tuple[str, ...]
    hours_labour_cost: Decimal | None
    fixed_price_rest: Decimal | None
    anac_fee: dict[str, Any]
    procedure_months: int | None

    def conditions(self, spec: Spec) -> dict[str, bool]:
        """The named conditions of the clause format (`applicabilita.condizioni`)."""
        return {
            "alta-intensita-manodopera": self.labour_intensive,
            "servizi-sociali": self.social_service,
            "servizi-persona": self.personal_service,
            "sopra-soglia-ue": self.above_eu_threshold,
            "sopra-soglia-sociale": self.above_social_threshold,
            "pnrr": self.pnrr_funded,
            "personale-uscente": spec.features.outgoing_staff,
            "ambito-art57": self.scope_57,
            "ambito-pari-opportunita": self.scope_eo,
            "servizio-non-intellettuale": spec.procedure.service_nature is ServiceNature.NON_INTELLECTUAL,
            "oepv": self.best_quality_price,
            "prezzo-fisso": self.fixed_price,
            "punteggio-economico": self.economic_points > 0,
            "ristorazione-pulizie": spec.features.catering_or_cleaning,
            "categorie-cam": bool(spec.features.cam_categories) or spec.features.catering_or_cleaning,
        }

    def as_template_context(self) -> dict[str, Any]:
        """The `derivati` namespace of clause texts and document templates."""
        return {
            "alta_intensita_manodopera": self.labour_intensive,
            "quota_manodopera": self.labour_share,
            "valore_stimato": self.estimated_value,
            "soglia_ue": self.eu_threshold,
            "sopra_soglia_ue": self.above_eu_threshold,
            "sopra_soglia_sociale": self.above_social_threshold,
            "importo_soggetto_a_ribasso": self.discountable_amount,
            "servizi_sociali": self.social_service,
            "ambito_pari_opportunita": self.scope_eo,
            "prezzo_fisso": self.fixed_price,
            "pnrr": self.pnrr_funded,
            "tetto_punteggio_economico": self.economic_cap if self.economic_cap_applies else None,
            "regione": self.regional_rules,
            "giorni_pubblicazione": self.publication_days,
            "controparte": self.counterpart,
            "finanziamento_pnrr": self.pnrr_funded,
            "punti_parita_genere": self.gender_points,
            "monte_ore_annuo": self.yearly_hours,
            "monte_ore": self.total_hours,
            "profili_ore": list(self.profile_hours) if self.profile_hours else None,
            "costo_manodopera_ore": self.hours_labour_cost,
            "prezzo_fisso_resto": self.fixed_price_rest,
            "contributo_anac": self.anac_fee,
            "durata_procedimento_mesi": self.procedure_months,
        }


def derive(spec: Spec) -> Facts:
    procedure, amounts = spec.procedure, spec.amounts
    codice_route = procedure.kind in CODICE_ROUTES
    labour_share = _share(amounts.labour_cost, amounts.base_amount)
    estimated = estimated_value(spec)
    thresholds = thresholds_on(procedure.notice_date)
    social = social_service(spec)
    eu_threshold = (thresholds.social_services if social else
                    thresholds.services_central if procedure.authority_type is AuthorityType.CENTRAL
                    else thresholds.services_sub_central)
    scope_57 = codice_route and (procedure.kind is ProcedureKind.CONCESSION
                                 or procedure.service_nature is ServiceNature.NON_INTELLECTUAL)
    pnrr = bool({Funding.PNRR, Funding.PNC} & set(spec.features.funding))
    award = spec.award
    categories = _categories(spec, social, labour_intensive(spec, labour_share))
    day = procedure.notice_date
    return Facts(
        codice_route=codice_route,
        outside_codice=procedure.kind in SHARED_ADMINISTRATION,
        labour_share=labour_share,
        labour_intensive=labour_intensive(spec, labour_share),
        social_service=social,
        personal_service=spec.features.personal_service,
        estimated_value=estimated,
        eu_threshold=eu_threshold,
        above_eu_threshold=estimated >= eu_threshold,
        above_social_threshold=social and estimated >= thresholds.social_services,
        discountable_amount=discountable_amount(amounts),
        pnrr_funded=pnrr,
        scope_57=scope_57,
        scope_eo=codice_route and (pnrr or (scope_57 and correttivo_applies(procedure.notice_date))),
        fixed_price=award is not None and award.method is AwardMethod.FIXED_PRICE,
        best_quality_price=award is not None and award.method is AwardMethod.BEST_QUALITY_PRICE,
        economic_points=award.economic_points if award else Decimal(0),
        regional_rules=regional_rules(region(spec)),
        publication_days=publication_days(spec),
        counterpart=package_data("amministrazione-condivisa.yaml")["controparte"].get(procedure.kind.value),
        gender_points=gender_points(award.criteria if award else []),
        oepv_reasons=tuple(item["testo"] for item in law.on("oepv_obbligatoria", day).value
                           if item["categoria"] in categories),
        economic_cap_applies=bool(categories & law.categories("tetto_punteggio_economico_ambito", day)),
        economic_cap=law.number("tetto_punteggio_economico", day),
        fixed_price_rest=fixed_price_rest(spec),
        anac_fee=anac_fee(spec, estimated),
        procedure_months=procedure_months(spec),
        **_hours(spec),
    )


def _hours(spec: Spec) -> dict[str, Any]:
    """The hours of `esecuzione.prestazioni`: the one home of the monte ore the labour-cost estimate states."""
    execution = spec.execution
    if not execution.activities:
        return {"yearly_hours": None, "total_hours": None, "profile_hours": (), "hours_labour_cost": None}
    months = spec.procedure.duration_months
    yearly = execution.yearly_hours()
    cost = execution.yearly_labour_cost()
    return {
        "yearly_hours": yearly,
        "total_hours": int(over_months(yearly, months).to_integral_value(rounding=ROUND_HALF_UP)),
        "profile_hours": tuple(_profile_line(execution, code, hours)
                               for code, hours in execution.hours_by_profile().items() if hours),
        "hours_labour_cost": over_months(cost, months) if cost is not None else None,
    }


def _profile_line(execution: Execution, code: str, hours: int) -> str:
    profile = execution.profile(code)
    if profile is None:
        return f"{code}: {italian_number(hours)} ore annue"
    level = f", livello {profile.level}" if profile.level else ""
    return f"{profile.name}{level}: {italian_number(hours)} ore annue"


def anac_fee(spec: Spec, estimated: Decimal) -> dict[str, Any]:
    """The ANAC contribution of the authority (on the whole procedure) and of each bidder (per lot), from the dated
    brackets in force on the publication date; without lots the procedure is one lot of its estimated value."""
    day = spec.procedure.notice_date
    authority, _, brackets = law.anac_fee(estimated, day)
    parts = [(lot.number, lot.amount) for lot in spec.procedure.lots] or [(None, estimated)]
    lots = [{"lotto": number, "importo": amount, "operatore": law.anac_fee(amount, day)[1]} for number, amount in parts]
    return {"stazione_appaltante": authority, "lotti": lots, "fonte": brackets.source.act,
            "stato": brackets.source.status.value}


def procedure_months(spec: Spec) -> int | None:
    """The maximum length of an open procedure (Allegato I.3), by award method; None for the other procedures."""
    open_kinds = (ProcedureKind.OPEN, ProcedureKind.RESERVED_61, ProcedureKind.RESERVED_129)
    if spec.procedure.kind not in open_kinds or spec.award is None:
        return None
    key = "minor-prezzo" if spec.award.method is AwardMethod.LOWEST_PRICE else "oepv"
    return int(law.number("durata_procedimento_aperta", spec.procedure.notice_date, key))


def gender_points(criteria: list[Criterion]) -> Decimal | None:
    """Points of the first criterion of the grid tagged for the gender-equality certification (art. 108 c. 7)."""
    for criterion in criteria:
        if set(criterion.tags) & GENDER_TAGS:
            return criterion.points
        found = gender_points(criterion.subcriteria)
        if found is not None:
            return found
    return None


def discountable_amount(amounts: Amounts) -> Decimal:
    """The amount the discount applies to, from `importi.base_ribasso`: with the labour cost, or net of it.

    Safety costs are never discounted; without a declared base the labour cost is left out (art. 41 c. 14).
    """
    with_labour = amounts.discount_base is DiscountBase.WHOLE_WITH_LABOUR
    return amounts.base_amount - (amounts.safety_costs or 0) - (0 if with_labour else amounts.labour_cost or 0)


def _categories(spec: Spec, social: bool, labour: bool) -> set[str]:
    """The art. 108 categories a tender falls into (names of capitolato/data/legge.yaml)."""
    names = {category.value for category in spec.features.service_categories}
    if social:
        names.add("servizi-sociali")
    if labour:
        names.add("alta-intensita-manodopera")
    return names


def fixed_price_rest(spec: Spec) -> Decimal | None:
    """The part of a fixed price above the estimated labour cost and the safety costs: what the motivation explains."""
    award, amounts = spec.award, spec.amounts
    if award is None or award.fixed_amount is None or amounts.labour_cost is None or amounts.safety_costs is None:
        return None
    return award.fixed_amount - amounts.labour_cost - amounts.safety_costs


def _share(part: Decimal | None, whole: Decimal) -> Decimal | None:
    if part is None or whole == 0:
        return None
    return (part / whole).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def labour_intensive(spec: Spec, share: Decimal | None) -> bool:
    override = spec.amounts.labour_intensive_override
    if override is not None and not is_placeholder(override.reason):
        return override.value
    return share is not None and share >= law.number("quota_alta_intensita", spec.procedure.notice_date) / 100


def social_service(spec: Spec) -> bool:
    """The flag overrides what the service is (rule PRC005 asks for its motivation)."""
    declared = spec.features.social_service
    if declared is not None:
        return declared
    return social_by_nature(spec)


def estimated_value(spec: Spec) -> Decimal:
    """Base + options + renewals + technical extension (art. 14 c. 4); months pro rata where no amount is given."""
    amounts, procedure = spec.amounts, spec.procedure
    monthly = amounts.base_amount / procedure.duration_months
    extras = (
        (amounts.options, procedure.option_months),
        (amounts.renewals, procedure.renewal_months),
        (amounts.extension, procedure.extension_months),
    )
    total = amounts.base_amount
    for amount, months in extras:
        total += amount if amount is not None else monthly * months
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


def region(spec: Spec) -> Region:
    shared = spec.shared_administration
    return shared.region if shared else Region.NATIONAL


def publication_days(spec: Spec) -> int:
    """The days the avviso stays published: the spec's own, or the regional minimum."""
    shared = spec.shared_administration
    declared = shared.notice.publication_days if shared else None
    return declared if declared is not None else min_publication_days(region(spec))
