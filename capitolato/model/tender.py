"""The tender spec as a typed model: English names in code, Italian keys (aliases) in YAML."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr

from capitolato.italian import parse_amount, parse_percent

SPEC_VERSION = 1

MAX_MONEY = Decimal("1e11")
Money = Annotated[Decimal, Field(ge=0, le=MAX_MONEY, allow_inf_nan=False, decimal_places=2),
                  BeforeValidator(parse_amount)]
Points = Annotated[Decimal, Field(ge=0, le=1000, allow_inf_nan=False, decimal_places=3)]
Months = Annotated[int, Field(ge=0, le=600)]
Text = Annotated[str, Field(min_length=1, max_length=100_000)]
ShortText = Annotated[str, Field(min_length=1, max_length=500)]
Percent = Annotated[Decimal, Field(ge=0, le=100, allow_inf_nan=False), BeforeValidator(parse_percent)]
CPV = Annotated[str, Field(pattern=r"^\d{8}(-\d)?$")]
CIG = Annotated[str, Field(pattern=r"^[0-9A-Z]{10}$")]
CUP = Annotated[str, Field(pattern=r"^[A-Z]\d{2}[A-Z]\d{11}$")]
Code = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")]
RuleCode = Annotated[str, Field(pattern=r"^[A-Z]{3}(\d{3})?$")]
ClauseId = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
Date = Annotated[dt.date, Field(ge=dt.date(2000, 1, 1), le=dt.date(2100, 12, 31))]


def it(alias: str, default: Any = ..., **kwargs: Any) -> Any:
    """A field whose YAML key is the Italian `alias`."""
    return Field(default, alias=alias, **kwargs)


class SpecModel(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=False,
                              str_strip_whitespace=True, validate_default=False, defer_build=True)


class ProcedureKind(StrEnum):
    OPEN = "aperta"
    NEGOTIATED = "negoziata"
    DIRECT_AWARD = "affidamento-diretto"
    RESERVED_61 = "riservata-art61"
    RESERVED_129 = "riservata-art129"
    CONCESSION = "concessione"
    CONVENTION_381 = "convenzione-381"
    CO_PROGRAMMING_55 = "coprogrammazione-art55"
    CO_DESIGN_55 = "coprogettazione-art55"
    ACCREDITATION_55 = "accreditamento-art55"
    CONVENTION_56 = "convenzione-art56"
    SGEI_ENTRUSTMENT = "incarico-sieg"


CODICE_ROUTES = frozenset({ProcedureKind.OPEN, ProcedureKind.NEGOTIATED, ProcedureKind.DIRECT_AWARD,
                           ProcedureKind.RESERVED_61, ProcedureKind.RESERVED_129, ProcedureKind.CONCESSION})
SHARED_ADMINISTRATION = frozenset({ProcedureKind.CO_PROGRAMMING_55, ProcedureKind.CO_DESIGN_55,
                                   ProcedureKind.ACCREDITATION_55, ProcedureKind.CONVENTION_56})


class AuthorityType(StrEnum):
    CENTRAL = "centrale"
    SUB_CENTRAL = "sub-centrale"


class ServiceNature(StrEnum):
    NON_INTELLECTUAL = "non-intellettuale"
    INTELLECTUAL = "intellettuale"


class Funding(StrEnum):
    PNRR = "pnrr"
    PNC = "pnc"
    FSE_PLUS = "fse-plus"
    FAMI = "fami"
    OWN_BUDGET = "bilancio"
    OTHER = "altro"


ArticleWord = Literal["il", "lo", "la", "l'", "l’", "i", "gli", "le", "nessuno"]


class TypographySettings(SpecModel):
    """The typesetting of the documents: the generated text always; the spec's own text only if asked."""

    spec_values: bool = it("valori_dello_spec", False, description=(
        "Applica anche ai testi scritti nello spec apostrofi ’, virgolette «» e spazi non separabili "
        "(altrimenti restano come scritti)"))


