"""SOC: social clauses (art. 57, art. 102, art. 119 d.lgs. 36/2023; ANAC Linee guida n. 13)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from capitolato.model.placeholders import is_placeholder
from capitolato.rules.context import Context, affirmed
from capitolato.rules.finding import Finding, Severity
from capitolato.rules.registry import Basis, Status, art, rule

STABILITY = "clausola-sociale-riassorbimento"
EQUAL_OPPORTUNITY_COMMITMENTS = ("quota-assunzioni-giovani-donne", "deroga-quota-assunzioni", "accettazione-clausola-sociale")
RIGID_HIRING = re.compile(r"(tutto il personale|tutti i lavoratori|l'intero personale|la totalità del personale)",
                          re.IGNORECASE)
HARMONISATION = re.compile(r"armonizz|compatibilmente", re.IGNORECASE)
PREVALENT = Decimal(50)
SUBCONTRACT = "subappalto-parita-trattamento"


@rule("SOC001", "art57-clauses", Severity.ERROR, "Mancano le clausole sociali dell'art. 57",
      rationale="Nei servizi non intellettuali e nelle concessioni i bandi inseriscono, come requisiti necessari "
                "dell'offerta, clausole per le pari opportunità e per la stabilità occupazionale, oltre al CCNL. "
                "La regola segnala ciò che nessuna regola più specifica segnala già: il CCNL è LAB006, la quota del "
                "30 % è PNR001 dove si applica l'Allegato II.3.",
      basis=[art("57", "art. 57 c. 1 d.lgs. 36/2023"), art("102", "art. 102 c. 1 d.lgs. 36/2023")],
      status=Status.VERIFIED, fix="aggiungere clausola-sociale-riassorbimento (personale uscente) e le clausole di pari opportunità")
def art57_clauses(ctx: Context) -> Iterable[Finding]:
    if not ctx.facts.scope_57:
        return
    missing = []
    if not ctx.facts.scope_eo and not ctx.has_any(*EQUAL_OPPORTUNITY_COMMITMENTS):
        missing.append("pari opportunità (quota-assunzioni-giovani-donne)")
    if ctx.spec.features.outgoing_staff and not ctx.has_clause(STABILITY):
        missing.append(f"stabilità occupazionale ({STABILITY})")
    if missing:
        yield ctx.finding(ctx.section("clausole"), ", ".join(missing))


@rule("SOC002", "staff-continuity-data", Severity.WARNING,
      "Clausola sociale senza elenco del personale, progetto di assorbimento o esclusione per mancata accettazione",
      rationale="Le Linee guida ANAC n. 13 chiedono di pubblicare i dati del personale uscente, di far presentare "
                "con l'offerta un progetto di assorbimento e di escludere chi non accetta la clausola (offerta "
                "condizionata). I campi dell'elenco del personale sono da verificare.",
      basis=[Basis("ANAC Linee guida n. 13, §§ 3.5 e 5.1"), art("102", "art. 102 c. 2 d.lgs. 36/2023")],
      status=Status.VERIFIED,
      fix="aggiungere progetto-assorbimento, accettazione-clausola-sociale e pubblicazione-dati-personale-uscente",
      unsettled=True)
def staff_continuity_data(ctx: Context) -> Iterable[Finding]:
    if not ctx.has_clause(STABILITY):
        return
    companions = (("progetto-assorbimento", "progetto di assorbimento"),
                  ("accettazione-clausola-sociale", "esclusione per mancata accettazione"),
                  ("pubblicazione-dati-personale-uscente", "dati del personale uscente"))
    missing = [label for clause_id, label in companions if not ctx.has_clause(clause_id)]
    if missing:
        yield ctx.finding(ctx.clause_at(STABILITY), "manca " + ", ".join(missing))


@rule("SOC003", "no-rigid-rehiring", Severity.WARNING, "Prevedere l'armonizzazione con l'organizzazione d'impresa",
      rationale="Obbligare il nuovo affidatario ad assumere tutto il personale uscente è illegittimo: la clausola "
                "deve consentire di armonizzare l'assorbimento con l'organizzazione d'impresa (TAR Liguria n. 22/2019).",
      basis=[Basis("TAR Liguria n. 22/2019"), Basis("ANAC Linee guida n. 13")], status=Status.VERIFIED,
      fix="armonizzazione: true nella clausola-sociale-riassorbimento; togliere l'obbligo di assumere tutti")
def no_rigid_rehiring(ctx: Context) -> Iterable[Finding]:
    if ctx.params(STABILITY).get("armonizzazione") is False:
        yield ctx.finding(ctx.clause_at(STABILITY, "armonizzazione"), "armonizzazione esclusa")
    for spot in ctx.free_texts():
        if affirmed(RIGID_HIRING, spot.text) and not HARMONISATION.search(spot.text):
            yield ctx.finding(ctx.at(*spot.path), "il testo obbliga ad assorbire tutto il personale")


@rule("SOC004", "subcontract-equal-treatment", Severity.ERROR, "Garantire le stesse tutele nel subappalto",
      rationale="Il subappaltatore riconosce ai lavoratori lo stesso trattamento economico e normativo "
                "dell'appaltatore, con il medesimo CCNL se le attività coincidono.",
      basis=[art("11", "art. 11 c. 5 d.lgs. 36/2023"), art("119", "art. 119 d.lgs. 36/2023 (comma da verificare)")],
      status=Status.TO_VERIFY, fix="aggiungere la clausola subappalto-parita-trattamento")
def subcontract_equal_treatment(ctx: Context) -> Iterable[Finding]:
    if ctx.facts.codice_route and not ctx.has_clause("subappalto-parita-trattamento"):
        yield ctx.finding(ctx.section("clausole"))


@rule("SOC005", "no-prevalent-subcontracting", Severity.ERROR, "Vietato il subappalto della prevalenza",
      rationale="Nei contratti ad alta intensità di manodopera è nullo l'accordo che affida in subappalto la "
                "prevalente esecuzione delle prestazioni: la quota subappaltabile resta sotto il 50 %.",
      basis=[art("119", "art. 119 c. 1 d.lgs. 36/2023")], status=Status.TEXT_2023,
      fix="quota_massima sotto il 50 nella clausola subappalto-parita-trattamento")
def no_prevalent_subcontracting(ctx: Context) -> Iterable[Finding]:
    share = ctx.params("subappalto-parita-trattamento").get("quota_massima")
    if ctx.facts.labour_intensive and share is not None and Decimal(share) >= PREVALENT:
        yield ctx.finding(ctx.clause_at("subappalto-parita-trattamento", "quota_massima"),
                          f"quota subappaltabile del {share} %")


@rule("SOC006", "subcontract-cap-motivated", Severity.WARNING, "Limite al subappalto sotto la prevalenza non motivato",
      rationale="La legge vieta il subappalto della prevalente esecuzione nei contratti ad alta intensità di "
                "manodopera e dell'integrale esecuzione negli altri: un limite più basso non è della legge ma una "
                "scelta della stazione appaltante, che va motivata negli atti di gara.",
      basis=[art("119", "art. 119 cc. 1–2 d.lgs. 36/2023 (c. 2 da verificare)")], status=Status.TO_VERIFY,
      fix="scrivere motivazione_limite nella clausola subappalto-parita-trattamento o riportare quota_massima a 49")
def subcontract_cap_motivated(ctx: Context) -> Iterable[Finding]:
    params = ctx.params(SUBCONTRACT)
    share = params.get("quota_massima")
    if share is not None and Decimal(share) < PREVALENT - 1 and is_placeholder(params.get("motivazione_limite")):
        yield ctx.finding(ctx.clause_at(SUBCONTRACT, "quota_massima"), f"quota massima del {share} % senza motivazione")
