"""A clause of the library: metadata an officer reads, parameters, and a Jinja text."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, PrivateAttr

from capitolato.model.tender import ClauseId, ProcedureKind, SpecModel, it
from capitolato.resources import package_data

CONDITIONS = ("alta-intensita-manodopera", "servizi-sociali", "servizi-persona", "sopra-soglia-ue",
              "sopra-soglia-sociale", "pnrr", "personale-uscente", "ambito-art57", "ambito-pari-opportunita",
              "servizio-non-intellettuale", "oepv", "prezzo-fisso", "punteggio-economico", "ristorazione-pulizie",
              "categorie-cam")


def documents() -> dict[str, Any]:
    """Documents and their ordered sections (capitolato/data/documenti.yaml)."""
    return package_data("documenti.yaml")


class Family(StrEnum):
    CCNL = "ccnl"
    LABOUR = "manodopera"
    SOCIAL = "sociale"
    EQUAL_OPPORTUNITIES = "pari-opportunita"
    RESERVED = "riservati-381"
    AWARD = "aggiudicazione"
    QUALITY = "qualita"
    IMPACT = "impatto"
    EXECUTION = "esecuzione"
    SHARED_ADMINISTRATION = "amministrazione-condivisa"
    SGEI = "sieg"
    TENDERING = "gara"


class Status(StrEnum):
    VERIFIED = "verificato"
    TEXT_2023 = "testo-2023"
    TO_VERIFY = "da-verificare"


class DocumentKind(StrEnum):
    CONTRACT_SPECS = "capitolato-speciale"
    TENDER_RULES = "disciplinare"
    PUBLIC_NOTICE = "avviso"
    CONVENTION = "convenzione"
    ENTRUSTMENT_ACT = "atto-incarico"


class ParameterType(StrEnum):
    TEXT = "testo"
    INTEGER = "intero"
    DECIMAL = "decimale"
    PERCENT = "percentuale"
    MONEY = "importo"
    DATE = "data"
    LIST = "lista"
    CHOICE = "scelta"
    BOOLEAN = "booleano"


Condition = Annotated[str, Field(pattern="^(" + "|".join(CONDITIONS) + ")$")]


class LegalReference(SpecModel):
    act: str = it("atto", min_length=1)
    article: str | None = it("articolo", None)
    paragraph: str | None = it("comma", None)
    letter: str | None = it("lettera", None)
    url: str | None = it("url", None, pattern=r"^https://")
    status: Status = it("stato", Status.VERIFIED)

    def citation(self) -> str:
        article = self.article or ""
        parts = [article if article.lower().startswith(("all", "art")) else f"art. {article}" if article else "", f"c. {self.paragraph}" if self.paragraph else "",
                 f"lett. {self.letter}" if self.letter else "", self.act]
        return " ".join(part for part in parts if part)


class Placement(SpecModel):
    document: DocumentKind = it("documento")
    section: str = it("sezione", min_length=1)


class Applicability(SpecModel):
    procedures: list[ProcedureKind] = it("procedure", default_factory=list)
    conditions: list[Condition] = it("condizioni", default_factory=list)
    requires: list[ClauseId] = it("richiede", default_factory=list)
    excludes: list[ClauseId] = it("esclude", default_factory=list)


FactPath = Annotated[str, Field(pattern=r"^[a-z_]+(\.[a-z_]+)+$", max_length=200)]


class Parameter(SpecModel):
    kind: ParameterType = it("tipo")
    description: str = it("descrizione", min_length=1)
    fact: FactPath | None = it("fatto", None, description="Dato dello spec da cui il valore è letto (es. importi.manodopera)")
    default: Any = it("default", None)
    minimum: float | None = it("min", None)
    maximum: float | None = it("max", None)
    choices: list[str | int | float] = it("scelte", default_factory=list)
    law: str | None = it("legge", None, description="Valore di capitolato/data/legge.yaml che fissa i limiti, "
                                                    "controllati con la data di pubblicazione")

    @property
    def required(self) -> bool:
        return "default" not in self.model_fields_set


class Eforms(SpecModel):
    bt775: list[str] = it("bt775", default_factory=list)


class Clause(SpecModel):
    id: ClauseId = it("id")
    title: str = it("titolo", min_length=1)
    family: Family = it("famiglia")
    version: int = it("versione", ge=1)
    catalogue: str | None = it("catalogo", None)
    status: Status = it("stato")
    legal_basis: list[LegalReference] = it("base_giuridica", min_length=1)
    placement: Placement = it("collocazione")
    applicability: Applicability = it("applicabilita", default_factory=Applicability)
    satisfies: list[Annotated[str, Field(pattern=r"^[A-Z]{3}\d{3}$")]] = it("soddisfa", default_factory=list)
    eforms: Eforms = it("eforms", default_factory=Eforms)
    parameters: dict[str, Parameter] = it("parametri", default_factory=dict)
    text: str = it("testo", min_length=1)
    notes: str | None = it("note", None)
    law_values: list[str] = it("valori_legge", default_factory=list)

    _path: Path | None = PrivateAttr(None)
    _source: Any = PrivateAttr(None)

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def source(self) -> Any:
        """The YamlDocument the clause came from, read with positions only when a message needs them."""
        if self._source is None and self._path is not None:
            from capitolato.spec.yamlsource import load_yaml

            self._source = load_yaml(self._path)
        return self._source

    @property
    def to_verify(self) -> bool:
        return self.status is Status.TO_VERIFY or any(r.status is Status.TO_VERIFY for r in self.legal_basis)

    def law_keys(self) -> tuple[str, ...]:
        """The dated legal values the clause's parameters and text rest on (capitolato/data/legge.yaml)."""
        keys = [p.law for p in self.parameters.values() if p.law] + self.law_values
        return tuple(dict.fromkeys(keys))

    def citations(self) -> str:
        return "; ".join(reference.citation() for reference in self.legal_basis)