class Authority(SpecModel):
    name: ShortText = it("nome")
    article: ArticleWord | None = it("articolo", None, description=(
        "Articolo della denominazione («il» Comune, «l'» Unione dei Comuni, «la» Città metropolitana; «nessuno» "
        "se non ne vuole); se omesso si ricava dalla prima parola del nome"))
    office: ShortText | None = it("ufficio", None)
    rup: ShortText = it("rup")
    logo: ShortText | None = it("logo", None, description="Percorso del logo (PNG o JPEG), relativo allo spec")
    logo_alt: ShortText | None = it("logo_testo_alternativo", None)


class Lot(SpecModel):
    number: int = it("numero", ge=1, le=999)
    subject: ShortText = it("oggetto")
    amount: Money = it("importo")
    cig: CIG | None = it("cig", None)


class Procedure(SpecModel):
    kind: ProcedureKind = it("tipo")
    authority_type: AuthorityType = it("stazione_appaltante", AuthorityType.SUB_CENTRAL)
    subject: ShortText = it("oggetto")
    cpv: list[CPV] = it("cpv", min_length=1, max_length=50)
    cig: CIG | None = it("cig", None)
    cup: CUP | None = it("cup", None)
    notice_date: Date = it("data_pubblicazione")
    service_nature: ServiceNature = it("natura_servizio", ServiceNature.NON_INTELLECTUAL)
    duration_months: int = it("durata_mesi", ge=1, le=600)
    option_months: Months = it("opzioni_mesi", 0)
    renewal_months: Months = it("rinnovo_mesi", 0)
    extension_months: Months = it("proroga_tecnica_mesi", 0)
    execution_start: Date | None = it("inizio_esecuzione", None,
                                      description="Avvio dell'esecuzione del contratto (per il monitoraggio); "
                                                  "se omesso vale la data di pubblicazione")
    lots: list[Lot] = it("lotti", default_factory=list, max_length=200)
    lot_split_reason: Text | None = it("motivazione_lotti", None)
    invited_operators: int | None = it("operatori_invitati", None, ge=0, le=100_000,
                                       description="Operatori invitati alla procedura negoziata (art. 50 c. 1)")
    art76_ground: Text | None = it("motivo_art76", None,
                                   description="Presupposto della negoziata senza bando dell'art. 76 (comma e lettera)")
    continuing_contract: bool = it("contratto_di_durata", True,
                                   description="Prestazioni continuative o periodiche (revisione prezzi, All. II.2-bis)")


class Override(SpecModel):
    """An explicit departure from a derived fact; the law asks for a written reason."""

    value: bool = it("valore")
    reason: Text = it("motivazione")


class DiscountBase(StrEnum):
    WHOLE_WITH_LABOUR = "totale-con-manodopera"
    NET_OF_LABOUR = "al-netto-manodopera"


class Amounts(SpecModel):
    base_amount: Money = it("base", description="Importo a base di gara per la durata, IVA esclusa")
    labour_cost: Money | None = it("manodopera", None, description="Costi della manodopera stimati (art. 41 c. 14)")
    safety_costs: Money | None = it("sicurezza", None, description="Oneri della sicurezza non soggetti a ribasso")
    discount_base: DiscountBase | None = it(
        "base_ribasso", None, description="Importo sul quale si applica il ribasso: totale-con-manodopera (esclusi gli "
                                          "oneri della sicurezza) o al-netto-manodopera (art. 41 c. 14; questione aperta)")
    options: Money | None = it("opzioni", None)
    renewals: Money | None = it("rinnovi", None)
    extension: Money | None = it("proroga_tecnica", None)
    declared_estimated_value: Money | None = it("valore_stimato", None)
    contract_amount: Money | None = it("contrattuale", None,
                                       description="Importo del contratto stipulato, IVA esclusa (per il monitoraggio)")
    labour_intensive_override: Override | None = it("alta_intensita_manodopera", None)


class SecondaryTask(SpecModel):
    description: ShortText = it("descrizione")
    share: Percent = it("quota")
    ccnl: ShortText | None = it("ccnl", None)


