"""Facts of the tender procedure that the disciplinare di gara states (ANAC bando-tipo n. 1): the platform, the
deadlines, the requirements, the guarantees, the commission, the steps of the procedure.

They live in one spec section, `gara`, so the disciplinare's clauses and the GAR rules read the same deadline and
the same requirement. Lots, CIG, amounts, RUP and the award grid stay where they already are (`procedura`,
`importi`, `ente`, `aggiudicazione`). Every field is optional: a missing fact is a finding of the GAR rules and a
visible «DA COMPLETARE» in a draft, never an input error.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from capitolato.model.shared_admin import Deadline
from capitolato.model.tender import Date, Money, Percent, ShortText, SpecModel, Text, it


class Reduction(StrEnum):
    """Why the offer deadline may go below the ordinary minimum (art. 71 c. 3)."""

    PRIOR_INFORMATION = "preinformazione"
    URGENCY = "urgenza"


class TurnoverKind(StrEnum):
    GLOBAL = "globale"
    SPECIFIC = "specifico"


class ContractForm(StrEnum):
    """The form of the contract (art. 18 c. 1)."""

    PUBLIC = "forma-pubblica-amministrativa"
    NOTARY = "atto-pubblico-notarile"
    PRIVATE = "scrittura-privata"
    ELECTRONIC_EXCHANGE = "scambio-di-lettere"


class Act(SpecModel):
    act: ShortText = it("atto", description="Es. «determinazione del Responsabile del Settore n. 112»")
    date: Date = it("data")


class Platform(SpecModel):
    name: ShortText = it("nome")
    address: ShortText = it("indirizzo", description="Indirizzo internet della piattaforma")
    operator: ShortText | None = it("gestore", None)
    identification: ShortText | None = it("identificazione", None,
                                          description="Come si accede (SPID, CIE, CNS, eIDAS)")
    support: ShortText | None = it("assistenza", None, description="Dove chiedere assistenza tecnica")


class DeadlineReduction(SpecModel):
    reason: Reduction = it("motivo")
    explanation: Text = it("motivazione")


class SiteVisit(SpecModel):
    required: bool = it("previsto", False)
    places: ShortText | None = it("luoghi", None)
    how: Text | None = it("modalita", None, description="Come si prenota e si svolge")
    deadline: Date | None = it("termine", None, description="Ultimo giorno per effettuarlo")


class Turnover(SpecModel):
    kind: TurnoverKind = it("tipo", TurnoverKind.SPECIFIC)
    amount: Money = it("importo", description="Fatturato minimo richiesto, IVA esclusa")
    years: int = it("esercizi", 3, ge=1, le=5, description="Esercizi su cui si calcola")
    sector: ShortText | None = it("settore", None, description="Settore del fatturato specifico")
    reason: Text | None = it("motivazione", None, description="Perché il requisito è proporzionato (art. 100 c. 11)")


class SimilarServices(SpecModel):
    description: Text = it("descrizione")
    amount: Money | None = it("importo", None, description="Importo minimo complessivo dei servizi analoghi")
    years: int = it("anni", 3, ge=1, le=10)


class Suitability(SpecModel):
    """Idoneità professionale (art. 100 c. 3): registers the operator must be entered in."""

    cooperative_register: bool = it("albo_cooperative", True,
                                    description="Albo delle società cooperative, per le cooperative")
    social_cooperatives_register: bool = it("albo_regionale_cooperative_sociali", False,
                                            description="Albo regionale delle cooperative sociali (L. 381/1991 art. 9)")
    others: list[ShortText] = it("altri", default_factory=list, max_length=20)


class Requirements(SpecModel):
    suitability: Suitability = it("idoneita", default_factory=Suitability)
    turnover: Turnover | None = it("fatturato", None)
    similar_services: SimilarServices | None = it("servizi_analoghi", None)
    lead_share: Percent | None = it("quota_mandataria", None,
                                    description="Quota minima dei requisiti posseduta dalla mandataria in un RTI")


class ProvisionalGuarantee(SpecModel):
    required: bool = it("richiesta", True)
    percent: Percent | None = it("percentuale", None, description="Se omessa, la misura ordinaria dell'art. 106")
    reason: Text | None = it("motivazione", None,
                             description="Perché la misura è diversa da quella ordinaria o la garanzia non è chiesta")


class TechnicalOffer(SpecModel):
    pages: int | None = it("pagine", None, ge=1, le=500, description="Numero massimo di facciate della relazione")
    format: ShortText | None = it("formato", None, description="Es. «A4, carattere Arial 11, interlinea singola»")


class Commission(SpecModel):
    members: int = it("componenti", 3, ge=1, le=15)
    chair: ShortText | None = it("presidente", None, description="Chi la presiede (es. «un dirigente dell'ente»)")


class Tendering(SpecModel):
    decision: Act | None = it("decisione_contrarre", None)
    nuts: ShortText | None = it("nuts", None, description="Codice NUTS del luogo di esecuzione")
    platform: Platform | None = it("piattaforma", None)
    clarifications_deadline: Deadline | None = it("termine_chiarimenti", None)
    offer_deadline: Deadline | None = it("termine_offerte", None)
    reduction: DeadlineReduction | None = it("riduzione_termine", None)
    first_session: Deadline | None = it("prima_seduta", None)
    offer_validity_days: int = it("validita_offerta_giorni", 180, ge=30, le=720)
    site_visit: SiteVisit = it("sopralluogo", default_factory=SiteVisit)
    requirements: Requirements = it("requisiti", default_factory=Requirements)
    premium_reliance: bool = it("avvalimento_premiale", True,
                                description="Ammesso l'avvalimento per conseguire un punteggio (art. 104 c. 4)")
    provisional_guarantee: ProvisionalGuarantee = it("garanzia_provvisoria", default_factory=ProvisionalGuarantee)
    technical_offer: TechnicalOffer = it("offerta_tecnica", default_factory=TechnicalOffer)
    commission: Commission = it("commissione", default_factory=Commission)
    reversed_order: bool = it("inversione_procedimentale", False,
                              description="Offerte esaminate prima della documentazione amministrativa (art. 107 c. 3)")
    contract_form: ContractForm | None = it("forma_contratto", None)
    contract_costs: Money | None = it("spese_contrattuali", None, description="Stima delle spese di stipula")
    court: ShortText | None = it("tar", None, description="Tribunale amministrativo competente")
    annexes: list[ShortText] = it("allegati", default_factory=list, max_length=50,
                                  description="Allegati del disciplinare (modelli di domanda, DGUE, offerta)")


def days_to_deadline(notice: dt.date, tendering: Tendering) -> int | None:
    """Days between the publication of the notice and the offer deadline, None without a deadline."""
    if tendering.offer_deadline is None:
        return None
    return (tendering.offer_deadline.date - notice).days
