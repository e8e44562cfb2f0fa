"""DOC: completeness of the contract documents (execution clauses, quality standards, impact sections)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal

from capitolato.model import law
from capitolato.model.facts import cam_categories
from capitolato.model.placeholders import is_placeholder
from capitolato.model.tender import ProcedureKind
from capitolato.rules.context import Context
from capitolato.rules.finding import Finding, Severity
from capitolato.rules.registry import MODEL, Basis, Status, art, rule

REVISION = "revisione-prezzi"
CAM = "criteri-ambientali-minimi"
QUALITY = "standard-qualita-servizi-persona"
DIMENSIONS = (("kpi_qualita", "qualità"), ("kpi_continuita", "continuità"), ("kpi_accessibilita", "accessibilità"),
              ("kpi_disponibilita", "disponibilità"), ("kpi_completezza", "completezza"))
SOCIAL_OBLIGATIONS = ("clausola-sociale-riassorbimento", "quota-assunzioni-giovani-donne",
                      "inserimento-lavorativo-svantaggiati", "obblighi-legge-68")
SGEI_YEARS = 10


@rule("DOC001", "price-revision", Severity.ERROR, "Revisione dei prezzi obbligatoria",
      rationale="Nei contratti di durata i documenti iniziali di gara contengono la clausola di revisione prezzi: "
                "per i servizi scatta oltre la soglia di variazione e riconosce la quota dell'eccedenza fissate "
                "dalla legge, sugli indici indicati. Un servizio a esecuzione istantanea si dichiara con "
                "procedura.contratto_di_durata: false.",
      basis=[art("60", "art. 60 d.lgs. 36/2023 come modificato"), Basis("Allegato II.2-bis d.lgs. 36/2023")],
      status=Status.VERIFIED, fix="aggiungere la clausola revisione-prezzi con gli indici ISTAT",
      values=("revisione_prezzi_servizi",))
def price_revision(ctx: Context) -> Iterable[Finding]:
    if not ctx.facts.codice_route or not ctx.spec.procedure.continuing_contract:
        return
    if not ctx.has_clause(REVISION):
        yield ctx.finding(ctx.section("clausole"), f"manca la clausola {REVISION}")
        return
    params = ctx.params(REVISION)
    revision = law.on("revisione_prezzi_servizi", ctx.spec.procedure.notice_date)
    for parameter, expected in (("soglia_attivazione", revision.number("soglia")),
                                ("quota_riconosciuta", revision.number("quota"))):
        value = params.get(parameter)
        if value is not None and Decimal(value) != expected:
            yield ctx.finding(ctx.clause_at(REVISION, parameter), f"{parameter} {value} invece di {expected}")
    if not params.get("indici"):
        yield ctx.finding(ctx.clause_at(REVISION, "indici"), "nessun indice indicato")


@rule("DOC002", "law-bounds", Severity.ERROR, "Parametro fuori dai limiti di legge",
      rationale="Penali e altri parametri delle clausole hanno limiti fissati dalla legge in vigore alla data di "
                "pubblicazione. Per le penali per il ritardo l'art. 126 c. 1 fissa l'intervallo della penale "
                "giornaliera e il tetto complessivo, cambiati dal correttivo: una gara si giudica con i valori in "
                "vigore alla sua data (elencati sotto con la fonte). Nei contratti finanziati con PNRR o PNC "
                "l'art. 50 c. 4 d.l. 77/2021 ammette limiti più ampi (da verificare): lì il rilievo è un avviso.",
      basis=[art("126", "art. 126 c. 1 d.lgs. 36/2023 come modificato dall'art. 45 d.lgs. 209/2024"),
             Basis("art. 50 c. 4 d.l. 77/2021 (PNRR, da verificare)")],
      status=Status.VERIFIED, fix="riportare il parametro entro i limiti indicati (vedi i valori di legge)",
      values=("penale_giornaliera", "penale_tetto", "penale_giornaliera_pnrr", "penale_tetto_pnrr"))
def law_bounds(ctx: Context) -> Iterable[Finding]:
    day = ctx.spec.procedure.notice_date
    for use in ctx.spec.clauses:
        clause = ctx.library.get(use.id)
        if clause is None:
            continue
        for name, parameter in clause.parameters.items():
            value = use.parameters.get(name)
            if parameter.law and isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
                yield from _bounded(ctx, use.id, name, parameter.law, Decimal(str(value)), day)


def _bounded(ctx: Context, clause_id: str, name: str, key: str, value: Decimal, day: dt.date) -> Iterator[Finding]:
    limit = law.on(key, day)
    if _within(limit, value):
        return
    detail = (f"{name} {_show(value)}: ammesso {limit.shown()} ({limit.source.citation()}, {limit.period})")
    alternative = f"{key}_pnrr"
    if ctx.facts.pnrr_funded and alternative in law.keys() and _within(law.on(alternative, day), value):
        pnrr = law.on(alternative, day)
        yield ctx.finding(ctx.clause_at(clause_id, name), f"{detail}; per il PNRR {pnrr.shown()} "
                          f"({pnrr.source.citation()}, da verificare)", severity=Severity.WARNING)
        return
    yield ctx.finding(ctx.clause_at(clause_id, name), detail)


def _within(limit: law.LegalValue, value: Decimal) -> bool:
    low, high = limit.bound("min"), limit.bound("max")
    return (low is None or value >= low) and (high is None or value <= high)


def _show(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


@rule("DOC003", "social-clause-penalties", Severity.WARNING, "Prevedere penali per le clausole sociali",
      rationale="Gli obblighi sociali senza penali non sono esigibili: l'art. 47 c. 6 e l'Allegato II.3 chiedono "
                "penali per l'inadempimento (importi a cura della stazione appaltante).",
      basis=[Basis("art. 47 c. 6 d.l. 77/2021"), Basis("Allegato II.3 d.lgs. 36/2023")], status=Status.VERIFIED,
      fix="aggiungere la clausola penali con l'elenco penali_sociali")
def social_clause_penalties(ctx: Context) -> Iterable[Finding]:
    if not ctx.has_any(*SOCIAL_OBLIGATIONS):
        return
    if not ctx.has_clause("penali"):
        yield ctx.finding(ctx.section("clausole"), "manca la clausola penali")
    elif not ctx.params("penali").get("penali_sociali"):
        yield ctx.finding(ctx.clause_at("penali", "penali_sociali"), "nessuna penale per le clausole sociali")


@rule("DOC004", "personal-service-quality", Severity.WARNING, "Mancano gli standard dei servizi alla persona",
      rationale="Nei servizi alla persona la stazione appaltante garantisce qualità, continuità, accessibilità, "
                "disponibilità e completezza e il coinvolgimento degli utenti: servono indicatori per ciascuna.",
      basis=[art("128", "art. 128 c. 3 d.lgs. 36/2023"), Basis("ANAC Linee guida n. 17, § 7")],
      status=Status.TEXT_2023, fix=f"aggiungere {QUALITY} e coinvolgimento-utenti")
def personal_service_quality(ctx: Context) -> Iterable[Finding]:
    if not (ctx.facts.personal_service and ctx.facts.codice_route):
        return
    if not ctx.has_clause(QUALITY):
        yield ctx.finding(ctx.section("clausole"), f"manca la clausola {QUALITY}")
    else:
        for parameter, label in DIMENSIONS:
            if not ctx.params(QUALITY).get(parameter):
                yield ctx.finding(ctx.clause_at(QUALITY, parameter), label)
    if not ctx.has_clause("coinvolgimento-utenti"):
        yield ctx.finding(ctx.section("clausole"), "coinvolgimento degli utenti (clausola coinvolgimento-utenti)")


@rule("DOC005", "cam-clauses", Severity.ERROR, "Inserire i criteri ambientali minimi",
      rationale="Per ogni categoria con un decreto CAM le specifiche tecniche e le clausole contrattuali dei CAM sono "
                "obbligatorie e vanno scritte nei documenti di gara: un rinvio generico al decreto non basta "
                "(Cons. Stato III n. 4701/2024) e l'omissione è un vizio genetico della gara (Cons. Stato V n. "
                "6651/2025; n. 919/2026). Le categorie si dichiarano in caratteristiche.categorie_cam; i CPV di "
                "ristorazione, pulizie, verde, lavanolo, eventi e rifiuti le fanno presumere.",
      basis=[art("57", "art. 57 c. 2 d.lgs. 36/2023"), Basis("Cons. Stato, sez. III, 27.5.2024 n. 4701"),
             Basis("Cons. Stato, sez. V, 25.7.2025 n. 6651")],
      status=Status.VERIFIED, fix="dichiarare caratteristiche.categorie_cam e aggiungere la clausola "
                                  "criteri-ambientali-minimi con decreto e criteri",
      values=("cam_decreti",))
def cam_clauses(ctx: Context) -> Iterable[Finding]:
    features = ctx.spec.features
    if not ctx.facts.codice_route:
        return
    known = {item["categoria"] for item in law.on("cam_decreti", ctx.spec.procedure.notice_date).value}
    for index, category in enumerate(features.cam_categories):
        if category not in known:
            yield ctx.finding(ctx.at("caratteristiche", "categorie_cam", index),
                              f"categoria CAM sconosciuta «{category}» (ammesse: {', '.join(sorted(known))})")
    for category, code in cam_categories(ctx.spec).items():
        if category not in features.cam_categories:
            yield ctx.finding(ctx.section("caratteristiche"), f"il CPV {code} indica la categoria CAM «{category}», "
                              "non dichiarata in caratteristiche.categorie_cam")
    if features.catering_or_cleaning and not features.cam_categories:
        yield ctx.finding(ctx.at("caratteristiche", "ristorazione_pulizie"),
                          "indicare le categorie in caratteristiche.categorie_cam")
    if not (features.cam_categories or features.catering_or_cleaning):
        return
    if not ctx.has_clause(CAM):
        yield ctx.finding(ctx.section("clausole"), f"manca la clausola {CAM}")
    elif not [c for c in ctx.params(CAM).get("criteri") or [] if not is_placeholder(c)]:
        yield ctx.finding(ctx.clause_at(CAM, "criteri"), "le specifiche tecniche e le clausole dei CAM non sono "
                          "scritte nel capitolato (un rinvio al decreto non basta)")


@rule("DOC006", "sgei-entrustment", Severity.WARNING, "Atto di incarico SIEG incompleto",
      rationale="La compensazione di un servizio di interesse economico generale è compatibile se l'atto di "
                "incarico indica obblighi, durata (di norma fino a 10 anni), impresa e territorio, diritti "
                "esclusivi, parametri di compensazione e recupero delle sovracompensazioni.",
      basis=[Basis("Decisione 2012/21/UE, art. 4", "https://eur-lex.europa.eu/legal-content/IT/TXT/?uri=CELEX:32012D0021")],
      status=Status.TO_VERIFY, fix="aggiungere la clausola atto-incarico-sieg; motivare una durata oltre 10 anni",
      unsettled=True)
def sgei_entrustment(ctx: Context) -> Iterable[Finding]:
    if ctx.spec.procedure.kind is not ProcedureKind.SGEI_ENTRUSTMENT:
        return
    if not ctx.has_clause("atto-incarico-sieg"):
        yield ctx.finding(ctx.section("clausole"), "manca la clausola atto-incarico-sieg")
        return
    entrustment = ctx.spec.shared_administration.entrustment if ctx.spec.shared_administration else None
    if ctx.spec.procedure.duration_months > SGEI_YEARS * 12 and (entrustment is None or is_placeholder(entrustment.duration_reason)):
        yield ctx.finding(ctx.at("procedura", "durata_mesi"), "durata oltre 10 anni non motivata")


@rule("DOC007", "impact-sections", Severity.WARNING, "Mancano premessa, obiettivo o strategie",
      rationale="Il capitolato orientato all'impatto parte da premessa, obiettivo verificabile e strategie: senza, "
                "governance e valutazione non hanno un riferimento.",
      basis=[Basis(MODEL)], status=Status.DESIGN, fix="compilare premessa, obiettivo e strategie")
def impact_sections(ctx: Context) -> Iterable[Finding]:
    spec = ctx.spec
    if not spec.features.impact_oriented:
        return
    missing = [name for name, value in (("premessa", spec.preamble), ("obiettivo", spec.objective),
                                        ("strategie", spec.strategies)) if not value]
    if missing:
        yield ctx.finding(ctx.section(missing[0]), ", ".join(missing))