class ServiceCategory(StrEnum):
    """Services the law names in art. 108 c. 2 besides social and labour-intensive ones (capitolato/data/legge.yaml)."""

    HOSPITAL_CATERING = "ristorazione-ospedaliera"
    CARE_CATERING = "ristorazione-assistenziale"
    SCHOOL_CATERING = "ristorazione-scolastica"
    SCHOOL_TRIPS = "trasporto-gite-scolastiche"


class Features(SpecModel):
    social_service: bool | None = it("servizi_sociali", None,
                                     description="Allegato XIV; se omesso si ricava dai codici CPV")
    social_service_reason: Text | None = it("motivazione_servizi_sociali", None)
    personal_service: bool = it("servizi_persona", False)
    outgoing_staff: bool = it("personale_uscente", False)
    outgoing_staff_annex: ShortText | None = it(
        "allegato_personale_uscente", None,
        description="Denominazione dell'allegato con i dati del personale uscente (es. «Allegato C — Elenco del "
                    "personale»): le clausole sociali lo citano da qui")
    catering_or_cleaning: bool = it("ristorazione_pulizie", False)
    service_categories: list[ServiceCategory] = it("categorie_servizio", default_factory=list,
                                                   description="Servizi dell'art. 108 c. 2 (ristorazione, gite scolastiche)")
    cam_categories: list[ShortText] = it("categorie_cam", default_factory=list,
                                         description="Categorie con un decreto CAM che l'appalto comprende (art. 57 c. 2)")
    funding: list[Funding] = it("finanziamenti", default_factory=list)
    secondary_tasks: list[SecondaryTask] = it("prestazioni_secondarie", default_factory=list)
    impact_oriented: bool = it("orientato_impatto", True,
                               description="Capitolato orientato all'impatto (modello Melzo): sezioni 1–6")


class Ccnl(SpecModel):
    name: ShortText = it("nome")
    sector: ShortText | None = it("settore", None)
    cnel_code: ShortText | None = it("codice_cnel", None)
    signatories: list[ShortText] = it("firmatari", default_factory=list)


class Objective(SpecModel):
    text: Text = it("testo")


class Strategy(SpecModel):
    code: Code = it("codice")
    title: ShortText = it("titolo")
    description: Text | None = it("descrizione", None)
    activities: list[ShortText] = it("attivita", default_factory=list)


class GovernanceLevelKind(StrEnum):
    STRATEGIC = "strategico"
    MANAGERIAL = "gestionale"
    OPERATIONAL = "operativo"


class GovernanceLevel(SpecModel):
    level: GovernanceLevelKind = it("livello")
    name: ShortText = it("nome")
    authority_roles: list[ShortText] = it("ruoli_ente", default_factory=list)
    awardee_roles: list[ShortText] = it("ruoli_aggiudicatario", default_factory=list)
    functions: list[ShortText] = it("funzioni", default_factory=list)
    frequency: ShortText | None = it("frequenza", None)


class Governance(SpecModel):
    levels: list[GovernanceLevel] = it("livelli", default_factory=list, max_length=10)


class SupportLineKind(StrEnum):
    SUPERVISION = "supervisione"
    TRAINING = "formazione"
    MAINTENANCE = "manutenzione"
    OTHER = "altro"


class SupportLine(SpecModel):
    kind: SupportLineKind = it("tipo")
    name: ShortText = it("nome")
    description: Text = it("descrizione")
    recipients: list[ShortText] = it("destinatari", default_factory=list)
    frequency: ShortText | None = it("frequenza", None)
    hours: int | None = it("ore", None, ge=0, le=100_000)


class IndicatorLevel(StrEnum):
    OUTPUT = "output"
    OUTCOME = "outcome"
    IMPACT = "impatto"


class Measure(StrEnum):
    QUANTITATIVE = "quantitativa"
    QUALITATIVE = "qualitativa"


class Owner(StrEnum):
    AUTHORITY = "ente"
    AWARDEE = "aggiudicatario"
    THIRD_PARTY = "terzo"


class Benchmark(SpecModel):
    value: Annotated[str | Decimal, Field(union_mode="left_to_right")] = it("valore")
    date: Date = it("data")


