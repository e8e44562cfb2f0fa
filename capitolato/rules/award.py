"""AWD: award method and scoring grid (art. 108 d.lgs. 36/2023)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

from capitolato.model.facts import GENDER_TAGS
from capitolato.model import law
from capitolato.model.placeholders import is_placeholder
from capitolato.model.tender import AwardMethod, Criterion, CriterionKind, CriterionSubject, PriceFormula
from capitolato.rules.context import Context, affirmed
from capitolato.rules.finding import Finding, Severity
from capitolato.rules.registry import Basis, Status, art, rule
from capitolato.spec.yamlsource import NodePath

EQUAL_OPPORTUNITY_TAGS = frozenset({"pari-opportunita", "premi-pari-opportunita"})
SELF_CERTIFICATION = re.compile(r"autocertificazion|autodichiarazion|rapporto biennale|rapporto sulla situazione "
                                r"del personale", re.IGNORECASE)
HIDDEN_PRICE = re.compile(r"\b(prezz[oi]|ribass\w*|scont[oi]\b|gratuit\w*|a titolo gratuito|senza (ulteriori )?"
                          r"(oneri|costi)|a costo zero|(ore|giornate|accessi|prestazioni)( \w+){0,3} di "
                          r"(assistenza|servizio) (aggiuntiv|supplementar|ulterior)\w*)", re.IGNORECASE)
CAP = Decimal("0.30")
COMPANY_SHARE = Decimal("0.20")


def walk(criteria: list[Criterion], base: NodePath = ("aggiudicazione", "criteri")) -> Iterator[tuple[Criterion, NodePath]]:
    """Every criterion of the tree with its node path, parents before children."""
    for index, criterion in enumerate(criteria):
        path = (*base, index)
        yield criterion, path
        yield from walk(criterion.subcriteria, (*path, "sottocriteri"))


def economic_share(ctx: Context) -> Decimal | None:
    award = ctx.spec.award
    if award is None or award.total_points == 0:
        return None
    return award.economic_points / award.total_points


def economic_cap(ctx: Context) -> Decimal:
    return law.number("tetto_punteggio_economico", ctx.spec.procedure.notice_date) / 100


def _percent(share: Decimal) -> str:
    return f"{(share * 100).normalize():f} %".replace(".", ",")


@rule("AWD001", "oepv-required", Severity.ERROR, "Ammesso solo il criterio dell'offerta economicamente più vantaggiosa",
      rationale="L'art. 108 c. 2 elenca i contratti aggiudicati solo con l'OEPV a qualunque importo: servizi sociali, "
                "ristorazione ospedaliera, assistenziale e scolastica, servizi ad alta intensità di manodopera "
                "(lett. a) e, dal D.L. 127/2025, trasporto per gite scolastiche (lett. f-bis). L'elenco in vigore "
                "alla data di pubblicazione è sotto, con la fonte.",
      basis=[art("108", "art. 108 cc. 2–3 d.lgs. 36/2023"), Basis("art. 5 D.L. 127/2025, conv. L. 164/2025 (lett. f-bis)"),
             art("128", "art. 128 c. 7 d.lgs. 36/2023"), art("50", "art. 50 c. 4 d.lgs. 36/2023")],
      status=Status.VERIFIED, fix="aggiudicazione.criterio: oepv (o prezzo-fisso) con la clausola oepv-ripartizione-punteggi",
      values=("oepv_obbligatoria",))
def oepv_required(ctx: Context) -> Iterable[Finding]:
    award = ctx.spec.award
    if award is None or award.method is not AwardMethod.LOWEST_PRICE:
        return
    if ctx.facts.oepv_reasons:
        yield ctx.finding(ctx.at("aggiudicazione", "criterio"),
                          f"minor prezzo per {', '.join(ctx.facts.oepv_reasons)}")


@rule("AWD002", "economic-cap-30", Severity.ERROR, "Punteggio economico oltre il tetto di legge",
      rationale="Nei servizi ad alta intensità di manodopera (e, dal D.L. 127/2025, nel trasporto per gite "
                "scolastiche) la stazione appaltante fissa un tetto al punteggio economico entro il 30 %, perché il "
                "ribasso non si scarichi sul costo del lavoro.",
      basis=[art("108", "art. 108 c. 4 d.lgs. 36/2023"), Basis("art. 5 D.L. 127/2025, conv. L. 164/2025")],
      status=Status.VERIFIED, fix="ridurre aggiudicazione.punti_economici entro il tetto",
      values=("tetto_punteggio_economico", "tetto_punteggio_economico_ambito"))
def economic_cap_30(ctx: Context) -> Iterable[Finding]:
    share, cap = economic_share(ctx), economic_cap(ctx)
    if ctx.facts.economic_cap_applies and share is not None and share > cap:
        yield ctx.finding(ctx.at("aggiudicazione", "punti_economici"),
                          f"{_percent(share)} oltre il tetto del {_percent(cap)}")


@rule("AWD003", "economic-weight-high", Severity.INFO, "Peso del prezzo elevato per un servizio sociale",
      rationale="Fuori dai contratti ad alta intensità di manodopera il Codice non fissa un tetto al punteggio "
                "economico: il peso è una scelta della stazione appaltante. Contenere il prezzo entro il 30 % resta "
                "buona prassi per i servizi sociali; il tetto generale del 30 % delle Linee guida ANAC n. 17 "
                "veniva dal d.lgs. 50/2016 (art. 95 c. 10-bis), non dal Codice vigente.",
      basis=[art("108", "art. 108 c. 4 d.lgs. 36/2023 (nessun tetto fuori dall'alta intensità)"),
             Basis("buona prassi; ANAC Linee guida n. 17, § 8, adottate sul d.lgs. 50/2016")],
      status=Status.DESIGN, fix="valutare se portare il punteggio economico al 30 % o meno")
def economic_weight_high(ctx: Context) -> Iterable[Finding]:
    share = economic_share(ctx)
    if ctx.facts.social_service and not ctx.facts.economic_cap_applies and share is not None and share > CAP:
        yield ctx.finding(ctx.at("aggiudicazione", "punti_economici"), f"{_percent(share)} dei punti al prezzo")


@rule("AWD004", "fixed-price-consistency", Severity.ERROR, "Prezzo fisso incoerente",
      rationale="Con il prezzo fisso gli operatori competono solo sulla qualità: il punteggio economico è zero, "
                "l'importo è dichiarato e tutti i punti sono tecnici.",
      basis=[art("108", "art. 108 c. 5 d.lgs. 36/2023")], status=Status.TEXT_2023,
      fix="indicare aggiudicazione.punti_economici: 0 e aggiudicazione.punti_tecnici uguale a "
          "aggiudicazione.punti_totali (l'importo va in aggiudicazione.importo_fisso)")
def fixed_price_consistency(ctx: Context) -> Iterable[Finding]:
    award = ctx.spec.award
    if award is None or award.method is not AwardMethod.FIXED_PRICE:
        return
    if award.economic_points != 0:
        yield ctx.finding(ctx.at("aggiudicazione", "punti_economici"),
                          f"{award.economic_points} punti al prezzo con il prezzo fisso")
    elif award.technical_points != award.total_points:
        yield ctx.finding(ctx.at("aggiudicazione", "punti_tecnici"),
                          f"i punti tecnici ({award.technical_points}) devono essere tutti i punti_totali "
                          f"({award.total_points})")


@rule("AWD005", "fixed-price-motivation", Severity.WARNING, "Motivare la congruità del prezzo fisso",
      rationale="Il prezzo fisso è una forma di OEPV legittima per i servizi sociali se l'importo è congruo; "
                "quando nessuna norma fissa il compenso, la congruità va motivata (TAR Firenze n. 1260/2021).",
      basis=[art("108", "art. 108 c. 5 d.lgs. 36/2023"), Basis("TAR Toscana (Firenze) n. 1260/2021")],
      status=Status.VERIFIED, fix="indicare aggiudicazione.motivazione_prezzo_fisso (come è stato determinato l'importo)")
def fixed_price_motivation(ctx: Context) -> Iterable[Finding]:
    award = ctx.spec.award
    if award is None or award.method is not AwardMethod.FIXED_PRICE:
        return
    if is_placeholder(award.fixed_price_reason):
        where = (ctx.at("aggiudicazione", "motivazione_prezzo_fisso") if award.fixed_price_reason is not None
                 else ctx.section("aggiudicazione"))
        yield ctx.finding(where, "motivazione mancante o segnaposto")


@rule("AWD006", "weights-sum", Severity.ERROR, "Somma dei punteggi errata",
      rationale="Criteri, pesi e sottocriteri sono fissati prima della gara e devono tornare esattamente a ogni "
                "livello: una griglia che non somma rende impugnabile l'attribuzione dei punteggi.",
      basis=[art("108", "art. 108 cc. 7–8 d.lgs. 36/2023"), Basis("eForms BR-BT-00539-0200/0201", "https://docs.ted.europa.eu/eforms/latest/")],
      status=Status.TEXT_2023, fix="correggere i punti indicati perché la somma dei figli sia uguale al padre")
def weights_sum(ctx: Context) -> Iterable[Finding]:
    award = ctx.spec.award
    if award is None:
        return
    if award.technical_points + award.economic_points != award.total_points:
        yield ctx.finding(ctx.at("aggiudicazione", "punti_totali"),
                          f"tecnico {award.technical_points} + economico {award.economic_points} ≠ totale {award.total_points}")
    top = [c.points for c in award.criteria]
    if award.criteria and None not in top and sum(top) != award.technical_points:
        yield ctx.finding(ctx.at("aggiudicazione", "punti_tecnici"),
                          f"i criteri sommano {sum(top)}, i punti tecnici sono {award.technical_points}")
    for criterion, path in walk(award.criteria):
        yield from _node_sum(ctx, criterion, path)


def _node_sum(ctx: Context, criterion: Criterion, path: NodePath) -> Iterator[Finding]:
    if criterion.points is None:
        yield ctx.finding(ctx.at(*path, "codice"), f"criterio «{criterion.code}» senza punti")
        return
    if criterion.points == 0:
        yield ctx.finding(ctx.at(*path, "punti"), f"criterio «{criterion.code}» con 0 punti")
    children = [c.points for c in criterion.subcriteria]
    if children and None not in children and sum(children) != criterion.points:
        codes = " + ".join(f"{c.code} {c.points}" for c in criterion.subcriteria)
        yield ctx.finding(ctx.at(*path, "punti"),
                          f"«{criterion.code}» vale {criterion.points} ma i sottocriteri sommano {sum(children)} ({codes})")


@rule("AWD007", "criterion-scoring-method", Severity.WARNING, "Criterio senza metodo di punteggio",
      rationale="Ogni punteggio va motivabile: i criteri discrezionali con criteri motivazionali e una scala di "
                "coefficienti, i tabellari con i livelli, i quantitativi e il prezzo con la formula.",
      basis=[art("108", "art. 108 c. 4 d.lgs. 36/2023"), Basis("ANAC Linee guida n. 2 (delibera 424/2018)")],
      status=Status.VERIFIED, fix="indicare tipo, scala e criteri_motivazionali, livelli o formula del criterio")
def criterion_scoring_method(ctx: Context) -> Iterable[Finding]:
    award = ctx.spec.award
    if award is None:
        return
    for criterion, path in walk(award.criteria):
        if not criterion.subcriteria:
            missing = _missing_method(criterion)
            if missing:
                yield ctx.finding(ctx.at(*path, "codice"), f"«{criterion.code}»: {missing}")
    if award.economic_points > 0 and award.price_formula is None and not ctx.has_clause("formula-punteggio-economico"):
        yield ctx.finding(ctx.section("aggiudicazione"), "manca la formula del punteggio economico",
                          fix="aggiungere formula_economica o la clausola formula-punteggio-economico")


def _missing_method(criterion: Criterion) -> str | None:
    if criterion.kind is None:
        return "manca il tipo (discrezionale, quantitativo, tabellare)"
    if criterion.kind is CriterionKind.DISCRETIONARY:
        missing = [name for name, value in (("scala dei coefficienti", criterion.scale),
                                            ("criteri motivazionali", criterion.guidance)) if not value]
        return f"criterio discrezionale senza {' e '.join(missing)}" if missing else None
    if criterion.kind is CriterionKind.TABULAR and not criterion.levels:
        return "criterio tabellare senza livelli"
    if criterion.kind is CriterionKind.QUANTITATIVE and not criterion.formula:
        return "criterio quantitativo senza formula"
    return None


@rule("AWD008", "company-premiums-share", Severity.WARNING, "Troppi punti a requisiti d'impresa",
      rationale="I criteri devono valutare l'offerta, non l'impresa: oltre il 20 % dei punti tecnici a requisiti "
                "soggettivi (esperienza, certificazioni) la griglia rischia di premiare chi è già sul mercato. "
                "Il premio per la parità di genere e i premi dell'art. 47 c. 5 non si contano.",
      basis=[art("108", "art. 108 cc. 4, 6 d.lgs. 36/2023")], status=Status.TEXT_2023,
      fix="ridurre i criteri con oggetto: impresa o motivarli con una deroga")
def company_premiums_share(ctx: Context) -> Iterable[Finding]:
    award = ctx.spec.award
    if award is None or award.technical_points == 0:
        return
    points = sum(_company_points(award.criteria), Decimal(0))
    if points / award.technical_points > COMPANY_SHARE:
        yield ctx.finding(ctx.section("aggiudicazione", "criteri"),
                          f"{points} punti su {award.technical_points} ({_percent(points / award.technical_points)})")


def _company_points(criteria: list[Criterion]) -> Iterator[Decimal]:
    for criterion in criteria:
        if set(criterion.tags) & (GENDER_TAGS | EQUAL_OPPORTUNITY_TAGS):
            continue
        if criterion.subject is CriterionSubject.COMPANY:
            yield criterion.points or Decimal(0)
        else:
            yield from _company_points(criterion.subcriteria)


@rule("AWD009", "inverse-price-formula", Severity.WARNING, "Formula inversa sconsigliata",
      rationale="La proporzionalità inversa (P_min/P_i) appiattisce i punteggi e premia ribassi eccessivi: le Linee "
                "guida ANAC n. 2 la sconsigliano a favore della lineare o della bilineare.",
      basis=[Basis("ANAC Linee guida n. 2 (delibera 1005/2016, agg. delibera 424/2018)")], status=Status.VERIFIED,
      fix="formula_economica: lineare o bilineare")
def inverse_price_formula(ctx: Context) -> Iterable[Finding]:
    award = ctx.spec.award
    if award is not None and award.price_formula is PriceFormula.INVERSE_PROPORTIONAL:
        yield ctx.finding(ctx.at("aggiudicazione", "formula_economica"))


@rule("AWD010", "threshold-timing", Severity.WARNING, "Soglia di sbarramento: prima o dopo la riparametrazione?",
      rationale="Una soglia di sbarramento senza il momento in cui si applica (prima o dopo la riparametrazione) "
                "lascia alla commissione una scelta che cambia la graduatoria.",
      basis=[art("108", "art. 108 c. 7 d.lgs. 36/2023"), Basis("ANAC Linee guida n. 2")],
      status=Status.TO_VERIFY, fix="indicare aggiudicazione.soglia_sbarramento.momento",
      unsettled=True)
def threshold_timing(ctx: Context) -> Iterable[Finding]:
    award = ctx.spec.award
    threshold = award.min_technical_score if award else None
    if threshold is not None and threshold.timing is None:
        yield ctx.finding(ctx.at("aggiudicazione", "soglia_sbarramento"))


@rule("AWD011", "gender-certification-premium", Severity.ERROR,
      "Manca il premio per la certificazione della parità di genere",
      rationale="L'art. 108 c. 7, come modificato, impone punti aggiuntivi per chi possiede la certificazione della "
                "parità di genere (UNI/PdR 125:2022); per ANAC (delibera n. 145 del 9.4.2025) una gara che ne è "
                "priva va annullata e un impegno ex art. 102, un'autocertificazione o il rapporto biennale sul "
                "personale non lo sostituiscono (TAR Calabria n. 1770/2025).",
      basis=[art("108", "art. 108 c. 7 d.lgs. 36/2023 come modificato"),
             Basis("ANAC, delibera n. 145 del 9.4.2025"), Basis("TAR Calabria (Catanzaro) 28.10.2025 n. 1770")],
      status=Status.VERIFIED, fix="aggiungere un criterio tabellare con etichetta parita-genere e la clausola premio-parita-genere")
def gender_certification_premium(ctx: Context) -> Iterable[Finding]:
    award = ctx.spec.award
    if award is None or not ctx.facts.codice_route or award.technical_points == 0:
        return
    tagged = [(c, p) for c, p in walk(award.criteria) if set(c.tags) & GENDER_TAGS]
    if not tagged:
        yield ctx.finding(ctx.section("aggiudicazione", "criteri"), "nessun criterio con etichetta parita-genere")
        return
    _, path = tagged[0]
    for spot in ctx.free_texts():
        if (spot.clause_id == "premio-parita-genere" or spot.path[:len(path)] == path) and affirmed(SELF_CERTIFICATION, spot.text):
            yield ctx.finding(ctx.at(*spot.path), "il premio non può basarsi su un'autocertificazione")


@rule("AWD012", "hidden-price", Severity.ERROR, "Prezzo mascherato in un criterio tecnico",
      rationale="Un criterio tecnico che premia il prezzo, il ribasso o ore e servizi offerti gratis è una "
                "componente economica: si conta nel tetto del punteggio economico e, con il prezzo fisso, rompe la "
                "competizione sulla sola qualità. Fuori da questi casi il rilievo è un avviso: il peso dichiarato "
                "del prezzo non è quello reale.",
      basis=[art("108", "art. 108 cc. 4–5 d.lgs. 36/2023")], status=Status.TEXT_2023,
      fix="togliere il criterio o spostarne i punti nel punteggio economico",
      values=("tetto_punteggio_economico",))
def hidden_price(ctx: Context) -> Iterable[Finding]:
    award = ctx.spec.award
    if award is None or award.total_points == 0:
        return
    hidden = [(c, p) for c, p in walk(award.criteria) if not c.subcriteria and _scores_price(c)]
    if not hidden:
        return
    points = sum((c.points or Decimal(0) for c, _ in hidden), Decimal(0))
    share = (award.economic_points + points) / award.total_points
    cap = economic_cap(ctx)
    breach = (award.method is AwardMethod.FIXED_PRICE
              or (ctx.facts.economic_cap_applies and share > cap))
    for criterion, path in hidden:
        detail = f"«{criterion.code}» ({criterion.points} punti): prezzo reale {_percent(share)} dei punti"
        if award.method is AwardMethod.FIXED_PRICE:
            detail += " con il prezzo fisso"
        elif breach:
            detail += f", oltre il tetto del {_percent(cap)}"
        yield ctx.finding(ctx.at(*path, "titolo"), detail, severity=None if breach else Severity.WARNING)


def _scores_price(criterion: Criterion) -> bool:
    texts = [criterion.title, criterion.description or "", criterion.guidance or "", " ".join(criterion.tags)]
    return any(affirmed(HIDDEN_PRICE, text) for text in texts)


@rule("AWD013", "gender-premium-grouping", Severity.WARNING, "Premio per la parità di genere: regola per i raggruppamenti",
      rationale="La legge non dice come si attribuisce il premio a raggruppamenti, consorzi e GEIE: il disciplinare "
                "deve sceglierlo (possesso di tutti i componenti, della mandataria o di almeno uno) e dichiararlo. "
                "La certificazione può essere messa a disposizione con l'avvalimento premiale (ANAC, parere n. 54 "
                "del 17.12.2025).",
      basis=[art("108", "art. 108 c. 7 d.lgs. 36/2023 come modificato"), Basis("ANAC, parere n. 54 del 17.12.2025")],
      status=Status.DESIGN, fix="indicare regola_rti nella clausola premio-parita-genere")
def gender_premium_grouping(ctx: Context) -> Iterable[Finding]:
    if not ctx.has_clause("premio-parita-genere"):
        return
    rule_value = ctx.params("premio-parita-genere").get("regola_rti")
    if is_placeholder(rule_value):
        yield ctx.finding(ctx.clause_at("premio-parita-genere", "regola_rti"), "regola per i raggruppamenti mancante")
