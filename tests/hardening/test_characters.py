"""Class 4 — inputs that validate and then crash the build. The spec model decides what every character means
(capitolato.model.characters): characters a Word document cannot hold are refused at their line and column, in
Italian; bidi overrides and zero-width characters are a warning; long names never break core properties. The
property: for any text in any text field, `validate` fails exactly where `build` would."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st

from capitolato.cli.app import app
from capitolato.model.characters import Meaning, classify
from tests.conftest import MELZO, line_of
from tests.hardening.helpers import runner

SPECIAL = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x0e", "\x1b", "\x1f", "\x7f", "\x85", "\x9b", "\ud800",
           "\udfff", "\ufffe", "\uffff", "\u202e", "\u2066", "\u200b", "\ufeff", "\u2028", "\t", "\u00a0", "é"]
TEXTS = st.text(alphabet=st.one_of(st.characters(), st.sampled_from(SPECIAL)), max_size=40)
FIELDS = [("  oggetto:", "oggetto"), ("  nome:", "ente")]


PLAIN = re.compile("[\t\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")


def quoted(text: str) -> str:
    """A YAML double-quoted scalar that reads back exactly as `text`: escapes for whatever is not plain."""
    def one(char: str) -> str:
        if char in '"\\':
            return "\\" + char
        if PLAIN.fullmatch(char) and char not in "\u2028\u2029":
            return char
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"

    return '"' + "".join(map(one, text)) + '"'


def _spec_with(tmp_path: Path, needle: str, text: str) -> tuple[Path, str]:
    """The Melzo spec with the value on the first line starting with `needle` replaced by `text` (quoted so that
    YAML reads back exactly that text, escapes included)."""
    source = MELZO.read_text(encoding="utf-8")
    line = next(line for line in source.splitlines() if line.startswith(needle))
    changed = source.replace(line, f"{needle} {quoted('Servizi ' + text)}", 1)
    folder = tmp_path / "gara"
    folder.mkdir(exist_ok=True)
    spec = folder / "capitolato.yaml"
    spec.write_text(changed, encoding="utf-8", errors="surrogatepass")
    return spec, changed


def _refused(text: str) -> bool:
    return any(classify(char).meaning is Meaning.REJECTED for char in text)


@settings(max_examples=6)
@given(text=TEXTS, field=st.sampled_from(FIELDS))
def test_validate_fails_exactly_where_build_would(tmp_path_factory, text: str, field: tuple[str, str]) -> None:
    tmp_path = tmp_path_factory.mktemp("caratteri")
    spec, changed = _spec_with(tmp_path, field[0], text)
    validated = runner.invoke(app, ["validate", str(spec)])
    built = runner.invoke(app, ["build", str(spec), "--bozza", "-o", str(tmp_path / "u")])
    assert validated.exit_code in (0, 2) and built.exit_code in (0, 2), (validated.output, built.output)
    assert (validated.exit_code == 0) == (built.exit_code == 0), (text, validated.output, built.output)
    assert (validated.exit_code == 2) == _refused(text), (text, validated.output)
    if validated.exit_code == 2:
        where = f"{spec}:{line_of(changed, field[0])}:"
        assert where in validated.stderr and where in built.stderr
        assert "Input should" not in validated.stderr and "Traceback" not in built.output
    else:
        for output in (tmp_path / "u").glob("*.docx"):
            Document(output)


@pytest.mark.parametrize("char", ["\x01", "\x0b", "\x0c", "\x00", "\ud800", "\uffff", "\x1b", "\x9b"])
def test_each_refused_character_is_named_in_italian_at_its_line(tmp_path: Path, char: str) -> None:
    spec, changed = _spec_with(tmp_path, "  oggetto:", f"con{char}carattere")
    result = runner.invoke(app, ["validate", str(spec)])
    assert result.exit_code == 2
    assert f"{spec}:{line_of(changed, '  oggetto:')}:" in result.stderr
    assert f"U+{ord(char):04X}" in result.stderr and "non ammess" in result.stderr


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u200b", "\u200d"])
def test_bidi_and_zero_width_are_a_located_warning(tmp_path: Path, char: str) -> None:
    spec, changed = _spec_with(tmp_path, "  oggetto:", f"testo{char}nascosto")
    result = runner.invoke(app, ["build", str(spec), "--bozza", "--formato", "md", "-o", str(tmp_path / "u")])
    assert result.exit_code == 0, result.output
    assert f"{spec}:{line_of(changed, '  oggetto:')}:" in result.stderr and ": avviso: " in result.stderr
    assert char not in result.stderr


def test_a_raw_control_character_is_located_at_its_column(tmp_path: Path) -> None:
    source = MELZO.read_text(encoding="utf-8")
    line = next(line for line in source.splitlines() if line.startswith("  oggetto:"))
    spec = tmp_path / "capitolato.yaml"
    spec.write_text(source.replace(line, line + "\x01", 1), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(spec)])
    assert result.exit_code == 2
    assert f"{spec}:{line_of(source, '  oggetto:')}:{len(line) + 1}: errore: carattere di controllo U+0001" \
        in result.stderr


def test_a_control_character_in_a_library_clause_is_located(tmp_path: Path) -> None:
    library = tmp_path / "clausole"
    library.mkdir()
    shipped = next((MELZO.parents[2] / "clauses").glob("*.yaml"))
    text = shipped.read_text(encoding="utf-8").replace("titolo: ", 'titolo: "\\x0b" ', 1)
    (library / shipped.name).write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["clauses", "list", "--libreria", str(library)])
    assert result.exit_code == 2 and f"{library / shipped.name}:" in result.stderr, result.output


def test_long_names_and_many_cpv_never_break_core_properties(tmp_path: Path) -> None:
    source = MELZO.read_text(encoding="utf-8")
    long_subject = " ".join(["Servizio di assistenza educativa scolastica"] * 11)
    spec, _ = _spec_with(tmp_path, "  oggetto:", long_subject[:480])
    text = spec.read_text(encoding="utf-8")
    name_line = next(line for line in text.splitlines() if line.startswith("  nome:"))
    spec.write_text(text.replace(name_line, f"  nome: {json.dumps('Comune ' + 'di Melzo e Comuni associati ' * 12)}",
                                 1), encoding="utf-8")
    result = runner.invoke(app, ["build", str(spec), "--bozza", "-o", str(tmp_path / "u")])
    assert result.exit_code == 0, result.output
    for output in (tmp_path / "u").glob("*.docx"):
        properties = Document(output).core_properties
        assert 0 < len(properties.subject) <= 255 and len(properties.author) <= 255 and len(properties.title) <= 255
        assert properties.subject.endswith("…")
    assert source
