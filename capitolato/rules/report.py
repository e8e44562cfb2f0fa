"""Report formats of `capitolato check`: text (rich), json, SARIF 2.1.0, GitHub annotations, JUnit XML,
GitLab Code Quality.

Functions return strings (or print into a given rich console); only the CLI decides where they go.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

if TYPE_CHECKING:
    from xml.etree import ElementTree
from rich.markup import escape as _escape_markup

from capitolato import __version__
from capitolato.model.characters import neutralise, xml_safe
from capitolato.rules.finding import Finding, Severity
from capitolato.rules.registry import FAMILIES, Rule, all_rules

JSON_VERSION = 1
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
GITHUB_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
STYLE = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
GROUP_TITLE = {Severity.ERROR: "errori", Severity.WARNING: "avvisi", Severity.INFO: "informazioni"}


@dataclass(frozen=True)
class Outcome:
    """The findings of one tender spec."""

    path: Path
    findings: list[Finding]


@dataclass(frozen=True)
class Summary:
    errors: int
    warnings: int
    infos: int
    derogated: int

    def __str__(self) -> str:
        return (f"{self.errors} {'errore' if self.errors == 1 else 'errori'}, "
                f"{self.warnings} {'avviso' if self.warnings == 1 else 'avvisi'}, "
                f"{self.infos} {'informazione' if self.infos == 1 else 'informazioni'}, "
                f"{self.derogated} {'derogata' if self.derogated == 1 else 'derogate'}")


def escape(text: str) -> str:
    """Markup escaped and terminal controls made visible: messages quote users' values."""
    return _escape_markup(neutralise(text))


def all_findings(outcomes: Iterable[Outcome]) -> list[Finding]:
    return [finding for outcome in outcomes for finding in outcome.findings]


def summarise(findings: Iterable[Finding]) -> Summary:
    counts = Counter("derogated" if f.derogated else f.severity.value for f in findings)
    return Summary(counts["error"], counts["warning"], counts["info"], counts["derogated"])


def display_path(path: str | Path) -> str:
    """A path relative to the working folder when it lies below it, in POSIX form."""
    candidate = Path(path)
    try:
        return candidate.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return candidate.as_posix()


# text
def print_text(outcomes: Sequence[Outcome], console: Console) -> None:
    """Grouped by file, then by severity; derogated findings last, with their motivazione."""
    for outcome in outcomes:
        if not outcome.findings:
            continue
        console.print(f"[bold underline]{escape(display_path(outcome.path))}[/bold underline]")
        for severity in Severity:
            group = [f for f in outcome.findings if f.severity is severity and not f.derogated]
            _print_group(console, GROUP_TITLE[severity], STYLE[severity], group)
        _print_group(console, "derogate", "dim", [f for f in outcome.findings if f.derogated])
        console.print()


def _print_group(console: Console, title: str, style: str, findings: list[Finding]) -> None:
    if not findings:
        return
    console.print(f"  [{style}]{title} ({len(findings)})[/{style}]")
    for finding in findings:
        place = f"{finding.location.line}:{finding.location.column}" if finding.location.line else "-"
        console.print(f"    [bold]{place:>8}[/bold]  [{style}]{finding.code}[/{style}]  {escape(finding.message)}")
        if finding.derogated:
            console.print(f"              [dim]derogata: {escape(finding.derogated_reason or '')}[/dim]")
        console.print(f"              [dim]{escape(finding.legal_reference)}"
                      + (f" · correzione: {escape(finding.fix)}" if finding.fix and not finding.derogated else "")
                      + "[/dim]")


def statistics_rows(findings: Iterable[Finding]) -> list[tuple[int, str, str, Severity]]:
    """(count, code, name, severity) of the findings that are not derogated, most frequent first."""
    active = [f for f in findings if not f.derogated]
    counts = Counter(f.code for f in active)
    first = {f.code: f for f in active}
    return sorted(((n, code, first[code].name, first[code].severity) for code, n in counts.items()),
                  key=lambda row: (-row[0], row[1]))


def print_statistics(findings: Iterable[Finding], console: Console) -> None:
    from capitolato.rules.registry import italian_names

    names = italian_names()
    for count, code, name, severity in statistics_rows(findings):
        console.print(f"{count:>5}  [{STYLE[severity]}]{code}[/{STYLE[severity]}]  {escape(names.get(code, name))}  "
                      f"[dim]{severity.label}[/dim]")


# json
def finding_json(finding: Finding) -> dict:
    return {
        "codice": finding.code, "nome": finding.name, "gravita": finding.severity.value,
        "messaggio": finding.message, "file": display_path(finding.location.file),
        "riga": finding.location.line, "colonna": finding.location.column,
        "base_giuridica": finding.legal_reference, "url": finding.url, "correzione": finding.fix,
        "derogata": finding.derogated, "motivazione_deroga": finding.derogated_reason,
    }


