"""Export: OCDS valid against the shipped 1.1.5 release schema, eForms codes within the pinned code lists,
and the codes each example is there to demonstrate."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from capitolato.cli.app import app
from capitolato.export import eforms, ocds, tender_json
from capitolato.export.data import codelists, mapping
from capitolato.spec.load import load_spec
from tests.conftest import EXAMPLES

SCHEMA = json.loads((Path(__file__).parent.parent / "data" / "ocds-release-schema.json").read_text(encoding="utf-8"))
EXAMPLE_DIRS = sorted(p.parent for p in EXAMPLES.glob("*/capitolato.yaml"))
CODED_TERMS = {"BT-06-Lot": "strategic-procurement", "BT-775-Lot": "social-objective",
               "BT-71-Lot": "reserved-procurement", "BT-736-Lot": "applicability",
               "BT-539-Lot": "award-criterion-type", "BT-5421-Lot": "number-weight",
               "BT-5422-Lot": "number-fixed", "BT-5423-Lot": "number-threshold"}
VERIFIED_GOALS = set(mapping()["obiettivi_ocds"].values())


def _spec(name: str):
    return load_spec(EXAMPLES / name)


def _lot(name: str) -> dict[str, Any]:
    lots = eforms(_spec(name))["lotti"]
    assert len(lots) == 1
    return lots[0]


def _coded(value: Any) -> Iterator[tuple[str, str]]:
    """Every (business term, code) pair in an eForms export, however deep."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in CODED_TERMS:
                for code in item if isinstance(item, list) else [item]:
                    yield key, code
            else:
                yield from _coded(item)
    elif isinstance(value, list):
        for item in value:
            yield from _coded(item)


def test_examples_are_the_four_of_the_issue():
    assert {p.name for p in EXAMPLE_DIRS} >= {"melzo-servizi-persona", "assistenza-domiciliare-prezzo-fisso",
                                               "appalto-riservato-art61", "coprogettazione-art55"}


def test_ocds_schema_allows_extension_fields():
    """The extensions' fields are only valid because the release schema never closes an object."""
    assert '"additionalProperties": false' not in json.dumps(SCHEMA)
    assert SCHEMA["id"].endswith("/1__1__5/release-schema.json")


@pytest.mark.parametrize("folder", EXAMPLE_DIRS, ids=lambda p: p.name)
def test_ocds_release_is_valid(folder: Path):
    release = ocds(load_spec(folder))
    jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(release)
    for lot in release["tender"]["lots"]:
        for entry in lot.get("sustainability", []):
            assert entry["goal"] in VERIFIED_GOALS
            assert set(entry["strategies"]) <= set(mapping()["ocds"]["strategie"])


@pytest.mark.parametrize("folder", EXAMPLE_DIRS, ids=lambda p: p.name)
def test_every_eforms_code_is_in_the_code_lists(folder: Path):
    exported = eforms(load_spec(folder))
    for term, code in _coded(exported):
        assert code in codelists()[CODED_TERMS[term]], f"{term} = {code}"


@pytest.mark.parametrize("folder", EXAMPLE_DIRS, ids=lambda p: p.name)
def test_strategic_description_whenever_strategic(folder: Path):
    for lot in eforms(load_spec(folder))["lotti"]:
        assert lot["BT-06-Lot"] == "none" or lot["BT-777-Lot"].strip()


@pytest.mark.parametrize("folder", EXAMPLE_DIRS, ids=lambda p: p.name)
def test_weights_add_up_to_total_points(folder: Path):
    spec = load_spec(folder)
    for lot in eforms(spec)["lotti"]:
        weights = [n["BT-541-Lot-WeightNumber"] for c in lot["criteri_aggiudicazione"] for n in c["numeri"]
                   if "BT-5421-Lot" in n]
        assert Decimal(str(sum(weights))) == spec.award.total_points


def test_melzo_codes():
    lot = _lot("melzo-servizi-persona")
    assert eforms(_spec("melzo-servizi-persona"))["sottotipo_avviso"] == "20"
    assert lot["BT-06-Lot"] == "soc-obj"
    assert {"gen-eq", "work-cond", "opp"} <= set(lot["BT-775-Lot"])
    assert (lot["BT-71-Lot"], lot["BT-736-Lot"]) == ("none", "no")


def test_fixed_price_codes():
    name = "assistenza-domiciliare-prezzo-fisso"
    lot = _lot(name)
    assert eforms(_spec(name))["sottotipo_avviso"] == "20"
    assert lot["BT-06-Lot"] == "soc-obj"
    price = [c for c in lot["criteri_aggiudicazione"] if c["BT-539-Lot"] == "price"]
    assert len(price) == 1
    assert {"BT-541-Lot-FixedNumber": 1350000, "BT-5422-Lot": "fix-tot"} in price[0]["numeri"]
    assert "work-cond" in lot["BT-775-Lot"]


