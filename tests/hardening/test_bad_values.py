"""Bad values in a spec that parses: every command answers with located Italian errors, exit 2, and writes nothing."""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from capitolato.cli.app import app
from capitolato.errors import SpecError
from capitolato.spec.load import load_spec
from tests.conftest import MELZO
from tests.hardening.helpers import COMMANDS, assert_located, assert_rejected, invoke, node_lines, runner, snapshot
from tests.hardening.specgen import NodePath, deleted, dump, example_data, get, node_paths, replaced

WRONG = {"errato": 1}


def melzo() -> Any:
    return example_data(MELZO)


def leaves(data: Any, prefix: NodePath, keep: Callable[[NodePath], bool] = lambda _: True) -> list[NodePath]:
    """The scalar nodes under `prefix` (or `prefix` itself when it is a scalar) that `keep` accepts."""
    if not isinstance(get(data, prefix), (dict, list)):
        return [prefix]
    return [(*prefix, *path) for path in node_paths(get(data, prefix))
            if not isinstance(get(data, (*prefix, *path)), (dict, list)) and keep(path)]


def _groups() -> dict[str, list[NodePath]]:
    """Leaves of the Melzo example by section; clause ids apart, since a wrong id stops parameter binding."""
    data = melzo()
    groups = {section: leaves(data, (section,)) for section in data if section != "clausole"}
    groups["clausole-id"] = leaves(data, ("clausole",), lambda path: path[-1] == "id")
    groups["clausole-parametri"] = leaves(data, ("clausole",), lambda path: "parametri" in path)
    return groups


GROUPS = _groups()


def run_all(tmp_path: Path, text: str) -> tuple[Path, dict[str, Any]]:
    """The spec written in its own folder, then each command run on it; results by command."""
    folder = tmp_path / "gara"
    folder.mkdir()
    spec = folder / "capitolato.yaml"
    spec.write_text(text, encoding="utf-8")
    before = snapshot(folder)
    out_dir = tmp_path / "uscita"
    results = {command: invoke(command, spec, out_dir) for command in COMMANDS}
    assert snapshot(folder) == before
    assert not out_dir.exists(), sorted(out_dir.rglob("*"))
    return spec, results


@pytest.mark.parametrize("group", list(GROUPS), ids=list(GROUPS))
def test_wrong_types_everywhere_are_all_located(tmp_path: Path, group: str) -> None:
    """Every leaf of a section replaced by a mapping: one located problem per leaf, reported at once."""
    data = melzo()
    for path in GROUPS[group]:
        data = replaced(data, path, WRONG)
    text = dump(data)
    lines = node_lines(text, GROUPS[group])
    spec, results = run_all(tmp_path, text)
    for result in results.values():
        assert_rejected(result, spec, lines=lines)


SLIM_CLAUSES = ("costi-manodopera-stima", "subappalto-parita-trattamento", "relazione-genere-15-50", "penali",
                "monitoraggio-kpi-open-data")


def slim_melzo() -> Any:
    """The Melzo example with one item per list and only the clauses the cases change: a third of the parse time."""
    data = copy.deepcopy(melzo())
    impact = data["valutazione_impatto"]
    for items, key in ((data, "strategie"), (data["governance"], "livelli"), (data, "linee_supporto"),
                       (impact, "indicatori"), (impact, "rendicontazione"), (data["aggiudicazione"], "criteri")):
        items[key] = items[key][:1]
    data["clausole"] = [use for use in data["clausole"] if use["id"] in SLIM_CLAUSES]
    return data


def clause_parameter(clause_id: str, name: str) -> NodePath:
    """Path of a clause parameter in the slim example."""
    index = next(i for i, use in enumerate(slim_melzo()["clausole"]) if use["id"] == clause_id)
    return ("clausole", index, "parametri", name)


NAN, INF = float("nan"), float("inf")
SUBCONTRACT = clause_parameter("subappalto-parita-trattamento", "quota_massima")
PENALTY = clause_parameter("relazione-genere-15-50", "penale")
DAILY_PENALTY = clause_parameter("penali", "permille_giornaliero")
TABLE_DATE = clause_parameter("costi-manodopera-stima", "tabella_data")
FREQUENCY = clause_parameter("monitoraggio-kpi-open-data", "frequenza")

