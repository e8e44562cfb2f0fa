"""The catalogue itself: every rule documented, with a legal basis and cases; docs/rules.md up to date."""

from __future__ import annotations

import re

import pytest

from capitolato.rules.docs import DOCS_FILE, render
from capitolato.rules.examples import cases_for
from capitolato.rules.registry import FAMILIES, all_rules

RULES = all_rules()


def test_at_least_40_rules_run() -> None:
    assert len([r for r in RULES.values() if r.runs]) >= 40


@pytest.mark.parametrize("code", RULES)
def test_rule_is_documented(code: str) -> None:
    rule = RULES[code]
    assert re.fullmatch(r"[A-Z]{3}\d{3}", code) and rule.family in FAMILIES
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name)
    assert rule.message and rule.rationale and rule.fix
    assert rule.basis and all(b.citation for b in rule.basis)
    assert all(b.url is None or b.url.startswith("https://") for b in rule.basis)


@pytest.mark.parametrize("code", [c for c, r in RULES.items() if not r.needs_document_audit])
def test_rule_has_failing_and_passing_case(code: str) -> None:
    cases = cases_for(code)
    assert any(c.fires for c in cases), f"{code}: manca un caso che rileva"
    assert any(not c.fires for c in cases), f"{code}: manca un caso che non rileva"


def test_audit_rules_never_run_on_a_spec() -> None:
    """Documented-only rules have no check; the document rules (TXT) run only on read documents."""
    audit = [r for r in RULES.values() if r.needs_document_audit]
    assert audit and all(r.check is None or r.family == "TXT" for r in audit)
    from capitolato.rules import check
    from capitolato.spec.load import load_spec
    from tests.conftest import MELZO

    assert not [f for f in check(load_spec(MELZO)) if RULES[f.code].needs_document_audit]


def test_cases_name_registered_rules() -> None:
    from capitolato.rules.examples import load_cases

    assert {case.code for case in load_cases()} <= set(RULES)


def test_unsettled_rules_are_warnings_with_note() -> None:
    for rule in RULES.values():
        if rule.unsettled:
            assert rule.severity.value == "warning", rule.code


def test_rule_names_are_unique() -> None:
    names = [r.name for r in RULES.values()]
    assert len(names) == len(set(names))


def test_docs_are_up_to_date() -> None:
    assert DOCS_FILE.read_text(encoding="utf-8") == render(), \
        "docs/rules.md non aggiornato: python -m capitolato.rules.docs"


def test_clause_lint_flags_unknown_rule(tmp_path) -> None:
    from capitolato.library.lint import lint_folder
    from capitolato.library.load import shipped_folder

    text = (shipped_folder() / "penali.yaml").read_text(encoding="utf-8").replace("soddisfa: [DOC002, DOC003, ESE008]",
                                                                                "soddisfa: [DOC002, DOC099, ESE008]")
    (tmp_path / "penali.yaml").write_text(text, encoding="utf-8")
    problems = lint_folder(tmp_path)
    assert [p.message for p in problems if "DOC099" in p.message]