def test_fixed_price_in_ocds():
    release = ocds(_spec("assistenza-domiciliare-prezzo-fisso"))
    assert release["tender"]["awardCriteria"] == "qualityOnly"
    criteria = release["tender"]["lots"][0]["awardCriteria"]["criteria"]
    price = next(c for c in criteria if c["type"] == "price")
    assert price["numbers"] == [{"number": 1350000, "fixed": "total"}, {"number": 0, "weight": "decimalExact"}]
    decimals = [n["number"] for c in criteria for n in c["numbers"] if n.get("weight") == "decimalExact"]
    assert sum(Decimal(str(d)) for d in decimals) == 1


def test_reserved_art61_codes():
    name = "appalto-riservato-art61"
    lot = _lot(name)
    assert eforms(_spec(name))["sottotipo_avviso"] == "16"
    assert (lot["BT-71-Lot"], lot["BT-736-Lot"]) == ("res-ws", "no")
    assert lot["BT-06-Lot"] == "soc-obj" and "opp" in lot["BT-775-Lot"]
    tender = ocds(_spec(name))["tender"]
    assert tender["otherRequirements"] == {"reservedParticipation": ["shelteredWorkshop"]}
    assert tender["contractTerms"]["reservedExecution"] is False


def test_reserved_execution_flips_bt71_and_bt736(write_spec):
    text = (EXAMPLES / "appalto-riservato-art61" / "capitolato.yaml").read_text(encoding="utf-8")
    path = write_spec(text.replace("tipo_riserva: partecipazione", "tipo_riserva: esecuzione"))
    lot = eforms(load_spec(path))["lotti"][0]
    assert (lot["BT-71-Lot"], lot["BT-736-Lot"]) == ("none", "yes")
    assert ocds(load_spec(path))["tender"]["contractTerms"]["reservedExecution"] is True


def test_co_design_has_no_eforms_notice_and_no_award_in_ocds():
    spec = _spec("coprogettazione-art55")
    exported = eforms(spec)
    assert exported["sottotipo_avviso"] is None and exported["lotti"] == []
    tender = ocds(spec)["tender"]
    assert "awardCriteria" not in tender and "procurementMethod" not in tender
    assert all("awardCriteria" not in lot for lot in tender["lots"])


def test_sdk_version_is_pinned():
    assert eforms(_spec("melzo-servizi-persona"))["sdk"] == "1.15.1"


def test_tender_json_carries_spec_and_facts():
    data = tender_json(_spec("melzo-servizi-persona"))
    assert data["spec"]["procedura"]["tipo"] == "aperta"
    assert data["spec"]["importi"]["base"] == 2400000
    derived = data["derivati"]
    assert derived["alta_intensita_manodopera"] is True
    assert derived["quota_manodopera"] == 0.7
    assert derived["valore_stimato"] == 4400000
    assert derived["regime_soglia"]["codice"] == "servizi-sociali-sopra-soglia"
    criteria = derived["criteri_aggiudicazione"]["criteri"]
    assert sum(c["punti"] for c in criteria) == 80
    assert criteria[0]["peso"] == 0.57
    json.dumps(data)


def test_tender_json_of_co_design_is_outside_codice():
    derived = tender_json(_spec("coprogettazione-art55"))["derivati"]
    assert derived["fuori_dal_codice"] is True
    assert derived["regime_soglia"]["codice"] == "fuori-codice"
    assert derived["criteri_aggiudicazione"] is None


def test_ocid_prefix_is_configurable():
    release = ocds(_spec("melzo-servizi-persona"), ocid_prefix="ocds-abc123-")
    assert release["ocid"].startswith("ocds-abc123-")
    assert ocds(_spec("melzo-servizi-persona"))["ocid"].startswith("ocds-capitolato-")


def test_cli_prints_json_on_stdout():
    result = CliRunner().invoke(app, ["export", str(EXAMPLES / "appalto-riservato-art61"), "--formato", "ocds"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["tender"]["otherRequirements"]["reservedParticipation"] == ["shelteredWorkshop"]


def test_cli_writes_the_output_file(tmp_path: Path):
    target = tmp_path / "gara.eforms.json"
    result = CliRunner().invoke(app, ["export", str(EXAMPLES / "assistenza-domiciliare-prezzo-fisso"),
                                      "--formato", "eforms", "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["sottotipo_avviso"] == "20"


def test_cli_export_is_deterministic():
    args = ["export", str(EXAMPLES / "melzo-servizi-persona"), "--formato", "json"]
    assert CliRunner().invoke(app, args).stdout == CliRunner().invoke(app, args).stdout


def test_cli_reports_invalid_spec_with_exit_2(write_spec):
    result = CliRunner().invoke(app, ["export", str(write_spec("versione: 1\n"))])
    assert result.exit_code == 2
