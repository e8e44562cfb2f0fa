"""Clause parameters bound to a spec fact (`fatto: importi.manodopera`): the spec is the value's only home.

A bound parameter is never an input: its value is read from the spec, so the clause, the documents, the rules and
the derived facts (labour intensity, thresholds) all read the same number.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import Enum
from functools import cache
from typing import Any

from capitolato.errors import Location
from capitolato.model.facts import Facts, derive
from capitolato.model.tender import Spec
from capitolato.spec.validate import model_path_exists
from capitolato.spec.yamlsource import YamlDocument

DERIVED = "derivati"


class _Unknown:
    """A fact the spec did not let us read (it failed validation): never compared, never reported missing."""

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()


@cache
def derived_names() -> frozenset[str]:
    """The names under `derivati`, read from the template context itself so the two never drift."""
    return frozenset(Facts(*(None for _ in fields(Facts))).as_template_context())


def fact_path_problem(path: str) -> str | None:
    """Why `path` names no fact of the spec, or None when it does (for `clauses lint`)."""
    parts = tuple(path.split("."))
    if parts[0] == DERIVED:
        if len(parts) == 2 and parts[1] in derived_names():
            return None
        return f"«{path}» non è un dato derivato (derivati: {', '.join(sorted(derived_names()))})"
    if model_path_exists(Spec, parts):
        return None
    return f"«{path}» non è una chiave dello spec (es. importi.manodopera, aggiudicazione.importo_fisso)"


@dataclass(frozen=True)
class SpecFacts:
    """The spec's values by dotted Italian path.

    Built from a validated Spec (model defaults included), or from the raw YAML data of a spec that did not
    validate, so clause values are still checked in the same run; then an absent value is unknown, not missing.
    """

    data: Any
    derived: dict[str, Any] | None
    document: YamlDocument | None
    complete: bool

    @classmethod
    def of(cls, spec: Spec) -> SpecFacts:
        return cls(spec.model_dump(by_alias=True, mode="python"), derive(spec).as_template_context(), spec.source,
                   True)

    @classmethod
    def raw(cls, document: YamlDocument) -> SpecFacts:
        return cls(document.data, None, document, False)

    def get(self, path: str) -> Any:
        """The value at `path`: None when the spec does not state it, UNKNOWN when it cannot be told."""
        parts = path.split(".")
        if parts[0] == DERIVED:
            return UNKNOWN if self.derived is None else self.derived.get(parts[1])
        node = self.data
        for part in parts:
            node = node.get(part) if isinstance(node, dict) else None
        if node is None and not self.complete:
            return UNKNOWN
        return node.value if isinstance(node, Enum) else node

    def locate(self, path: str) -> Location:
        """Where the fact is written (its closest existing section when it is not)."""
        parts = tuple(path.split("."))
        if self.document is None:
            return Location("<spec>")
        if parts[0] == DERIVED:
            return self.document.locate(())
        return self.document.locate(parts, key=self.get(path) is None)
