"""Running rule cases and spec texts through `check` for the rule tests."""

from __future__ import annotations

from pathlib import Path

from capitolato.rules import check
from capitolato.rules.examples import Case, write_case
from capitolato.rules.finding import Finding
from capitolato.library.load import load_library
from capitolato.spec.load import load_spec, spec_libraries


def run_case(case: Case, folder: Path) -> tuple[list[Finding], object]:
    spec_path, libraries = write_case(case, folder)
    spec = load_spec(spec_path, libraries=libraries)
    return check(spec, load_library(spec_libraries(spec, libraries))), spec


def check_text(text: str, folder: Path, **options) -> list[Finding]:
    path = folder / "capitolato.yaml"
    path.write_text(text, encoding="utf-8")
    return check(load_spec(path), **options)


def active(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if not f.derogated]