# name: (node path, value, words the message must contain)
VALUE_CASES: dict[str, tuple[NodePath, Any, str]] = {
    "importo-negativo": (("importi", "base"), -1, "maggiore o uguale a 0"),
    "manodopera-negativa": (("importi", "manodopera"), -1680000, "maggiore o uguale a 0"),
    "importo-assurdo": (("importi", "base"), 10**15, "minore o uguale a"),
    "importo-1e300": (("importi", "valore_stimato"), 1e300, "minore o uguale a"),
    "importo-nan": (("importi", "base"), NAN, "numero finito"),
    "importo-infinito": (("importi", "rinnovi"), INF, "numero finito"),
    "importo-meno-infinito": (("importi", "sicurezza"), -INF, "numero finito"),
    "troppi-decimali": (("importi", "base"), 2400000.001, "troppi decimali"),
    "punti-nan": (("aggiudicazione", "punti_tecnici"), NAN, "numero finito"),
    "punti-assurdi": (("aggiudicazione", "criteri", 0, "punti"), 10**9, "minore o uguale a 1000"),
    "durata-zero": (("procedura", "durata_mesi"), 0, "maggiore o uguale a 1"),
    "durata-assurda": (("procedura", "durata_mesi"), 10**12, "minore o uguale a 600"),
    "durata-non-intera": (("procedura", "durata_mesi"), 36.5, "numero intero"),
    "ore-negative": (("linee_supporto", 0, "ore"), -40, "maggiore o uguale a 0"),
    "quota-secondaria-oltre-100": (("caratteristiche", "prestazioni_secondarie"),
                                   [{"descrizione": "pulizie", "quota": 101}], "minore o uguale a 100"),
    "parametro-percentuale-oltre-100": (SUBCONTRACT, 150, "una percentuale va da 0 a 100"),
    "parametro-percentuale-nan": (SUBCONTRACT, NAN, "numero finito"),
    "parametro-percentuale-infinita": (SUBCONTRACT, INF, "numero finito"),
    "parametro-percentuale-negativa": (SUBCONTRACT, -5, "una percentuale va da 0 a 100"),
    "parametro-importo-negativo": (PENALTY, -1000, "non può essere negativo"),
    "parametro-importo-assurdo": (PENALTY, 1e30, "parametro «penale»"),
    "parametro-importo-enorme-intero": (PENALTY, 10**40, "parametro «penale»"),
    "parametro-importo-infinito": (PENALTY, INF, "numero finito"),
    "parametro-decimale-fuori-intervallo": (DAILY_PENALTY, 7, "supera il massimo"),
    "data-troppo-antica": (("procedura", "data_pubblicazione"), "1999-12-31", "maggiore o uguale a 2000-01-01"),
    "data-troppo-lontana": (("procedura", "data_pubblicazione"), "2101-01-01", "minore o uguale a 2100-12-31"),
    "data-anno-1": (("procedura", "data_pubblicazione"), "0001-01-01", "maggiore o uguale a 2000-01-01"),
    "data-impossibile": (("procedura", "data_pubblicazione"), "2026-02-30", "data"),
    "data-con-ora": (("procedura", "data_pubblicazione"), "2026-03-02T10:00:00", "senza l'ora"),
    "data-indicatore-fuori-intervallo": (("valutazione_impatto", "indicatori", 0, "target", "data"), "2500-01-01",
                                         "minore o uguale a 2100-12-31"),
    "parametro-data-impossibile": (TABLE_DATE, "2024-13-01", "attesa una data"),
    "tipo-procedura-sconosciuto": (("procedura", "tipo"), "apertissima", "valore non ammesso «apertissima»"),
    "criterio-sconosciuto": (("aggiudicazione", "criterio"), "oepvv", "forse intendevi «oepv»"),
    "livello-governance-sconosciuto": (("governance", "livelli", 0, "livello"), "strategia", "valore non ammesso"),
    "finanziamento-sconosciuto": (("caratteristiche", "finanziamenti"), ["pnrr", "lotteria"], "«lotteria»"),
    "parametro-scelta-sconosciuta": (FREQUENCY, "bisettimanale", "valore «bisettimanale» non ammesso"),
    "cpv-corto": (("procedura", "cpv"), ["8531200"], "codice CPV non valido"),
    "cpv-cifra-controllo-doppia": (("procedura", "cpv"), ["85312000-99"], "codice CPV non valido"),
    "cpv-lettere": (("procedura", "cpv"), ["abcdefgh"], "codice CPV non valido"),
    "cpv-numero": (("procedura", "cpv"), [85312000], "tipo errato"),
    "cpv-vuoto": (("procedura", "cpv"), [], "almeno 1 elementi"),
    "cig-corto": (("procedura", "cig"), "123", "CIG non valido"),
    "cig-minuscolo": (("procedura", "cig"), "9a1b2c3d4e", "CIG non valido"),
    "cup-14-caratteri": (("procedura", "cup"), "E89F1800051000", "CUP non valido"),
    "cup-invertito": (("procedura", "cup"), "89EF18000510007", "CUP non valido"),
    "lotto-cig-malformato": (("procedura", "lotti"), [{"numero": 1, "oggetto": "Lotto", "importo": 1000,
                                                        "cig": "ZZ"}], "CIG non valido"),
}


def test_slim_example_is_valid(tmp_path: Path) -> None:
    """The base of the value cases loads: each case's error comes from its one change."""
    spec = tmp_path / "capitolato.yaml"
    spec.write_text(dump(slim_melzo()), encoding="utf-8")
    assert load_spec(spec).procedure.kind.value == "aperta"


@pytest.mark.parametrize("case", list(VALUE_CASES), ids=list(VALUE_CASES))
def test_bad_value_is_located(tmp_path: Path, case: str) -> None:
    path, value, words = VALUE_CASES[case]
    text = dump(replaced(slim_melzo(), path, value))
    spec, results = run_all(tmp_path, text)
    for result in results.values():
        assert_rejected(result, spec, lines=node_lines(text, [path]), text=words)


