"""What a document rule (family TXT) sees: the audit's text units and facts, and how to place a finding."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from capitolato.audit.units import SENTENCE_BREAK, Unit
from capitolato.document.model import Position
from capitolato.rules.finding import Finding, Severity
from capitolato.rules.registry import Rule

if TYPE_CHECKING:
    from capitolato.audit import Audit
    from capitolato.audit.facts import Fact


@dataclass
class DocumentContext:
    audit: Audit
    rule: Rule | None = None

    def fact(self, key: str) -> Fact:
        return self.audit.facts[key]

    def value(self, key: str):
        fact = self.audit.facts[key]
        return fact.value if fact.found else None

    def sentences(self) -> Iterator[tuple[Unit, str]]:
        """Every sentence of every text unit (a table row is one sentence)."""
        for unit in self.audit.units:
            start = 0
            for match in SENTENCE_BREAK.finditer(unit.text):
                yield unit, unit.text[start:match.start()]
                start = match.end()
            yield unit, unit.text[start:]

    def start(self) -> Position | None:
        """Where a finding about the whole document points: its first block."""
        return next((b.position for b in self.audit.document.blocks if getattr(b, "position", None)), None)

    def finding(self, position: Position | None, detail: str | None = None, *, severity: Severity | None = None,
                fix: str | None = None) -> Finding:
        from capitolato.audit import locate

        rule = self.rule
        assert rule is not None, "finding() outside a running rule"
        message = f"{rule.message}: {detail}" if detail else rule.message
        return Finding(rule.code, rule.name, severity or rule.severity, message, locate(self.audit.path, position),
                       rule.legal_reference, fix or rule.fix, rule.url)
