"""Property tests: for generated specs, valid or damaged, every entry point returns a result or a located error.

"Located" means every problem names a file (the spec, a clause, a template or an output); any other exception
is a bug. Examples are bounded by the `ci` profile; `--hypothesis-profile=lungo` fuzzes for longer.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from capitolato.document.assemble import assemble
from capitolato.document.build import build
from capitolato.errors import CapitolatoError
from capitolato.export import eforms, ocds, tender_json
from capitolato.library.lint import lint_folder
from capitolato.library.load import load_library, shipped_folder
from capitolato.model.tender import Spec
from capitolato.rules import check
from capitolato.spec.load import load_spec
from tests.hardening.helpers import assert_located
from tests.hardening.specgen import (YAML_VALUES, damaged_text, deleted, dump, mutated_data, node_paths, replaced,
                                     varied_data)

SHIPPED_CLAUSES = tuple(sorted(shipped_folder().glob("*.yaml")))


@contextmanager
def spec_file(content: str | bytes) -> Iterator[Path]:
    """The content as capitolato.yaml in a fresh folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="capitolato-prop-") as folder:
        path = Path(folder) / "capitolato.yaml"
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        yield path


def result_or_located(call: Callable[[], Any]) -> Any:
    """The call's result, or None after asserting its CapitolatoError is located; anything else propagates."""
    try:
        return call()
    except CapitolatoError as error:
        assert_located(error)
        return None


def every_entry_point(path: Path) -> None:
    """load, check, assemble, export and build (markdown) the spec at `path`."""
    spec = result_or_located(lambda: load_spec(path))
    if spec is None:
        return
    library = load_library()
    findings = result_or_located(lambda: check(spec, library))
    assert findings is None or all(f.location.file for f in findings)
    documents = result_or_located(lambda: assemble(spec, library))
    assert documents is None or all(d.articles for d in documents)
    for export in (tender_json, lambda s: ocds(s, library=library), lambda s: eforms(s, library=library)):
        data = result_or_located(lambda: export(spec))
        assert data is None or json.loads(json.dumps(data, ensure_ascii=False)) == data
    out_dir = path.parent / "uscita"
    written = result_or_located(lambda: build(spec, out_dir, ["md"], library=library))
    assert written is None or all(p.parent == out_dir and p.is_file() for p in written)
    assert not [p for p in path.parent.rglob("*") if p.name.endswith(".tmp")]


@given(varied_data().map(dump))
def test_valid_variations_pass_every_entry_point(text: str) -> None:
    with spec_file(text) as path:
        assert isinstance(load_spec(path), Spec)
        every_entry_point(path)


@given(mutated_data().map(dump))
def test_mutated_specs_give_a_result_or_a_located_error(text: str) -> None:
    with spec_file(text) as path:
        every_entry_point(path)


@given(damaged_text())
def test_damaged_bytes_give_a_result_or_a_located_error(content: bytes) -> None:
    with spec_file(content) as path:
        every_entry_point(path)


@st.composite
def mutated_clause_file(draw: st.DrawFn) -> tuple[str, str]:
    """A shipped clause file (name and text) with a node replaced or deleted, or its text cut short."""
    from ruamel.yaml import YAML

    source = draw(st.sampled_from(SHIPPED_CLAUSES))
    text = source.read_text(encoding="utf-8")
    action = draw(st.sampled_from(["replace", "delete", "truncate"]))
    if action == "truncate":
        return source.name, text[:draw(st.integers(min_value=0, max_value=len(text)))]
    data = YAML(typ="safe").load(text)
    path = draw(st.sampled_from(node_paths(data)))
    changed = replaced(data, path, draw(YAML_VALUES)) if action == "replace" else deleted(data, path)
    return source.name, dump(changed)


@given(st.lists(mutated_clause_file(), min_size=1, max_size=3, unique_by=lambda item: item[0]))
def test_lint_of_a_damaged_library_reports_located_problems(files: list[tuple[str, str]]) -> None:
    with tempfile.TemporaryDirectory(prefix="capitolato-lib-") as folder:
        for name, text in files:
            (Path(folder) / name).write_text(text, encoding="utf-8")
        problems = result_or_located(lambda: lint_folder(Path(folder)))
        for problem in problems or []:
            assert problem.location.file.startswith(folder), problem
