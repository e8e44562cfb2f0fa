"""GOV: the governance matrix and support lines of the impact-oriented capitolato (sections 4–5)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from capitolato.model.tender import GovernanceLevel, GovernanceLevelKind
from capitolato.rules.context import Context
from capitolato.rules.finding import Finding, Severity
from capitolato.rules.registry import MODEL, Basis, Status, rule

LEVEL_FIELDS = (("authority_roles", "ruoli dell'ente"), ("awardee_roles", "ruoli dell'aggiudicatario"),
                ("functions", "funzioni"), ("frequency", "frequenza"))


@rule("GOV001", "three-levels", Severity.WARNING, "Servono i tre livelli di governance",
      rationale="La matrice organizzativa del modello ha tre livelli condivisi da ente e aggiudicatario: direzione "
                "strategica, coordinamento gestionale, pool operativo; ciascuno una volta.",
      basis=[Basis(MODEL)], status=Status.DESIGN, fix="governance.livelli: strategico, gestionale, operativo")
def three_levels(ctx: Context) -> Iterable[Finding]:
    if not ctx.spec.features.impact_oriented:
        return
    levels = ctx.spec.governance.levels if ctx.spec.governance else []
    counts = Counter(level.level for level in levels)
    missing = [kind.value for kind in GovernanceLevelKind if counts[kind] == 0]
    repeated = [kind.value for kind, count in counts.items() if count > 1]
    details = ([f"manca il livello {', '.join(missing)}"] if missing else []) + \
              ([f"livello ripetuto: {', '.join(repeated)}"] if repeated else [])
    if details:
        yield ctx.finding(ctx.section("governance"), "; ".join(details))


@rule("GOV002", "level-complete", Severity.WARNING, "Livello di governance incompleto",
      rationale="Ogni livello dice chi partecipa per l'ente e per l'aggiudicatario, con quali funzioni e con "
                "quale frequenza si riunisce: altrimenti la corresponsabilità resta sulla carta.",
      basis=[Basis(MODEL)], status=Status.DESIGN, fix="compilare ruoli_ente, ruoli_aggiudicatario, funzioni, frequenza")
def level_complete(ctx: Context) -> Iterable[Finding]:
    levels = ctx.spec.governance.levels if ctx.spec.governance else []
    for index, level in enumerate(levels):
        missing = _missing(level)
        if missing:
            yield ctx.finding(ctx.at("governance", "livelli", index), f"«{level.name}» senza {', '.join(missing)}")


def _missing(level: GovernanceLevel) -> list[str]:
    return [label for attr, label in LEVEL_FIELDS if not getattr(level, attr)]


@rule("GOV003", "support-lines", Severity.INFO, "Nessuna linea di supporto",
      rationale="Le linee di supporto (supervisione, formazione, manutenzione della matrice) mantengono "
                "l'architettura del servizio: il modello le prevede come sezione propria.",
      basis=[Basis(MODEL)], status=Status.DESIGN, fix="aggiungere linee_supporto")
def support_lines(ctx: Context) -> Iterable[Finding]:
    if ctx.spec.features.impact_oriented and not ctx.spec.support_lines:
        yield ctx.finding(ctx.section("linee_supporto"))
