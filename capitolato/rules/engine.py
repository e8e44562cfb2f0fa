"""Runs the selected rules on one spec and applies its derogations."""

from __future__ import annotations

from capitolato.library.load import Library
from capitolato.model.facts import derive
from capitolato.model.tender import Spec
from capitolato.rules import derogations
from capitolato.rules.config import Selection
from capitolato.rules.context import Context
from capitolato.rules.finding import Finding
from capitolato.rules.registry import all_rules


def run(spec: Spec, library: Library, selection: Selection) -> list[Finding]:
    return run_in(Context(spec, derive(spec), library), selection)


def run_in(ctx: Context, selection: Selection) -> list[Finding]:
    """The rules on the context's spec; what they computed on the way (the assembled documents) stays in `ctx`."""
    spec = ctx.spec
    findings: list[Finding] = []
    for rule in all_rules().values():
        if rule.check is None or rule.needs_document_audit or not selection.allows(rule.code):
            continue
        ctx.rule = rule
        findings.extend(rule.check(ctx))
    return sorted(derogations.apply(spec, findings, selection.allows), key=Finding.sort_key)
