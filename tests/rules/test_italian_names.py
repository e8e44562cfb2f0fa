"""Every rule has an Italian name for the officer; the kebab-case name stays the stable id."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from capitolato.cli.app import app
from capitolato.rules.registry import Status, all_rules, italian_names

runner = CliRunner()


def test_every_registered_rule_has_an_italian_name() -> None:
    names = italian_names()
    missing = sorted(set(all_rules()) - set(names))
    assert missing == [], f"aggiungere il nome italiano in capitolato/data/nomi-regole.yaml: {missing}"
    assert sorted(set(names) - set(all_rules())) == [], "nomi per regole che non esistono"


def test_italian_names_are_unique_and_not_ids() -> None:
    titles = [rule.title for rule in all_rules().values()]
    assert len(set(titles)) == len(titles)
    for rule in all_rules().values():
        assert rule.title != rule.name and not re.fullmatch(r"[a-z0-9-]+", rule.title), rule.code


def test_rules_list_shows_italian_names_and_explains_the_status_column() -> None:
    result = runner.invoke(app, ["rules", "list", "--famiglia", "AWD"], terminal_width=200)
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.replace("│", " ").split())
    assert "OEPV" in flat and "obbligatoria" in flat and "oepv-required" in flat
    for status in Status:
        assert status.explanation in flat
    assert "verifica documentale" in flat


def test_rules_show_and_statistics_use_the_italian_name() -> None:
    shown = runner.invoke(app, ["rules", "show", "AWD002"], terminal_width=200)
    assert all_rules()["AWD002"].title in shown.output and "economic-cap-30" in shown.output
