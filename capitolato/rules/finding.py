"""A finding: one rule's verdict on one place of a spec, with the law and the fix."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from capitolato.errors import Location


class Severity(StrEnum):
    """Ordered from the most to the least serious; values are the `--fail-on` names."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]

    @property
    def label(self) -> str:
        """The Italian word shown to the officer."""
        return {"error": "errore", "warning": "avviso", "info": "informazione"}[self.value]


@dataclass(frozen=True)
class Finding:
    """What a rule found: `derogated_reason` is set when a derogation silences it."""

    code: str
    name: str
    severity: Severity
    message: str
    location: Location
    legal_reference: str
    fix: str | None = None
    url: str | None = None
    derogated_reason: str | None = None

    @property
    def derogated(self) -> bool:
        return self.derogated_reason is not None

    def derogate(self, reason: str) -> Finding:
        return replace(self, derogated_reason=reason)

    def sort_key(self) -> tuple:
        return (self.location.file, self.location.line, self.location.column, self.code)
