"""The CI templates and pre-commit hooks run for real: every `capitolato …` line they contain is executed against a
copy of examples/, with the venv's `capitolato`, and the reports and drafts they promise must appear."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest
from ruamel.yaml import YAML

from tests.conftest import EXAMPLES, REPO, copy_example

CAPITOLATO = Path(sys.executable).with_name("capitolato")
TEMPLATES = {"github": REPO / "ci-templates" / "github-actions.yml", "gitlab": REPO / "ci-templates" / "gitlab-ci.yml"}
HOOKS = REPO / ".pre-commit-hooks.yaml"
SARIF_SCHEMA = REPO / "tests" / "data" / "sarif-schema-2.1.0.json"
TIMEOUT = 600


def _yaml(path: Path):
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def _scripts(path: Path) -> list[str]:
    """Shell lines of a template: GitHub `steps[].run`, GitLab `before_script`/`script` of every job."""
    data = _yaml(path)
    if "jobs" in data:
        blocks = [step.get("run", "") for job in data["jobs"].values() for step in job["steps"]]
    else:
        blocks = [line for job in data.values() if isinstance(job, dict)
                  for key in ("before_script", "script", "after_script") for line in job.get(key, [])]
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def capitolato_commands(path: Path) -> list[str]:
    return [line for line in _scripts(path) if line.startswith("capitolato ")]


def _run(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CI": "true", "NO_COLOR": "1"}
    return subprocess.run([str(CAPITOLATO), *argv], cwd=cwd, capture_output=True, text=True, env=env,
                          timeout=TIMEOUT)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A repository-like folder holding a copy of examples/."""
    copy_example(EXAMPLES, tmp_path / "examples")
    return tmp_path


def _template_cases() -> list[tuple[str, str]]:
    return [(name, line) for name, path in TEMPLATES.items() for line in capitolato_commands(path)]


def test_templates_hold_the_expected_commands():
    github, gitlab = (capitolato_commands(path) for path in TEMPLATES.values())
    assert any("check" in c and "--format sarif" in c for c in github)
    assert any("check" in c and "--format junit" in c for c in gitlab)
    for commands in (github, gitlab):
        assert any(c.startswith("capitolato build") and "--force" in c and "-o build/" in c for c in commands)


def test_github_uploads_sarif_and_drafts():
    steps = _yaml(TEMPLATES["github"])["jobs"]["controllo"]["steps"]
    uses = {step.get("uses", "").split("@")[0]: step for step in steps}
    assert uses["github/codeql-action/upload-sarif"]["with"]["sarif_file"] == "capitolato.sarif"
    assert uses["github/codeql-action/upload-sarif"]["if"] == "always()"
    assert uses["actions/upload-artifact"]["with"]["path"] == "build/"


def test_gitlab_publishes_junit_and_drafts():
    data = _yaml(TEMPLATES["gitlab"])
    assert data["controllo"]["artifacts"]["reports"]["junit"] == "capitolato-junit.xml"
    assert data["controllo"]["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert data["controllo"]["artifacts"]["when"] == "always"
    assert data["bozze"]["artifacts"]["paths"] == ["build/"]


@pytest.mark.parametrize(("template", "line"), _template_cases(), ids=[f"{t}: {l}" for t, l in _template_cases()])
def test_template_command_runs_on_the_examples(template: str, line: str, workspace: Path):
    argv = shlex.split(line)[1:]
    result = _run(argv, workspace)
    assert result.returncode == 0, f"{line}\n{result.stdout}\n{result.stderr}"
    _assert_outputs(argv, workspace)


def _assert_outputs(argv: list[str], workspace: Path) -> None:
    if argv[0] == "check":
        report = workspace / argv[argv.index("--output") + 1]
        if "sarif" in argv:
            log = json.loads(report.read_text(encoding="utf-8"))
            jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
            assert log["runs"][0]["tool"]["driver"]["name"] == "capitolato"
        elif "codequality" in argv:
            assert json.loads(report.read_text(encoding="utf-8")) == []
        else:
            assert ElementTree.parse(report).getroot().tag == "testsuites"
    if argv[0] == "build":
        out_dir = workspace / argv[argv.index("-o") + 1]
        drafts = list(out_dir.rglob("*.docx"))
        assert len(drafts) >= len(list((workspace / "examples").glob("*/capitolato.yaml"))), drafts


def _hooks() -> dict[str, dict]:
    return {hook["id"]: hook for hook in _yaml(HOOKS)}


def _spec_files(workspace: Path) -> list[str]:
    return sorted(str(p.relative_to(workspace)) for p in (workspace / "examples").glob("*/capitolato.yaml"))


def test_hooks_are_declared():
    hooks = _hooks()
    assert set(hooks) == {"capitolato-check", "capitolato-validate"}
    for hook in hooks.values():
        assert hook["language"] == "python"
        pattern = re.compile(hook["files"])
        assert pattern.search("examples/melzo-servizi-persona/capitolato.yaml")
        assert pattern.search("gare/sad/capitolato.yml")
        assert not pattern.search("clauses/penali.yaml")


@pytest.mark.parametrize("hook_id", ["capitolato-check", "capitolato-validate"])
def test_hook_entry_runs_on_each_example(hook_id: str, workspace: Path):
    """pre-commit runs `entry <changed files>`: here one changed spec at a time."""
    entry = shlex.split(_hooks()[hook_id]["entry"])
    for spec_file in _spec_files(workspace):
        result = _run([*entry[1:], spec_file], workspace)
        assert result.returncode == 0, f"{hook_id} {spec_file}\n{result.stdout}\n{result.stderr}"


def test_check_hook_runs_on_all_examples_at_once(workspace: Path):
    entry = shlex.split(_hooks()["capitolato-check"]["entry"])
    result = _run([*entry[1:], *_spec_files(workspace)], workspace)
    assert result.returncode == 0, result.stderr


def test_validate_hook_runs_on_all_examples_at_once(workspace: Path):
    entry = shlex.split(_hooks()["capitolato-validate"]["entry"])
    result = _run([*entry[1:], *_spec_files(workspace)], workspace)
    assert result.returncode == 0, result.stderr


def test_hook_fails_on_a_broken_spec(workspace: Path):
    broken = workspace / "examples" / "appalto-riservato-art61" / "capitolato.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("  punti_economici: 20", "  punti_economici: 40"),
                      encoding="utf-8")
    entry = shlex.split(_hooks()["capitolato-check"]["entry"])
    result = _run([*entry[1:], str(broken.relative_to(workspace))], workspace)
    assert result.returncode == 1
