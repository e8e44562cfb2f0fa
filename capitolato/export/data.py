"""The export's data files: eForms code lists (pinned SDK) and the design mappings towards eForms and OCDS."""

from __future__ import annotations

from typing import Any

from capitolato.resources import package_data


def codelists() -> dict[str, list[str]]:
    """eForms code lists by name (only the codes domain.md names)."""
    return package_data("eforms-codelists.yaml")["liste"]


def sdk_version() -> str:
    return str(package_data("eforms-codelists.yaml")["sdk"])


def notice_subtypes() -> dict[str, str]:
    return package_data("eforms-codelists.yaml")["sottotipi"]


def mapping() -> dict[str, Any]:
    """Design mappings: criterion tags → BT-775, BT-775 → OCDS goals, clause placement → OCDS strategy."""
    return package_data("esportazione.yaml")


def code(list_name: str, value: str) -> str:
    """`value` if the code list holds it: a code outside the pinned lists is a bug, never silent output."""
    if value not in codelists()[list_name]:
        raise ValueError(f"codice eForms «{value}» assente dalla lista {list_name}")
    return value
