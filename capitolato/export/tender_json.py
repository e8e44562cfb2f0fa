"""`--formato json`: the spec as written (Italian keys) plus the facts the law derives from it, so a pipeline
reads labour intensity, threshold regime and weights without re-implementing them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from capitolato.export.criteria import criterion_points
from capitolato.export.values import number, plain
from capitolato.model.facts import Facts, derive
from capitolato.model.tender import Award, Criterion, Spec

FORMAT_VERSION = 1
WEIGHT = Decimal("0.0001")


def tender_json(spec: Spec) -> dict[str, Any]:
    """Spec data by alias, then `derivati`: one object, stable key order."""
    facts = derive(spec)
    return {"formato": "capitolato-json", "versione_formato": FORMAT_VERSION,
            "spec": plain(spec), "derivati": derived(spec, facts)}


def derived(spec: Spec, facts: Facts) -> dict[str, Any]:
    return {
        "procedura_del_codice": facts.codice_route,
        "fuori_dal_codice": facts.outside_codice,
        "alta_intensita_manodopera": facts.labour_intensive,
        "quota_manodopera": number(facts.labour_share) if facts.labour_share is not None else None,
        "servizi_sociali": facts.social_service,
        "valore_stimato": number(facts.estimated_value),
        "regime_soglia": threshold_regime(facts),
        "ambito_art57": facts.scope_57,
        "ambito_pari_opportunita": facts.scope_eo,
        "criteri_aggiudicazione": _award(spec.award) if spec.award else None,
    }


def threshold_regime(facts: Facts) -> dict[str, Any]:
    """Which publicity regime the estimated value triggers (art. 14, 127–128 d.lgs. 36/2023)."""
    if not facts.codice_route:
        code, text = "fuori-codice", ("amministrazione condivisa, fuori dal Codice (art. 6 d.lgs. 36/2023)"
                                       if facts.outside_codice else "affidamento fuori dalle procedure del Codice")
    elif facts.social_service:
        code, text = (("servizi-sociali-sopra-soglia", "servizi sociali sopra soglia: art. 127 d.lgs. 36/2023")
                      if facts.above_eu_threshold else
                      ("servizi-sociali-sotto-soglia", "servizi sociali sotto soglia: art. 128 d.lgs. 36/2023"))
    elif facts.above_eu_threshold:
        code, text = "sopra-soglia-ue", "sopra la soglia europea (art. 14 d.lgs. 36/2023)"
    else:
        code, text = "sotto-soglia-ue", "sotto la soglia europea (artt. 48–50 d.lgs. 36/2023)"
    return {"codice": code, "descrizione": text, "soglia_ue": number(facts.eu_threshold),
            "sopra_soglia_ue": facts.above_eu_threshold}


def _award(award: Award) -> dict[str, Any]:
    return {
        "metodo": award.method.value,
        "punti_totali": number(award.total_points),
        "punti_tecnici": number(award.technical_points),
        "punti_economici": number(award.economic_points),
        "importo_fisso": number(award.fixed_amount) if award.fixed_amount is not None else None,
        "criteri": [_criterion(c, award.total_points) for c in award.criteria],
    }


def _criterion(criterion: Criterion, total: Decimal) -> dict[str, Any]:
    points = criterion_points(criterion)
    result: dict[str, Any] = {"codice": criterion.code, "titolo": criterion.title, "punti": number(points),
                              "peso": number((points / total).quantize(WEIGHT)) if total else None}
    if criterion.subcriteria:
        result["sottocriteri"] = [_criterion(child, total) for child in criterion.subcriteria]
    return result
