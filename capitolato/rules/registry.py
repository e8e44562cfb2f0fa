"""The rule catalogue: every rule is registered here, by the `rule` decorator of its family module."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib import import_module
from typing import TYPE_CHECKING

from capitolato.rules.finding import Finding, Severity

if TYPE_CHECKING:
    from capitolato.rules.context import Context

Check = Callable[["Context"], Iterable[Finding]]

FAMILY_MODULES = ("award", "labour", "social", "equal_opportunity", "reserved", "shared_administration",
                  "shared_admin_documents", "procedure", "contract", "impact", "governance", "export", "structure",
                  "derogations", "facts", "publication", "document", "execution", "tendering")

FAMILIES = {
    "AWD": "aggiudicazione e punteggi",
    "LAB": "costo della manodopera e CCNL",
    "SOC": "clausole sociali",
    "PNR": "pari opportunità (art. 47 d.l. 77/2021, Allegato II.3)",
    "RES": "appalti riservati e L. 381/1991",
    "CTS": "amministrazione condivisa (Codice del Terzo settore)",
    "AMM": "avviso, convenzioni e atto di incarico fuori dal Codice",
    "PRC": "procedura",
    "GAR": "procedura di gara (disciplinare)",
    "DOC": "completezza del contratto",
    "ESE": "articoli del contratto (esecuzione, garanzie, personale, allegati)",
    "IMP": "valutazione dell'impatto sociale",
    "GOV": "governance",
    "EXP": "esportazione eForms",
    "STR": "struttura del capitolato orientato all'impatto",
    "DRG": "deroghe",
    "FAT": "un dato, un posto (dati dello spec ripetuti nelle clausole)",
    "PUB": "testo pubblicato (documenti generati)",
    "TXT": "testo dei documenti di gara letti (Word, PDF, ODT)",
}

CODICE = "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:2023-03-31;36~art{}"
DL77 = "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legge:2021-05-31;77~art47"
CTS = "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:2017-07-03;117~art{}"
L381 = "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:legge:1991-11-08;381~art{}"
EFORMS = "https://docs.ted.europa.eu/eforms/latest/"
MODEL = "Modello del capitolato orientato all'impatto (Distretto 5 di Melzo, ANCI Lombardia 12.12.2019)"


class Status(StrEnum):
    """How far the rule's legal basis has been verified (domain.md §0)."""

    VERIFIED = "V"
    TEXT_2023 = "2023"
    TO_VERIFY = "TV"
    DESIGN = "D"

    @property
    def label(self) -> str:
        return {"V": "verificata", "2023": "testo 2023", "TV": "da verificare", "D": "scelta di progetto"}[self.value]

    @property
    def explanation(self) -> str:
        """What the mark means for the officer (the legend of `rules list`)."""
        return {"V": "base giuridica verificata sul testo vigente",
                "2023": "verificata solo sul testo originario del Codice (2023): da ricontrollare dopo il correttivo",
                "TV": "base giuridica non ancora verificata: la regola avvisa, non decide",
                "D": "scelta di progetto del modello, senza forza di legge"}[self.value]


@dataclass(frozen=True)
class Basis:
    """One legal reference: how it is cited and where the text can be read."""

    citation: str
    url: str | None = None


def art(number: str, citation: str | None = None) -> Basis:
    """A reference to an article of the Codice (d.lgs. 36/2023), with its Normattiva address."""
    return Basis(citation or f"art. {number} d.lgs. 36/2023", CODICE.format(number))


@dataclass(frozen=True)
class Rule:
    """Metadata of one rule; `check` is None for rules that need the document audit or are raised by the engine."""

    code: str
    name: str
    severity: Severity
    message: str
    rationale: str
    basis: tuple[Basis, ...]
    status: Status
    fix: str
    needs_document_audit: bool = False
    unsettled: bool = False
    values: tuple[str, ...] = ()
    check: Check | None = field(default=None, compare=False)

    @property
    def family(self) -> str:
        return self.code[:3]

    @property
    def title(self) -> str:
        """The Italian name the officer reads (capitolato/data/nomi-regole.yaml); `name` stays the stable id."""
        return italian_names().get(self.code, self.name)

    @property
    def legal_reference(self) -> str:
        return "; ".join(b.citation for b in self.basis)

    @property
    def url(self) -> str | None:
        return next((b.url for b in self.basis if b.url), None)

    @property
    def runs(self) -> bool:
        return self.check is not None


_RULES: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    if rule.code in _RULES:
        raise ValueError(f"regola {rule.code} registrata due volte")
    _RULES[rule.code] = rule
    return rule


def rule(code: str, name: str, severity: Severity, message: str, *, rationale: str, basis: Iterable[Basis],
         status: Status, fix: str, unsettled: bool = False, values: Iterable[str] = ()) -> Callable[[Check], Check]:
    """Register the decorated function as the check of a rule; `values` name the dated legal values it applies."""

    def decorate(check: Check) -> Check:
        register(Rule(code, name, severity, message, rationale, tuple(basis), status, fix,
                      unsettled=unsettled, values=tuple(values), check=check))
        return check

    return decorate


def audit_rule(code: str, name: str, severity: Severity, message: str, *, rationale: str, basis: Iterable[Basis],
               status: Status, fix: str) -> None:
    """Register a rule that only the audit of the generated documents can decide: documented, never run."""
    register(Rule(code, name, severity, message, rationale, tuple(basis), status, fix, needs_document_audit=True))


def engine_rule(code: str, name: str, severity: Severity, message: str, *, rationale: str, basis: Iterable[Basis],
                status: Status, fix: str) -> Rule:
    """Register a rule whose findings the engine raises itself (derogations), not a check function."""
    return register(Rule(code, name, severity, message, rationale, tuple(basis), status, fix))


@cache
def italian_names() -> dict[str, str]:
    from capitolato.resources import package_data

    return package_data("nomi-regole.yaml")


def all_rules() -> dict[str, Rule]:
    """Every registered rule by code, importing the family modules on first use."""
    for module in FAMILY_MODULES:
        import_module(f"capitolato.rules.{module}")
    return dict(sorted(_RULES.items()))


def get(code: str) -> Rule | None:
    return all_rules().get(code.upper())