MAX_SECONDS = 30


@pytest.mark.parametrize("command", COMMANDS)
def test_ten_thousand_clauses_answer_in_bounded_time(tmp_path: Path, request, command: str) -> None:
    """Every repetition is reported at its line, within a bound (the parse of 10,000 entries: about 5 s).

    CI runs `validate`; `check` and `build` load the spec the same way and run with the `lungo` profile.
    """
    if command != "validate":
        request.getfixturevalue("lungo")
    text = dump(replaced(slim_melzo(), ("clausole",), [{"id": "tutela-retribuzioni"}] * 10_000))
    spec = tmp_path / "capitolato.yaml"
    spec.write_text(text, encoding="utf-8")
    started = time.monotonic()
    result = invoke(command, spec, tmp_path / "uscita")
    assert time.monotonic() - started < MAX_SECONDS
    assert_rejected(result, spec, lines=node_lines(text, [("clausole", 9_999, "id")]),
                    text="la clausola «tutela-retribuzioni» è già inclusa")
    assert result.stderr.count("è già inclusa") == 9_999
    assert not (tmp_path / "uscita").exists()


def test_ten_thousand_unknown_clauses_are_each_located(tmp_path: Path, lungo: None) -> None:
    spec = tmp_path / "capitolato.yaml"
    spec.write_text(dump(replaced(slim_melzo(), ("clausole",), [{"id": f"clausola-{n}"} for n in range(10_000)])),
                    encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(SpecError) as raised:
        load_spec(spec)
    assert time.monotonic() - started < MAX_SECONDS
    assert len({problem.location.line for problem in raised.value.problems}) == 10_000
    assert_located(raised.value)


def test_a_problem_on_line_100_keeps_its_location(tmp_path: Path) -> None:
    spec = tmp_path / "capitolato.yaml"
    spec.write_text("#\n" * 99 + "versione: 2\n" + dump(deleted(slim_melzo(), ("versione",))), encoding="utf-8")
    result = invoke("validate", spec, tmp_path)
    assert f"{spec}:100:" in result.stderr, result.stderr


def criteria_chain(depth: int) -> list[dict[str, Any]]:
    """One criterion per level, each the only child of the one above; the leaf is a discretionary criterion."""
    node: dict[str, Any] = {"codice": f"c{depth}", "titolo": f"Livello {depth}", "punti": 80, "tipo": "discrezionale",
                            "scala": [0, 0.5, 1], "criteri_motivazionali": "Qualità della proposta."}
    for level in range(depth - 1, 0, -1):
        node = {"codice": f"c{level}", "titolo": f"Livello {level}", "punti": 80, "sottocriteri": [node]}
    return [node]


def test_criteria_fifty_levels_deep_are_checked_and_built(tmp_path: Path) -> None:
    """A deep but valid tree: validate accepts it, check reports findings, build (as a draft) writes documents."""
    spec = tmp_path / "capitolato.yaml"
    spec.write_text(dump(replaced(melzo(), ("aggiudicazione", "criteri"), criteria_chain(50))), encoding="utf-8")
    out_dir = tmp_path / "uscita"
    assert invoke("validate", spec, out_dir).exit_code == 0
    checked = invoke("check", spec, out_dir)
    assert checked.exit_code in (0, 1) and checked.exception is None or isinstance(checked.exception, SystemExit)
    built = runner.invoke(app, ["build", str(spec), "--formato", "md", "--formato", "docx", "--bozza",
                                "-o", str(out_dir)])
    assert built.exit_code == 0, built.output
    markdown = next(out_dir.glob("disciplinare_*.md")).read_text(encoding="utf-8")
    assert "Livello 50" in markdown


def test_criteria_deeper_than_the_yaml_limit_are_a_located_error(tmp_path: Path) -> None:
    text = dump(replaced(slim_melzo(), ("aggiudicazione", "criteri"), criteria_chain(80)))
    spec, results = run_all(tmp_path, text)
    for result in results.values():
        assert_rejected(result, spec, text="annidata oltre")


@pytest.mark.parametrize("tagged", ["!!python/object/apply:os.system [id]", "!!python/object:os.system {a: 1}",
                                    "!!python/name:os.system", "!!omap [a: 1]", "!!pairs [a: 1]", "!!set {a, b}",
                                    "!custom testo"])
def test_yaml_tags_are_plain_data_and_located(tmp_path: Path, tagged: str) -> None:
    """Tags build nothing (no Python objects) and an unexpected one is a type error at its line."""
    text = dump(slim_melzo())
    line = next(number for number, row in enumerate(text.splitlines(), 1) if row.startswith("  oggetto:"))
    lines = text.splitlines(keepends=True)
    lines[line - 1] = f"  oggetto: {tagged}\n"
    spec, results = run_all(tmp_path, "".join(lines))
    for result in results.values():
        assert_rejected(result, spec, lines=[{line}], text="tipo errato")
