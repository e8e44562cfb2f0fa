"""The JSON Schema comes from the model, validates the example and rejects a broken copy."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import jsonschema
from ruamel.yaml import YAML
from typer.testing import CliRunner

from capitolato.cli.app import app
from capitolato.spec.schema import spec_schema
from tests.conftest import MELZO, REPO


def as_json_data(value: Any) -> Any:
    """What an editor's YAML language server sees: dates are strings."""
    if isinstance(value, dict):
        return {k: as_json_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json_data(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def example_data() -> dict[str, Any]:
    return as_json_data(YAML(typ="safe").load(MELZO.read_text(encoding="utf-8")))


def test_schema_is_2020_12_and_validates_example() -> None:
    schema = spec_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(example_data())


def test_schema_rejects_broken_copy() -> None:
    data = example_data()
    data["procedura"]["tipo"] = "asta"
    data["importi"]["chiave_inventata"] = 1
    errors = list(jsonschema.Draft202012Validator(spec_schema()).iter_errors(data))
    assert len(errors) == 2


def test_cli_prints_schema_and_shipped_copy_is_current() -> None:
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == spec_schema()
    shipped = REPO / "schema" / "capitolato.schema.json"
    assert json.loads(shipped.read_text(encoding="utf-8")) == spec_schema(), \
        "schema/capitolato.schema.json è da rigenerare: capitolato schema > schema/capitolato.schema.json"