def to_json(outcomes: Sequence[Outcome]) -> str:
    findings = all_findings(outcomes)
    summary = summarise(findings)
    document = {
        "versione": JSON_VERSION,
        "strumento": f"capitolato {__version__}",
        "capitolati": [display_path(o.path) for o in outcomes],
        "rilievi": [finding_json(f) for f in findings],
        "riepilogo": {"errori": summary.errors, "avvisi": summary.warnings, "informazioni": summary.infos,
                      "derogate": summary.derogated},
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def statistics_json(findings: Iterable[Finding]) -> str:
    rows = [{"codice": code, "nome": name, "gravita": severity.value, "conteggio": count}
            for count, code, name, severity in statistics_rows(findings)]
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


# SARIF
def to_sarif(outcomes: Sequence[Outcome]) -> str:
    rules = list(all_rules().values())
    index = {rule.code: i for i, rule in enumerate(rules)}
    results = [_sarif_result(f, index) for f in all_findings(outcomes)]
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "capitolato", "version": __version__, "semanticVersion": __version__,
                                "language": "it", "rules": [_sarif_rule(rule) for rule in rules]}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def _sarif_rule(rule: Rule) -> dict:
    descriptor = {
        "id": rule.code, "name": rule.name,
        "shortDescription": {"text": rule.message},
        "fullDescription": {"text": rule.rationale},
        "help": {"text": f"{rule.legal_reference}. Correzione: {rule.fix}"},
        "defaultConfiguration": {"level": SARIF_LEVEL[rule.severity], "enabled": rule.runs},
        "properties": {"family": FAMILIES[rule.family], "legalBasis": rule.legal_reference,
                       "status": rule.status.value, "needsDocumentAudit": rule.needs_document_audit,
                       "tags": [rule.family]},
    }
    if rule.url:
        descriptor["helpUri"] = rule.url
    return descriptor


def _sarif_result(finding: Finding, index: dict[str, int]) -> dict:
    location: dict = {"physicalLocation": {"artifactLocation": {"uri": display_path(finding.location.file)}}}
    if finding.location.line > 0:
        location["physicalLocation"]["region"] = {"startLine": finding.location.line,
                                                  "startColumn": max(finding.location.column, 1)}
    result = {"ruleId": finding.code, "ruleIndex": index[finding.code], "level": SARIF_LEVEL[finding.severity],
              "message": {"text": finding.message}, "locations": [location]}
    if finding.derogated:
        result["suppressions"] = [{"kind": "inSource", "justification": finding.derogated_reason or ""}]
    return result


# GitHub workflow annotations
def to_github(outcomes: Sequence[Outcome]) -> str:
    lines = []
    for finding in all_findings(outcomes):
        if finding.derogated:
            continue
        where = f"file={_property(display_path(finding.location.file))}"
        if finding.location.line > 0:
            where += f",line={finding.location.line},col={max(finding.location.column, 1)}"
        title = _property(f"{finding.code} {finding.name}")
        lines.append(f"::{GITHUB_COMMAND[finding.severity]} {where},title={title}::{_data(finding.message)}")
    return "".join(line + "\n" for line in lines)


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


# JUnit XML
def to_junit(outcomes: Sequence[Outcome]) -> str:
    from xml.etree import ElementTree

    findings = all_findings(outcomes)
    root = ElementTree.Element("testsuites", name="capitolato check", tests=str(max(len(findings), 1)),
                               failures=str(sum(1 for f in findings if not f.derogated)))
    for outcome in outcomes:
        _junit_suite(root, outcome)
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + xml_safe(ElementTree.tostring(root, encoding="unicode")) + "\n"


def _junit_suite(root: ElementTree.Element, outcome: Outcome) -> None:
    from xml.etree import ElementTree

    name = display_path(outcome.path)
    failures = [f for f in outcome.findings if not f.derogated]
    suite = ElementTree.SubElement(root, "testsuite", name=name, tests=str(max(len(outcome.findings), 1)),
                                   failures=str(len(failures)), skipped=str(len(outcome.findings) - len(failures)))
    if not outcome.findings:
        ElementTree.SubElement(suite, "testcase", name="capitolato check", classname=name)
    for finding in outcome.findings:
        case = ElementTree.SubElement(suite, "testcase", classname=name,
                                      name=f"{finding.code} {finding.name} ({finding.location.line}:{finding.location.column})",
                                      file=name, line=str(finding.location.line))
        if finding.derogated:
            ElementTree.SubElement(case, "skipped", message=f"derogata: {finding.derogated_reason}")
            continue
        failure = ElementTree.SubElement(case, "failure", message=finding.message, type=finding.severity.value)
        failure.text = (f"{finding.location}: {finding.code} {finding.message}\n"
                        f"{finding.legal_reference}; correzione: {finding.fix or '-'}")


# GitLab Code Quality (the Code Climate subset GitLab reads)
CODEQUALITY_SEVERITY = {Severity.ERROR: "critical", Severity.WARNING: "major", Severity.INFO: "info"}


def to_codequality(outcomes: Sequence[Outcome]) -> str:
    """A JSON array GitLab shows in the merge request widget; derogated findings are left out."""
    issues = [_codequality_issue(f) for f in all_findings(outcomes) if not f.derogated]
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"


def _codequality_issue(finding: Finding) -> dict:
    path = display_path(finding.location.file)
    line = max(finding.location.line, 1)
    fingerprint = hashlib.sha256(f"{finding.code}|{path}|{line}|{finding.message}".encode()).hexdigest()
    return {
        "type": "issue",
        "check_name": finding.code,
        "description": f"{finding.code} {finding.message}",
        "severity": CODEQUALITY_SEVERITY[finding.severity],
        "fingerprint": fingerprint,
        "location": {"path": path, "lines": {"begin": line}},
    }
