"""A clean check never reads the spec's positions: they are parsed (the slow round-trip YAML reader) only to
locate a finding (issue 21: an eager `ctx.at` in one rule doubled the time of `check` on Melzo)."""

from __future__ import annotations

import pytest

from capitolato import load_library, load_spec
from capitolato.rules import check
from capitolato.spec import yamlsource
from tests.conftest import MELZO


def test_the_clean_melzo_check_needs_no_position(monkeypatch) -> None:
    spec = load_spec(MELZO)
    library = load_library()
    monkeypatch.setattr(yamlsource, "parse_round_trip", lambda *_: pytest.fail("positions read without a finding"))
    assert [f for f in check(spec, library) if not f.derogated] == []


def test_a_finding_still_gets_its_line(tmp_path) -> None:
    text = MELZO.read_text(encoding="utf-8")
    first = text.index("profilo: OE")
    broken = text[:first] + "profilo: XX" + text[first + len("profilo: OE"):]
    path = tmp_path / "capitolato.yaml"
    path.write_text(broken, encoding="utf-8")
    findings = [f for f in check(load_spec(path)) if f.code == "ESE006"]
    assert findings and findings[0].location.line == broken[:first].count("\n") + 1
