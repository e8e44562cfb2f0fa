"""publiccode.yml (the Italian public-software catalogue metadata) is valid against its published JSON schema."""

from __future__ import annotations

import json

import jsonschema
from ruamel.yaml import YAML

from capitolato import __version__
from tests.conftest import REPO

SCHEMA = REPO / "tests" / "data" / "publiccode-schema.json"


def _publiccode() -> dict:
    return YAML(typ="safe").load((REPO / "publiccode.yml").read_text(encoding="utf-8"))


def test_publiccode_is_valid_against_the_schema():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker()).validate(_publiccode())


def test_publiccode_describes_capitolato():
    data = _publiccode()
    assert data["publiccodeYmlVersion"] == "0.4"
    assert data["name"] == "capitolato"
    assert data["legal"]["license"] == "EUPL-1.2"
    assert data["localisation"]["availableLanguages"] == ["it"]
    assert "softwareVersion" not in data or data["softwareVersion"] == __version__
    description = data["description"]["it"]
    assert 150 <= len(description["longDescription"]) <= 10000
    assert description["features"]
