"""Plain JSON values from the typed model: numbers stay numbers, dates ISO strings, enums their Italian value."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import Enum
from typing import Any

from pydantic import BaseModel


def number(value: Decimal | int) -> int | float:
    """An integral amount as int, otherwise float: JSON consumers compare numbers, not strings."""
    decimal = Decimal(value)
    return int(decimal) if decimal == decimal.to_integral_value() else float(decimal)


def plain(value: Any) -> Any:
    """Recursively turn model dumps (Decimal, date, Enum) into JSON-ready values."""
    if isinstance(value, BaseModel):
        return plain(value.model_dump(by_alias=True, exclude_none=True))
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, Decimal):
        return number(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def cpv_code(cpv: str) -> str:
    """The eight digits of a CPV code, without the check digit (as eForms code lists hold them)."""
    return cpv.split("-")[0]
