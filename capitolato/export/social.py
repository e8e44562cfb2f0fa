"""Where a tender pursues social objectives: chosen clauses and tagged award criteria, with their BT-775 codes.

eForms (BT-06, BT-775, BT-777) and OCDS (`sustainability[]`) are two views of the same list, built once here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from capitolato.export.data import codelists, mapping
from capitolato.library.load import Library, load_library
from capitolato.model.tender import Criterion, Spec
from capitolato.spec.load import spec_libraries

AWARD_CRITERIA = "awardCriteria"


@dataclass(frozen=True)
class SocialSource:
    """A clause or criterion pursuing social objectives, and where it sits in the tender (OCDS strategy)."""

    label: str
    objectives: tuple[str, ...]
    strategy: str


def social_sources(spec: Spec, library: Library | None = None) -> list[SocialSource]:
    """Every chosen clause with `eforms.bt775` codes, then every criterion whose tags map to codes."""
    library = library if library is not None else load_library(spec_libraries(spec))
    return [*_clause_sources(spec, library), *_criterion_sources(spec)]


def social_objectives(sources: list[SocialSource]) -> list[str]:
    """The union of BT-775 codes, in code-list order so the output is stable."""
    found = {code for source in sources for code in source.objectives}
    return [code for code in codelists()["social-objective"] if code in found]


def _clause_sources(spec: Spec, library: Library) -> Iterator[SocialSource]:
    strategies = mapping()["strategie_ocds"]
    for use in spec.clauses:
        clause = library.get(use.id)
        if clause is None or not clause.eforms.bt775:
            continue
        placement = f"{clause.placement.document.value}/{clause.placement.section}"
        yield SocialSource(clause.title, tuple(clause.eforms.bt775),
                           strategies.get(placement, mapping()["strategia_predefinita"]))


def _criterion_sources(spec: Spec) -> Iterator[SocialSource]:
    if spec.award is None:
        return
    by_tag = mapping()["etichette_bt775"]
    for criterion in _walk(spec.award.criteria):
        codes = tuple(dict.fromkeys(code for tag in criterion.tags for code in by_tag.get(tag, ())))
        if codes:
            yield SocialSource(f"criterio {criterion.code} – {criterion.title}", codes, AWARD_CRITERIA)


def _walk(criteria: list[Criterion]) -> Iterator[Criterion]:
    for criterion in criteria:
        yield criterion
        yield from _walk(criterion.subcriteria)
