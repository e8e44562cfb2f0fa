"""From the facts of a read document to a spec the catalogue's rules can read.

Only the rules listed in data/regole-documento.yaml run on it, and only when the facts they read were found; every
other field of the spec is a neutral filler those rules do not read. A finding of such a rule points at the place
in the document of the first fact the rule reads.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from capitolato.model.tender import ProcedureKind, Spec

if TYPE_CHECKING:
    from capitolato.audit import Audit

FILLER_CPV = "79000000-4"


def spec_from_facts(result: Audit) -> Spec | None:
    """The spec the rules read, or None when the facts found do not make a valid one."""
    facts = {key: fact.value for key, fact in result.facts.items() if fact.found}
    kind = facts.get("procedura.tipo")
    data: dict[str, Any] = {
        "versione": 1,
        "ente": {"nome": "documento letto", "rup": "non indicato"},
        "procedura": {
            "tipo": kind if kind in {k.value for k in ProcedureKind} else ProcedureKind.OPEN.value,
            "oggetto": (result.document.title or "documento")[:500],
            "cpv": facts.get("procedura.cpv") or [FILLER_CPV],
            "data_pubblicazione": facts.get("procedura.data_pubblicazione") or dt.date.today(),
            "durata_mesi": facts.get("procedura.durata_mesi") or 12,
        },
        "importi": {"base": facts.get("importi.base") or Decimal(0), "manodopera": facts.get("importi.manodopera"),
                    "sicurezza": facts.get("importi.sicurezza")},
    }
    technical, economic = facts.get("aggiudicazione.punti_tecnici"), facts.get("aggiudicazione.punti_economici")
    if "aggiudicazione.criterio" in facts or technical is not None:
        data["aggiudicazione"] = {
            "criterio": facts.get("aggiudicazione.criterio", "oepv"),
            "punti_tecnici": technical or 0, "punti_economici": economic or 0,
            "punti_totali": facts.get("aggiudicazione.punti_totali") or (technical or 0) + (economic or 0) or 100,
        }
    try:
        return Spec.model_validate(data)
    except ValidationError:
        return None
