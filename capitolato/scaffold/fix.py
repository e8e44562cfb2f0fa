"""`check --fix`: the safe fixes only — adding a missing clause whose values are defaults or copies of the spec.

A fix is kept only if, on a trial copy of the spec, it validates, removes at least one finding of the rule that
asked for it and adds no new error. Points, amounts and motivazioni are never written: a clause that needs one of
them is left to the officer, with the command to add it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from capitolato.errors import CapitolatoError
from capitolato.library.load import Library
from capitolato.model.tender import Spec
from capitolato.rules import Finding, Severity, check
from capitolato.scaffold.apply import Edit, edit_with, load_for_edit
from capitolato.scaffold.clauses import missing_requirements, plan_entry
from capitolato.scaffold.editor import ClauseEntry
from capitolato.scaffold.specdoc import validate_text

ORIGIN = "capitolato check --fix"
CLAUSE_ID = re.compile(r"(?<![a-z0-9-])[a-z0-9]+(?:-[a-z0-9]+)+(?![a-z0-9-])")


@dataclass(frozen=True)
class Applied:
    code: str
    clause_id: str


@dataclass(frozen=True)
class Manual:
    """A clause that would fix a finding but needs values only the officer can give (`needs`: --set options)."""

    code: str
    clause_id: str
    needs: tuple[str, ...]


@dataclass
class FixPlan:
    path: Path
    edit: Edit | None = None
    applied: list[Applied] = field(default_factory=list)
    manual: list[Manual] = field(default_factory=list)


@dataclass
class _Run:
    """State of one spec's fixing: what is planned so far and the findings it leaves."""

    spec_path: Path
    spec: Spec
    library: Library
    select: Sequence[str]
    ignore: Sequence[str]
    libraries: Sequence[Path | str]
    entries: list[ClauseEntry] = field(default_factory=list)

    def findings(self, spec: Spec) -> list[Finding]:
        return [f for f in check(spec, self.library, select=self.select, ignore=self.ignore) if not f.derogated]

    def trial(self, entries: list[ClauseEntry]) -> list[Finding] | None:
        """The findings of the spec with `entries` added, or None if that spec would not validate."""
        try:
            edit = edit_with(self.spec_path, entries, self.libraries)
            return self.findings(validate_text(edit.after.removeprefix("\ufeff"), self.spec_path, self.libraries))
        except CapitolatoError:
            return None


def plan_fixes(path: Path | str, *, select: Sequence[str] = (), ignore: Sequence[str] = (),
               libraries: Sequence[Path | str] = ()) -> FixPlan:
    """The safe fixes for one spec, tried one by one; nothing is written."""
    spec_path, spec, library = load_for_edit(path, libraries)
    run = _Run(spec_path, spec, library, select, ignore, libraries)
    plan = FixPlan(spec_path)
    current = run.findings(spec)
    for finding in list(current):
        for clause_id in candidates(finding, library, spec, run.entries):
            current = _try(run, plan, finding, clause_id, current)
    fixed = {item.code for item in plan.applied}
    plan.manual = [item for item in plan.manual if item.code not in fixed]
    if run.entries:
        plan.edit = edit_with(spec_path, run.entries, libraries)
    return plan


def candidates(finding: Finding, library: Library, spec: Spec, planned: list[ClauseEntry]) -> list[str]:
    """Clauses the finding's hint names that declare they satisfy its rule and are not in the spec yet."""
    present = {use.id for use in spec.clauses} | {entry.clause_id for entry in planned}
    named = dict.fromkeys(CLAUSE_ID.findall(f"{finding.fix or ''} {finding.message}"))
    return [clause_id for clause_id in named
            if (clause := library.get(clause_id)) is not None and finding.code in clause.satisfies
            and clause_id not in present]


def _try(run: _Run, plan: FixPlan, finding: Finding, clause_id: str, current: list[Finding]) -> list[Finding]:
    clause = run.library.get(clause_id)
    assert clause is not None
    planned = {entry.clause_id for entry in run.entries}
    if any(required not in planned for required in missing_requirements(run.spec, clause)):
        return current
    try:
        entry = plan_entry(run.spec, run.library, clause_id, {}, origin=ORIGIN, file=str(run.spec_path),
                           placeholders=False)
    except CapitolatoError as exc:
        plan.manual.append(Manual(finding.code, clause_id, tuple(p.hint or p.message for p in exc.problems)))
        return current
    after = run.trial([*run.entries, entry])
    if after is None or not _improves(current, after, finding.code):
        return current
    run.entries.append(entry)
    plan.applied.append(Applied(finding.code, clause_id))
    return after


def _improves(before: list[Finding], after: list[Finding], code: str) -> bool:
    """Fewer findings of `code` and no error that was not there before."""
    fewer = sum(f.code == code for f in after) < sum(f.code == code for f in before)
    errors_before = Counter(f.code for f in before if f.severity is Severity.ERROR)
    errors_after = Counter(f.code for f in after if f.severity is Severity.ERROR)
    return fewer and not (errors_after - errors_before)
