"""JSON Schema of the spec, derived from the model so the two never diverge."""

from __future__ import annotations

import json
from typing import Any

from capitolato.model.tender import Spec

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def spec_schema() -> dict[str, Any]:
    schema = Spec.model_json_schema(by_alias=True, mode="validation")
    return {"$schema": DIALECT, "title": "capitolato.yaml", **{k: v for k, v in schema.items() if k != "title"}}


def schema_json() -> str:
    return json.dumps(spec_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