class Direction(StrEnum):
    INCREASE = "aumento"
    DECREASE = "diminuzione"


class Scale(SpecModel):
    """The range of a score (e.g. a 1–5 satisfaction scale) that qualitative measurements may carry."""

    minimum: Decimal = it("minimo", allow_inf_nan=False)
    maximum: Decimal = it("massimo", allow_inf_nan=False)


class Indicator(SpecModel):
    code: Code = it("codice")
    name: ShortText = it("nome")
    level: IndicatorLevel = it("livello")
    measure: Measure = it("misura", Measure.QUANTITATIVE)
    unit: ShortText | None = it("unita", None)
    formula: ShortText | None = it("formula", None)
    baseline: Benchmark | None = it("baseline", None)
    target: Benchmark | None = it("target", None)
    source: ShortText | None = it("fonte", None)
    frequency: ShortText | None = it("frequenza", None)
    owner: Owner | None = it("rilevatore", None)
    direction: Direction | None = it("direzione", None, description="Verso del miglioramento: aumento o diminuzione")
    measures: list[Code] = it("misura_di", default_factory=list,
                              description="«obiettivo» e/o codici delle strategie che l'indicatore verifica")
    trajectory: list[Benchmark] = it("traiettoria", default_factory=list, max_length=200,
                                     description="Valori attesi intermedi tra baseline e target (altrimenti lineare)")
    scale: Scale | None = it("scala", None, description="Scala del punteggio delle misure qualitative (es. 1–5)")


class ReportingDate(SpecModel):
    date: Date = it("data")
    description: ShortText = it("descrizione")


class ImpactEvaluation(SpecModel):
    mandatory: bool = it("obbligatoria", False, description="Il bando rende obbligatoria la VIS")
    context: Text | None = it("contesto", None)
    indicators: list[Indicator] = it("indicatori", default_factory=list, max_length=500)
    change_measure: Text | None = it("cambiamento", None)
    appreciation_measure: Text | None = it("gradimento", None)
    method: Text | None = it("metodo", None)
    evaluator: ShortText | None = it("valutatore", None)
    reporting: list[ReportingDate] = it("rendicontazione", default_factory=list)


class AwardMethod(StrEnum):
    BEST_QUALITY_PRICE = "oepv"
    FIXED_PRICE = "prezzo-fisso"
    LOWEST_PRICE = "minor-prezzo"


class PriceFormula(StrEnum):
    LINEAR = "lineare"
    BILINEAR = "bilineare"
    INVERSE_PROPORTIONAL = "proporzionalita-inversa"


class CriterionKind(StrEnum):
    DISCRETIONARY = "discrezionale"
    QUANTITATIVE = "quantitativo"
    TABULAR = "tabellare"


class CriterionSubject(StrEnum):
    OFFER = "offerta"
    COMPANY = "impresa"


class TabularLevel(SpecModel):
    description: ShortText = it("descrizione")
    points: Points = it("punti")


class Criterion(SpecModel):
    code: Code = it("codice")
    title: ShortText = it("titolo")
    points: Points | None = it("punti", None)
    kind: CriterionKind | None = it("tipo", None)
    description: Text | None = it("descrizione", None)
    subject: CriterionSubject = it("oggetto", CriterionSubject.OFFER)
    tags: list[ShortText] = it("etichette", default_factory=list)
    levels: list[TabularLevel] = it("livelli", default_factory=list)
    scale: list[Annotated[Decimal, Field(ge=0, le=1)]] = it("scala", default_factory=list)
    guidance: Text | None = it("criteri_motivazionali", None)
    formula: ShortText | None = it("formula", None)
    subcriteria: list[Criterion] = it("sottocriteri", default_factory=list, max_length=100)


class ThresholdTiming(StrEnum):
    BEFORE = "prima-della-riparametrazione"
    AFTER = "dopo-la-riparametrazione"


class Rescaling(StrEnum):
    NONE = "nessuna"
    CRITERION = "per-criterio"
    TOTAL = "sul-totale"
    BOTH = "entrambe"


