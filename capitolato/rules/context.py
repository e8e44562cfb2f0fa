"""What a rule sees: the spec, its derived facts, the clause library, and helpers to place findings."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from capitolato.document.model import Document
from capitolato.errors import CapitolatoError, Location, Problem
from capitolato.library.load import Library
from capitolato.model.facts import Facts
from capitolato.model.tender import Criterion, Spec
from capitolato.rules.finding import Finding, Severity
from capitolato.rules.registry import Rule
from capitolato.spec.yamlsource import NodePath

NEGATIONS = re.compile(r"\b(non|né|senza|anziché|escluso|esclusa|esclusi|vietat\w*)\b", re.IGNORECASE)
SENTENCE_END = re.compile(r"[.;:\n]")


@dataclass(frozen=True)
class TextSpot:
    """A free text of the spec or a rendered clause, with where to point at it."""

    path: NodePath
    text: str
    clause_id: str | None = None


@dataclass
class Context:
    """Bundles spec, facts and library; `rule` is set by the engine before each check runs."""

    spec: Spec
    facts: Facts
    library: Library
    rule: Rule | None = None
    _index: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._index = {use.id: i for i, use in enumerate(self.spec.clauses)}

    # clauses
    def has_clause(self, clause_id: str) -> bool:
        return clause_id in self._index

    def has_any(self, *clause_ids: str) -> bool:
        return any(self.has_clause(c) for c in clause_ids)

    def params(self, clause_id: str) -> dict[str, Any]:
        """The bound parameters of a chosen clause (defaults filled), or {} if the spec does not use it."""
        index = self._index.get(clause_id)
        return self.spec.clauses[index].parameters if index is not None else {}

    def clause_ids(self) -> list[str]:
        return list(self._index)

    @cached_property
    def texts(self) -> dict[str, str]:
        """Each chosen clause rendered once with its parameters; a clause that cannot render is left out."""
        from capitolato.library.render import render_clause, spec_context

        context = spec_context(self.spec)
        rendered = {}
        for use in self.spec.clauses:
            clause = self.library.get(use.id)
            if clause is None:
                continue
            try:
                rendered[use.id] = render_clause(clause, use.parameters, self.spec, context=context)
            except (CapitolatoError, ValueError, TypeError):
                continue
        return rendered

    @cached_property
    def assembled(self) -> tuple[list[Document], list[Problem]]:
        """The documents `build` would write, or the problems that keep it from writing them."""
        from capitolato.document.assemble import assemble

        try:
            return assemble(self.spec, self.library), []
        except CapitolatoError as exc:
            return [], list(exc.problems)

    @property
    def documents(self) -> list[Document]:
        return self.assembled[0]

    # locations
    def at(self, *path: str | int) -> Location:
        """The value at a node path (its closest existing parent when missing)."""
        if self.spec.source is None:
            return Location("<spec>")
        return self.spec.source.locate(path)

    def section(self, *path: str | int) -> Location:
        """The key line of a section (where something is missing), falling back to its parent."""
        if self.spec.source is None:
            return Location("<spec>")
        return self.spec.source.locate(path, key=True)

    def clause_at(self, clause_id: str, parameter: str | None = None) -> Location:
        """A chosen clause's parameter (or its id); the `clausole` section when the clause is absent."""
        index = self._index.get(clause_id)
        if index is None:
            return self.section("clausole")
        if parameter is None:
            return self.at("clausole", index, "id")
        return self.at("clausole", index, "parametri", parameter)

    # findings
    def finding(self, location: Location, detail: str | None = None, *,
                severity: Severity | None = None, fix: str | None = None) -> Finding:
        rule = self.rule
        assert rule is not None, "finding() outside a running rule"
        message = f"{rule.message}: {detail}" if detail else rule.message
        if rule.unsettled:
            message += " (da verificare)"
        return Finding(rule.code, rule.name, severity or rule.severity, message, location, rule.legal_reference,
                       fix or rule.fix, rule.url)

    # texts
    def free_texts(self) -> Iterator[TextSpot]:
        """The spec's own prose, then each rendered clause text."""
        spec = self.spec
        if spec.preamble:
            yield TextSpot(("premessa",), spec.preamble)
        if spec.objective:
            yield TextSpot(("obiettivo", "testo"), spec.objective.text)
        for i, strategy in enumerate(spec.strategies):
            yield TextSpot(("strategie", i, "titolo"), strategy.title)
            if strategy.description:
                yield TextSpot(("strategie", i, "descrizione"), strategy.description)
            for j, activity in enumerate(strategy.activities):
                yield TextSpot(("strategie", i, "attivita", j), activity)
        if spec.service_description:
            yield TextSpot(("descrizione_servizio",), spec.service_description)
        for i, line in enumerate(spec.support_lines):
            yield TextSpot(("linee_supporto", i, "descrizione"), line.description)
        if spec.award:
            yield from _criteria_texts(spec.award.criteria, ("aggiudicazione", "criteri"))
        for clause_id, text in self.texts.items():
            yield TextSpot(("clausole", self._index[clause_id], "id"), text, clause_id)


def _criteria_texts(criteria: list[Criterion], base: NodePath) -> Iterator[TextSpot]:
    for i, criterion in enumerate(criteria):
        path = (*base, i)
        yield TextSpot((*path, "titolo"), criterion.title)
        for name, value in (("descrizione", criterion.description), ("criteri_motivazionali", criterion.guidance)):
            if value:
                yield TextSpot((*path, name), value)
        yield from _criteria_texts(criterion.subcriteria, (*path, "sottocriteri"))


def affirmed(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """The first match of `pattern` not negated earlier in its sentence («non è ammessa l'autocertificazione»)."""
    for match in pattern.finditer(text):
        start = max((m.end() for m in SENTENCE_END.finditer(text, 0, match.start())), default=0)
        if not NEGATIONS.search(text, start, match.start()):
            return match
    return None
