"""Facts of the contract's execution, the capitolato's second half: who the service is for and where, what is done,
when and by whom (activities with their yearly hours, staff profiles with their hourly cost), guarantees and
insurance, the execution director, payments, data processing, strikes, handover and the annexes.

They live in one spec section, `esecuzione`, so the contract clauses, the labour-cost estimate (hours × hourly cost
of each profile, derived in capitolato/model/facts.py) and the ESE rules read the same numbers. Every field is
optional: what is missing is a finding of the ESE rules or a visible «DA COMPLETARE», never an input error.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated

from pydantic import BeforeValidator, Field

from capitolato.italian import parse_amount
from capitolato.model.tender import Code, Money, Percent, ShortText, SpecModel, Text, it

Hours = Annotated[int, Field(ge=0, le=10_000_000)]
Days = Annotated[int, Field(ge=0, le=3650)]
HourlyCost = Annotated[Decimal, Field(gt=0, le=1000, allow_inf_nan=False, decimal_places=2),
                      BeforeValidator(parse_amount)]


class Recipients(SpecModel):
    description: Text = it("descrizione", description="Chi sono i destinatari del servizio")
    persons: int | None = it("persone", None, ge=0, le=10_000_000, description="Persone in carico stimate per anno")
    access_criteria: list[ShortText] = it("criteri_accesso", default_factory=list, max_length=50)


class Place(SpecModel):
    name: ShortText = it("nome")
    address: ShortText | None = it("indirizzo", None)
    description: ShortText | None = it("descrizione", None)


class Activity(SpecModel):
    """One service activity: what, when, for how many, with how many hours a year of which profile."""

    code: Code = it("codice")
    title: ShortText = it("attivita")
    description: Text | None = it("descrizione", None)
    schedule: ShortText | None = it("orari", None, description="Giorni e fasce orarie di svolgimento")
    persons: int | None = it("persone", None, ge=0, le=10_000_000, description="Persone raggiunte per anno")
    yearly_hours: Hours = it("ore_annue", description="Ore annue stimate (il monte ore dei costi della manodopera)")
    profile: Code = it("profilo", description="Codice del profilo professionale che svolge l'attività")


class Profile(SpecModel):
    """A staff profile: qualification, CCNL level and the hourly cost of the ministerial table used in the estimate."""

    code: Code = it("codice")
    name: ShortText = it("nome")
    qualifications: list[ShortText] = it("titoli", default_factory=list, max_length=20,
                                         description="Titoli di studio e qualifiche richiesti (in alternativa)")
    experience: ShortText | None = it("esperienza", None)
    level: ShortText | None = it("livello", None, description="Livello di inquadramento nel CCNL applicato")
    hourly_cost: HourlyCost | None = it("costo_orario", None,
                                        description="Costo orario della tabella ministeriale usata per la stima (euro)")


class Staffing(SpecModel):
    ratio: ShortText | None = it("rapporto_operatori_utenti", None, description="es. «1 operatore ogni 4 persone»")
    replacement_hours: Hours | None = it("sostituzione_ore", None,
                                         description="Ore entro cui l'appaltatore sostituisce un operatore assente")
    roster_days: Days | None = it("elenco_nominativo_giorni", None,
                                  description="Giorni prima dell'avvio entro cui si consegna l'elenco nominativo")
    training_hours: Hours | None = it("formazione_ore_annue", None,
                                      description="Ore annue di formazione obbligatoria per operatore")
    mandatory_training: list[ShortText] = it("formazione_obbligatoria", default_factory=list, max_length=50)


class Coordinator(SpecModel):
    profile: Code | None = it("profilo", None, description="Codice del profilo del coordinatore")
    experience_years: int | None = it("esperienza_anni", None, ge=0, le=60)
    availability: ShortText | None = it("reperibilita", None, description="Fasce di reperibilità")
    response_hours: Hours | None = it("risposta_ore", None,
                                      description="Ore entro cui risponde alle richieste del direttore dell'esecuzione")


class Guarantees(SpecModel):
    """Art. 117 guarantee and the insurance policies (section `garanzie` of the capitolato)."""

    final_percent: Percent | None = it("definitiva_percentuale", None,
                                       description="Garanzia definitiva, in percentuale dell'importo contrattuale")
    rct_limit: Money | None = it("rct_massimale", None, description="Massimale per sinistro della polizza RCT (euro)")
    rco_limit: Money | None = it("rco_massimale", None, description="Massimale per sinistro della polizza RCO (euro)")
    rco_per_person: Money | None = it("rco_massimale_persona", None,
                                      description="Massimale per persona infortunata della polizza RCO (euro)")


class ConformityCheck(SpecModel):
    frequency: ShortText | None = it("periodicita", None, description="es. «semestrale»")
    final_days: Days | None = it("termine_giorni", None,
                                 description="Giorni dalla fine delle prestazioni per la verifica finale")


class Payments(SpecModel):
    frequency: ShortText | None = it("periodicita", None, description="es. «mensile»")
    term_days: Days | None = it("termine_giorni", None, description="Giorni per il pagamento dal ricevimento della fattura")
    office_code: Annotated[str, Field(pattern=r"^[A-Z0-9]{6}$")] | None = it(
        "codice_univoco", None, description="Codice univoco dell'ufficio per la fatturazione elettronica (IPA)")


class DataProcessing(SpecModel):
    special_categories: bool = it("categorie_particolari", False,
                                  description="Il servizio tratta dati relativi alla salute o altre categorie dell'art. 9 GDPR")
    minors: bool = it("minori", False, description="Il servizio tratta dati di minori")
    processing: list[ShortText] = it("trattamenti", default_factory=list, max_length=50,
                                     description="Trattamenti affidati all'appaltatore")


class Strike(SpecModel):
    minimum_services: list[ShortText] = it("prestazioni_indispensabili", default_factory=list, max_length=50)
    notice_days: Days | None = it("preavviso_giorni", None)


class Handover(SpecModel):
    overlap_days: Days | None = it("affiancamento_giorni", None,
                                   description="Giorni di affiancamento tra gestore uscente e subentrante")
    documents: list[ShortText] = it("documenti", default_factory=list, max_length=50,
                                    description="Documentazione consegnata a fine contratto")


class Annex(SpecModel):
    code: Annotated[str, Field(pattern=r"^[A-Z0-9]{1,4}$")] = it("codice")
    title: ShortText = it("titolo")


class Execution(SpecModel):
    """The `esecuzione` section: what the contract articles of the capitolato speciale read."""

    recipients: Recipients | None = it("destinatari", None)
    places: list[Place] = it("luoghi", default_factory=list, max_length=200)
    taking_charge: list[ShortText] = it("presa_in_carico", default_factory=list, max_length=30,
                                        description="Passi dell'accesso e della presa in carico, in ordine")
    activation_days: Days | None = it("attivazione_giorni", None,
                                      description="Giorni lavorativi per attivare l'intervento dalla richiesta")
    activities: list[Activity] = it("prestazioni", default_factory=list, max_length=200)
    profiles: list[Profile] = it("profili", default_factory=list, max_length=50)
    staffing: Staffing | None = it("personale", None)
    coordinator: Coordinator | None = it("coordinatore", None)
    guarantees: Guarantees | None = it("garanzie", None)
    director: ShortText | None = it("direttore_esecuzione", None,
                                    description="Direttore dell'esecuzione del contratto (nome e qualifica, art. 114)")
    conformity: ConformityCheck | None = it("verifica_conformita", None)
    payments: Payments | None = it("pagamenti", None)
    data: DataProcessing | None = it("trattamento_dati", None)
    strike: Strike | None = it("sciopero", None)
    handover: Handover | None = it("passaggio_consegne", None)
    court: ShortText | None = it("foro", None, description="Foro competente per le controversie dell'esecuzione")
    annexes: list[Annex] = it("allegati", default_factory=list, max_length=100)

    def profile(self, code: str) -> Profile | None:
        return next((profile for profile in self.profiles if profile.code == code), None)

    def yearly_hours(self) -> int:
        return sum(activity.yearly_hours for activity in self.activities)

    def hours_by_profile(self) -> dict[str, int]:
        """Yearly hours of each profile, in the order the profiles are listed (then any unknown code)."""
        hours = {profile.code: 0 for profile in self.profiles}
        for activity in self.activities:
            hours[activity.profile] = hours.get(activity.profile, 0) + activity.yearly_hours
        return hours

    def yearly_labour_cost(self) -> Decimal | None:
        """Σ hours × hourly cost a year; None when an activity's profile is unknown or has no hourly cost."""
        total = Decimal(0)
        for activity in self.activities:
            profile = self.profile(activity.profile)
            if profile is None or profile.hourly_cost is None:
                return None
            total += profile.hourly_cost * activity.yearly_hours
        return total if self.activities else None


def over_months(yearly: Decimal | int, months: int) -> Decimal:
    """A yearly quantity over the contract's months (pro rata), to the cent."""
    return (Decimal(yearly) * months / 12).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