class MinimumScore(SpecModel):
    points: Points = it("punti")
    timing: ThresholdTiming | None = it("momento", None)


class Award(SpecModel):
    method: AwardMethod = it("criterio")
    total_points: Points = it("punti_totali", Decimal(100))
    technical_points: Points = it("punti_tecnici")
    economic_points: Points = it("punti_economici")
    price_formula: PriceFormula | None = it("formula_economica", None)
    bilinear_coefficient: Annotated[Decimal, Field(ge=0, le=1)] | None = it("coefficiente_x", None)
    min_technical_score: MinimumScore | None = it("soglia_sbarramento", None)
    rescaling: Rescaling = it("riparametrazione", Rescaling.NONE)
    fixed_amount: Money | None = it("importo_fisso", None)
    fixed_price_reason: Text | None = it("motivazione_prezzo_fisso", None)
    criteria: list[Criterion] = it("criteri", default_factory=list, max_length=100)


class ClauseUse(SpecModel):
    id: ClauseId = it("id")
    parameters: dict[str, Any] = it("parametri", default_factory=dict)


class Derogation(SpecModel):
    rule: RuleCode = it("regola")
    reason: str = it("motivazione", "")


class CheckSettings(SpecModel):
    select: list[RuleCode] = it("seleziona", default_factory=list)
    ignore: list[RuleCode] = it("ignora", default_factory=list)


class Spec(SpecModel):
    """One tender: what the capitolato speciale and the disciplinare are generated from."""

    version: Literal[1] = it("versione")
    authority: Authority = it("ente")
    procedure: Procedure = it("procedura")
    amounts: Amounts = it("importi")
    features: Features = it("caratteristiche", default_factory=Features)
    ccnl: Ccnl | None = it("ccnl", None)
    preamble: Text | None = it("premessa", None)
    objective: Objective | None = it("obiettivo", None)
    strategies: list[Strategy] = it("strategie", default_factory=list, max_length=100)
    service_description: Text | None = it("descrizione_servizio", None)
    governance: Governance | None = it("governance", None)
    support_lines: list[SupportLine] = it("linee_supporto", default_factory=list, max_length=100)
    impact: ImpactEvaluation | None = it("valutazione_impatto", None)
    award: Award | None = it("aggiudicazione", None)
    clauses: list[ClauseUse] = it("clausole", default_factory=list, max_length=20_000)
    derogations: list[Derogation] = it("deroghe", default_factory=list)
    library: ShortText | None = it("libreria", None, description="Cartella con la libreria di clausole dell'ente")
    reference_docx: ShortText | None = it("riferimento", None, description="File .docx di riferimento (carta intestata)")
    typography: TypographySettings = it("tipografia", default_factory=lambda: TypographySettings())
    checks: CheckSettings = it("controlli", default_factory=CheckSettings)
    shared_administration: SharedAdministration | None = it(
        "amministrazione_condivisa", None,
        description="Avviso, convenzione e atto di incarico fuori dal Codice (artt. 55–56 CTS, L. 381/1991, SIEG)")
    execution: Execution = it("esecuzione", default_factory=lambda: Execution(),
                              description="Articoli del contratto nel capitolato speciale")
    tendering: Tendering = it("gara", default_factory=lambda: Tendering(), description="Dati della procedura di gara "
                              "che il disciplinare espone (piattaforma, termini, requisiti, garanzie)")

    _source: Any = PrivateAttr(None)

    @property
    def source(self) -> Any:
        """The YamlDocument the spec was loaded from (positions, text), or None if built in code."""
        return self._source

    @property
    def typeset_spec_values(self) -> bool:
        return self.typography.spec_values


# The shared-administration and execution facts build on the types above, so their modules are imported last;
# `Spec` resolves their names when it is first built (defer_build: at the first validation, not at import).
from capitolato.model.execution import Execution  # noqa: E402, F401
from capitolato.model.shared_admin import SharedAdministration  # noqa: E402, F401
from capitolato.model.tendering import Tendering  # noqa: E402, F401
