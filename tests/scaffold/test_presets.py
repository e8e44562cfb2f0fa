"""Presets are folders: discovered without Python changes, malformed ones reported, kinds consistent."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from capitolato.scaffold.new import create_tender
from capitolato.scaffold.presets import PresetError, discover, find, presets_folder
from capitolato.spec.load import load_spec
from tests.scaffold.test_presets_end_to_end import ESSENTIALS


def _copy(tmp_path: Path, name: str, new_name: str) -> Path:
    root = tmp_path / "presets"
    shutil.copytree(presets_folder() / name, root / new_name)
    return root


def test_adding_a_folder_adds_a_preset(tmp_path: Path) -> None:
    root = _copy(tmp_path, "convenzione-381", "pulizie-381")
    info = root / "pulizie-381" / "preset.yaml"
    info.write_text(info.read_text(encoding="utf-8").replace("nome: convenzione-381", "nome: pulizie-381"),
                    encoding="utf-8")
    assert [preset.name for preset in discover(root)] == ["pulizie-381"]
    assert find("pulizie-381", root).info.procedure_kind.value == "convenzione-381"


def test_malformed_presets_are_reported(tmp_path: Path) -> None:
    root = _copy(tmp_path, "pnrr", "altro-nome")
    (root / "vuoto").mkdir()
    with pytest.raises(PresetError) as caught:
        discover(root)
    messages = str(caught.value)
    assert "deve coincidere con la cartella «altro-nome»" in messages
    assert "il preset non contiene preset.yaml, capitolato.yaml.j2, README.md.j2" in messages


@pytest.mark.parametrize("name", sorted(ESSENTIALS))
def test_rendered_procedure_matches_the_declared_one(tmp_path: Path, name: str) -> None:
    preset = find(name)
    given = dict(item.split("=", 1) for item in ["ente=Comune di Prova", *ESSENTIALS[name]])
    values = {key: preset.info.essentials[key].parse(raw) for key, raw in given.items()}
    values.update({key: e.default_value() for key, e in preset.info.essentials.items() if key not in values})
    create_tender(preset, values, tmp_path / "g")
    assert load_spec(tmp_path / "g").procedure.kind is preset.info.procedure_kind
