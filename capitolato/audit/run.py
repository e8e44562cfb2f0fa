"""Running the rule catalogue on a read document: the document rules (family TXT) on its text, and the spec rules
listed in data/regole-documento.yaml on the spec made from its facts (`audit.adapter`). A rule whose facts were not
found does not run and is reported as such, never as a pass."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from capitolato.resources import package_data
from capitolato.rules.finding import Finding

if TYPE_CHECKING:
    from capitolato.audit import Audit, NotRun
    from capitolato.rules.registry import Rule

CONTRACT_TITLE = re.compile(r"capitolato (?:speciale|tecnico|d[’']oneri|d[’']appalto|prestazionale)|schema di contratto"
                            r"|^contratto\b|condizioni (?:generali|particolari) (?:di|del) contratto", re.IGNORECASE)


def run_rules(result: Audit, *, select: Sequence[str] = (),
              ignore: Sequence[str] = ()) -> tuple[list[Finding], list[NotRun], list[str]]:
    """Findings, rules that lacked a fact, and spec rules that read what no text states (listed, never passed)."""
    from capitolato.audit import NotRun
    from capitolato.rules.registry import all_rules

    table = package_data("regole-documento.yaml")
    needs = {**table["spec"], **table["documento"]}
    available = _available(result)
    findings: list[Finding] = []
    not_run: list[NotRun] = []
    not_applicable: list[str] = []
    for code, rule in all_rules().items():
        if not _selected(code, select, ignore) or rule.check is None:
            continue
        alternatives = needs.get(code)
        if alternatives is None:
            not_applicable.append(code)
            continue
        if not any(set(option) <= available for option in alternatives):
            missing = min((tuple(k for k in option if k not in available) for option in alternatives), key=len)
            not_run.append(NotRun(code, rule.name, tuple(_label(result, key) for key in missing)))
            continue
        findings += _document_findings(result, rule) if code in table["documento"] else \
            _spec_findings(result, rule, alternatives)
    return sorted(findings, key=lambda f: (f.location.line, f.code)), not_run, not_applicable


def _available(result: Audit) -> set[str]:
    found = {key for key, fact in result.facts.items() if fact.found}
    if result.grid is not None:
        found.add("griglia")
    if is_contract(result):
        found.add("documento.capitolato")
    return found


def is_contract(result: Audit) -> bool:
    """A capitolato or a contract scheme (its title or one of its first headings says so), not a disciplinare."""
    from capitolato.document.model import Heading, plain_text

    titles = [result.document.title] + [plain_text(b.inlines) for b in result.document.blocks[:8]
                                        if isinstance(b, Heading)]
    return any(CONTRACT_TITLE.search(" ".join(text.split())) for text in titles if text)


def _label(result: Audit, key: str) -> str:
    labels = {"griglia": "griglia dei punteggi", "documento.capitolato": "capitolato o schema di contratto"}
    fact = result.facts.get(key)
    return fact.label if fact is not None else labels.get(key, key)


def _selected(code: str, select: Sequence[str], ignore: Sequence[str]) -> bool:
    def matches(items: Sequence[str]) -> bool:
        names = {part.strip().upper() for item in items for part in item.split(",") if part.strip()}
        return "ALL" in names or code in names or code[:3] in names

    return (not select or matches(select)) and not (ignore and matches(ignore))


def _document_findings(result: Audit, rule: Rule) -> list[Finding]:
    from capitolato.audit.context import DocumentContext

    return list(rule.check(DocumentContext(result, rule)))  # type: ignore[arg-type]


def _spec_findings(result: Audit, rule: Rule, alternatives: list[list[str]]) -> list[Finding]:
    from capitolato.audit import locate
    from capitolato.audit.adapter import spec_from_facts
    from capitolato.library.load import load_library
    from capitolato.model.facts import derive
    from capitolato.rules.context import Context

    spec = spec_from_facts(result)
    if spec is None:
        return []
    ctx = Context(spec, derive(spec), load_library())
    ctx.rule = rule
    first = next((k for option in alternatives for k in option if k in result.facts and result.facts[k].found), None)
    where = locate(result.path, result.facts[first].where if first else None)
    return [replace(finding, location=where) for finding in rule.check(ctx)]
