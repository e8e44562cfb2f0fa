"""Derogations: a written motivazione silences a finding, which the report still lists as "derogata".

Spec-level `deroghe` silence every finding of their rule; an inline `# capitolato: deroga CODE — motivazione`
silences the findings of CODE on its line (or, for a comment alone on its line, on the next line with content).
An error is derogable only where the law foresees it (PNR001, art. 47 c. 7 d.l. 77/2021): other errors are still
marked derogated, so the officer's decision stands, but DRG003 keeps the risk visible as a warning.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from capitolato.errors import Location
from capitolato.model.tender import Spec
from capitolato.model.placeholders import is_placeholder
from capitolato.rules.finding import Finding, Severity
from capitolato.rules.registry import DL77, Basis, Rule, Status, all_rules, engine_rule
from capitolato.spec.yamlsource import YamlDocument, inline_derogations

DEROGABLE_ERRORS = frozenset({"PNR001"})
DESIGN = Basis("Scelta di progetto: deroghe motivate (domain.md § 5.1); art. 3 L. 241/1990 (motivazione)",
               "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:legge:1990-08-07;241~art3")

WITHOUT_REASON = engine_rule(
    "DRG001", "derogation-without-reason", Severity.ERROR, "Deroga senza motivazione",
    rationale="Una deroga vale solo se motivata per iscritto: senza motivazione non silenzia nulla e l'atto "
              "resterebbe privo delle ragioni della scelta.",
    basis=[DESIGN], status=Status.DESIGN, fix="scrivere la motivazione della deroga o toglierla")
UNUSED = engine_rule(
    "DRG002", "derogation-unused", Severity.WARNING, "Deroga per una regola che non ha rilevato nulla",
    rationale="Una deroga che non copre alcun rilievo è superflua o punta al codice sbagliato: va tolta o corretta "
              "perché non nasconda in futuro un problema diverso.",
    basis=[DESIGN], status=Status.DESIGN, fix="togliere la deroga o correggere il codice della regola")
NOT_FORESEEN = engine_rule(
    "DRG003", "error-derogation-not-foreseen", Severity.WARNING, "Deroga a un errore non prevista dalla legge",
    rationale="Solo la quota di assunzioni (PNR001) è derogabile per legge, con motivazione (art. 47 c. 7 d.l. "
              "77/2021). Gli altri errori restano a rischio di illegittimità anche se derogati: il rilievo resta "
              "visibile come avviso.",
    basis=[DESIGN, Basis("art. 47 c. 7 d.l. 77/2021", DL77)], status=Status.DESIGN,
    fix="rivedere la scelta con l'ufficio legale; correggere lo spec invece di derogare")


@dataclass(frozen=True)
class Derogation:
    """A derogation as written: `line` is the spec line it covers, or None for the whole spec."""

    code: str
    reason: str
    location: Location
    line: int | None = None

    def covers(self, finding: Finding) -> bool:
        return finding.code == self.code and (self.line is None or finding.location.line == self.line)


def collect(spec: Spec) -> list[Derogation]:
    """The spec's `deroghe` and its inline comments."""
    document = spec.source
    found = [Derogation(d.rule, d.reason.strip(), _locate(document, ("deroghe", i, "regola")))
             for i, d in enumerate(spec.derogations)]
    if document is not None:
        found += [Derogation(code, reason, where, _covered_line(document, where.line))
                  for code, reason, where in inline_derogations(document)]
    return found


def _locate(document: YamlDocument | None, path: tuple) -> Location:
    return document.locate(path) if document is not None else Location("<spec>")


def _covered_line(document: YamlDocument, line: int) -> int:
    """A trailing comment covers its own line; a comment alone on a line covers the next line with content."""
    lines = document.text.splitlines()
    if lines[line - 1].split("#", 1)[0].strip():
        return line
    for number in range(line + 1, len(lines) + 1):
        content = lines[number - 1].strip()
        if content and not content.startswith("#"):
            return number
    return line


def apply(spec: Spec, findings: Iterable[Finding], allows: Callable[[str], bool]) -> list[Finding]:
    """Mark derogated findings and add the DRG findings about the derogations themselves."""
    derogations = collect(spec)
    valid = [d for d in derogations if not is_placeholder(d.reason)]
    result, used = [], set()
    for finding in findings:
        match = next((d for d in valid if d.covers(finding)), None)
        if match is None:
            result.append(finding)
            continue
        used.add(match)
        result.append(finding.derogate(match.reason))
        if finding.severity is Severity.ERROR and finding.code not in DEROGABLE_ERRORS:
            result.append(_finding(NOT_FORESEEN, match.location, f"{finding.code} ({finding.name})"))
    result += [f for f in _about_derogations(derogations, used, allows) if allows(f.code)]
    return _unique(result)


def _about_derogations(derogations: list[Derogation], used: set[Derogation],
                       allows: Callable[[str], bool]) -> Iterable[Finding]:
    rules = all_rules()
    for derogation in derogations:
        if is_placeholder(derogation.reason):
            yield _finding(WITHOUT_REASON, derogation.location, derogation.code)
        elif derogation not in used:
            yield from _unused(derogation, rules.get(derogation.code), allows)


def _unused(derogation: Derogation, rule: Rule | None, allows: Callable[[str], bool]) -> Iterable[Finding]:
    if rule is None:
        yield _finding(UNUSED, derogation.location, f"la regola {derogation.code} non esiste")
    elif rule.runs and allows(rule.code):
        yield _finding(UNUSED, derogation.location, f"{derogation.code} ({rule.name})")


def _finding(rule: Rule, location: Location, detail: str) -> Finding:
    return Finding(rule.code, rule.name, rule.severity, f"{rule.message}: {detail}", location, rule.legal_reference,
                   rule.fix, rule.url)


def _unique(findings: list[Finding]) -> list[Finding]:
    """One DRG003 per derogation even when it silences several findings."""
    seen, result = set(), []
    for finding in findings:
        key = (finding.code, finding.location, finding.message, finding.derogated_reason)
        if key not in seen:
            seen.add(key)
            result.append(finding)
    return result
