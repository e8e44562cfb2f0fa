"""Facts of the routes outside the Codice: the co-design avviso, the conventions (art. 55–56 CTS, art. 5 L. 381/1991)
and the SGEI entrustment act.

They live in one spec section, `amministrazione_condivisa`, so the avviso, the convention and the rules read the same
deadline, parties and reimbursement rules. Every field is optional: a missing fact is a finding of the AMM rules and a
visible «DA COMPLETARE» in a draft, never an input error.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field

from capitolato.model.tender import Criterion, Date, Money, Percent, Points, ShortText, SpecModel, Text, it
from capitolato.resources import package_data

Time = Annotated[str, Field(pattern=r"^([01]\d|2[0-3])[:.][0-5]\d$")]
NATIONAL = "nazionale"


class Region(StrEnum):
    """Where the ente is: the regional rules of shared administration follow it (data/amministrazione-condivisa)."""

    NATIONAL = NATIONAL
    ABRUZZO = "abruzzo"
    BASILICATA = "basilicata"
    CALABRIA = "calabria"
    CAMPANIA = "campania"
    EMILIA_ROMAGNA = "emilia-romagna"
    FRIULI_VENEZIA_GIULIA = "friuli-venezia-giulia"
    LAZIO = "lazio"
    LIGURIA = "liguria"
    LOMBARDIA = "lombardia"
    MARCHE = "marche"
    MOLISE = "molise"
    PIEMONTE = "piemonte"
    PUGLIA = "puglia"
    SARDEGNA = "sardegna"
    SICILIA = "sicilia"
    TOSCANA = "toscana"
    TRENTO = "trento"
    BOLZANO = "bolzano"
    UMBRIA = "umbria"
    VALLE_D_AOSTA = "valle-d-aosta"
    VENETO = "veneto"


class ChannelKind(StrEnum):
    PEC = "pec"
    PLATFORM = "piattaforma"


class PhaseKind(StrEnum):
    """The steps of a co-design procedure under DM 72/2021 and L. 241/1990, in their order."""

    INTEREST = "manifestazione-interesse"
    ADMISSIBILITY = "istruttoria-ammissibilita"
    EVALUATION = "valutazione-proposte"
    TABLE = "tavolo-coprogettazione"
    FINAL_PROJECT = "progetto-definitivo"
    CONVENTION = "convenzione"


class Deadline(SpecModel):
    date: Date = it("data")
    time: Time = it("ora", description="Ora della scadenza, HH:MM")


class Channel(SpecModel):
    kind: ChannelKind = it("tipo")
    address: ShortText = it("indirizzo", description="Indirizzo PEC o della piattaforma telematica")


class Phase(SpecModel):
    kind: PhaseKind = it("fase")
    who: ShortText = it("chi")
    when: ShortText = it("quando")
    description: Text | None = it("descrizione", None)


class Commission(SpecModel):
    members: int = it("componenti", ge=3, le=15)
    appointment: ShortText = it("nomina", description="Da chi è nominata (es. «dal responsabile del procedimento»)")
    composition: Text | None = it("composizione", None)


class Contacts(SpecModel):
    office: ShortText | None = it("ufficio", None)
    email: ShortText | None = it("email", None)
    pec: ShortText | None = it("pec", None)
    phone: ShortText | None = it("telefono", None)
    hours: ShortText | None = it("orari", None)


class Clarifications(SpecModel):
    deadline: Date = it("termine")
    answers_by: Date | None = it("risposte_entro", None)


class Asset(SpecModel):
    description: ShortText = it("descrizione")
    value: Money | None = it("valore", None)


class Resources(SpecModel):
    """What the ente brings besides the contributo (which is `importi.base`), and the ETS co-funding it asks."""

    assets: list[Asset] = it("beni", default_factory=list, max_length=100)
    staff: list[ShortText] = it("personale", default_factory=list, max_length=100)
    min_cofunding: Money | None = it("cofinanziamento_minimo", None)


class TerritorialLimit(SpecModel):
    requirement: ShortText = it("requisito")
    reason: Text = it("motivazione")


class Notice(SpecModel):
    """The avviso: programming acts, who may apply, the resources, the steps, how and by when, the evaluation."""

    programming_acts: list[ShortText] = it("atti_programmazione", default_factory=list, max_length=50)
    co_programming: Text | None = it("coprogrammazione", None, description="La co-programmazione che ha preceduto")
    requirements: list[ShortText] = it("requisiti", default_factory=list, max_length=100)
    territorial_limit: TerritorialLimit | None = it("limitazione_territoriale", None)
    resources: Resources = it("risorse", default_factory=Resources)
    phases: list[Phase] = it("fasi", default_factory=list, max_length=20)
    deadline: Deadline | None = it("termine", None)
    channel: Channel | None = it("canale", None)
    documents: list[ShortText] = it("documenti", default_factory=list, max_length=50)
    publication_days: int | None = it("giorni_pubblicazione", None, ge=1, le=365,
                                      description="Se omesso, il minimo regionale")
    commission: Commission | None = it("commissione", None)
    criteria: list[Criterion] = it("criteri", default_factory=list, max_length=100)
    threshold: Points | None = it("soglia_minima", None, description="Punteggio minimo per essere ammessi al tavolo")
    clarifications: Clarifications | None = it("chiarimenti", None)
    contacts: Contacts | None = it("contatti", None)


class Signatory(SpecModel):
    name: ShortText = it("nome")
    role: ShortText = it("qualifica")


class Party(SpecModel):
    name: ShortText = it("denominazione")
    seat: ShortText | None = it("sede", None)
    tax_code: ShortText | None = it("codice_fiscale", None)
    registration: ShortText | None = it("iscrizione", None, description="RUNTS, albo regionale o registro imprese")
    representative: Signatory | None = it("rappresentante", None)


class Selection(SpecModel):
    """The procedure that chose the partner, which the premesse of the convention cite."""

    act: ShortText = it("atto", description="Atto che ha approvato l'esito (es. determinazione n. … del …)")
    description: Text = it("descrizione")


class CostItem(SpecModel):
    item: ShortText = it("voce")
    amount: Money | None = it("importo", None)


class Reimbursement(SpecModel):
    """Only documented costs; indirect costs only for the share attributable to the activity."""

    costs: list[CostItem] = it("costi_ammissibili", default_factory=list, max_length=100)
    indirect_share: Percent | None = it("quota_costi_indiretti", None,
                                        description="Quota massima dei costi indiretti, in % dei costi diretti")
    indirect_method: ShortText | None = it("criterio_imputazione", None)
    lump_sum: bool = it("forfettario", False, description="Rimborso a forfait, non legato ai costi documentati")
    documentation: Text | None = it("documentazione", None)
    reporting: ShortText | None = it("rendicontazione", None, description="Periodicità della rendicontazione")
    advance: Percent | None = it("anticipo", None)


class StaffRole(SpecModel):
    role: ShortText = it("ruolo")
    number: int = it("numero", ge=1, le=10_000)
    qualification: ShortText | None = it("qualifica", None)


class Volunteers(SpecModel):
    number: int = it("numero", ge=1, le=100_000)
    activities: list[ShortText] = it("attivita", default_factory=list, max_length=50)
    qualifications: ShortText | None = it("requisiti", None)


class WorkIntegration(SpecModel):
    """The work-integration plan of a L. 381 convention."""

    persons: int = it("persone", ge=1, le=10_000)
    roles: list[ShortText] = it("mansioni", default_factory=list, max_length=50)
    tutor: ShortText | None = it("tutor", None)
    training: ShortText | None = it("formazione", None)
    verification: ShortText | None = it("verifiche", None)
    referral: ShortText | None = it("servizi_invianti", None)


class Convention(SpecModel):
    """The parties, what each commits to, and the art. 56 c. 4 content of a convention."""

    authority_signatory: Signatory | None = it("firmatario_ente", None)
    partner: Party | None = it("partner", None)
    selection: Selection | None = it("selezione", None)
    authority_commitments: list[ShortText] = it("impegni_ente", default_factory=list, max_length=50)
    partner_commitments: list[ShortText] = it("impegni_partner", default_factory=list, max_length=50)
    reimbursement: Reimbursement | None = it("rimborso", None)
    staff: list[StaffRole] = it("personale", default_factory=list, max_length=50)
    volunteers: Volunteers | None = it("volontari", None)
    insurance: Text | None = it("assicurazione", None)
    continuity: Text | None = it("continuita", None)
    users_rights: Text | None = it("diritti_utenti", None)
    quality_checks: Text | None = it("controlli_qualita", None)
    termination_causes: list[ShortText] = it("cause_risoluzione", default_factory=list, max_length=30)
    work_integration: WorkIntegration | None = it("inserimento_lavorativo", None)
    place: ShortText | None = it("luogo_firma", None)


class Compensation(SpecModel):
    """Decision 2012/21/EU art. 4 lett. d–e and art. 5: how the compensation is computed, checked and recovered."""

    parameters: Text | None = it("parametri", None, description="Parametri di calcolo, controllo e revisione")
    costs: list[ShortText] = it("costi", default_factory=list, max_length=50)
    revenues: list[ShortText] = it("ricavi", default_factory=list, max_length=50)
    reasonable_profit: ShortText | None = it("utile_ragionevole", None)
    annual_cap: Money | None = it("importo_annuo_massimo", None)
    checks: ShortText | None = it("verifiche", None, description="Periodicità delle verifiche di sovracompensazione")
    recovery: Text | None = it("recupero", None)
    separate_accounts: bool = it("contabilita_separata", True)


class Entrustment(SpecModel):
    """The SGEI entrustment act (Decision 2012/21/EU art. 4)."""

    undertaking: Party | None = it("impresa", None)
    territory: Text | None = it("territorio", None)
    obligations: list[ShortText] = it("obblighi", default_factory=list, max_length=50)
    exclusive_rights: Text | None = it("diritti_esclusivi", None)
    duration_reason: Text | None = it("motivazione_durata", None)
    compensation: Compensation | None = it("compensazione", None)


class SharedAdministration(SpecModel):
    region: Region = it("regione", Region.NATIONAL)
    notice: Notice = it("avviso", default_factory=Notice)
    convention: Convention = it("convenzione", default_factory=Convention)
    entrustment: Entrustment = it("incarico_sieg", default_factory=Entrustment)


def regional_rules(region: Region | str) -> dict[str, Any]:
    """The rules of `region`, each missing one taken from the national default."""
    data = package_data("amministrazione-condivisa.yaml")
    key = Region(region).value
    return {**data[NATIONAL], **(data["regioni"].get(key) or {})}


def min_publication_days(region: Region | str) -> int:
    return int(regional_rules(region)["giorni_pubblicazione"]["giorni"])


def criteria_total(criteria: list[Criterion]) -> Decimal:
    return sum((c.points or Decimal(0) for c in criteria), Decimal(0))


def shared_of(spec: Any) -> SharedAdministration:
    """The spec's shared-administration facts, or an empty section: rules and texts then see every fact as missing."""
    return spec.shared_administration or SharedAdministration()
