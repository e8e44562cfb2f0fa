"""The disk cache of the validated clause library: a hit gives the same library, any change misses, a broken entry
is read around, and the cache can be turned off (issue 21)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from capitolato.errors import LibraryError
from capitolato.library import cache
from capitolato.library.load import _load_cached, load_library, shipped_folder


@pytest.fixture
def cache_home(tmp_path, monkeypatch) -> Path:
    monkeypatch.delenv(cache.DISABLE, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    _load_cached.cache_clear()
    yield tmp_path / "cache" / "capitolato"
    _load_cached.cache_clear()


@pytest.fixture
def ente(tmp_path) -> Path:
    folder = tmp_path / "libreria"
    folder.mkdir()
    shutil.copy(shipped_folder() / "penali.yaml", folder / "penali.yaml")
    return folder


def entries(home: Path) -> list[Path]:
    return sorted(home.glob("*.pickle"))


def reload(folders: list[Path]):
    _load_cached.cache_clear()
    return load_library(folders)


def test_a_hit_gives_the_same_clauses_without_reading_the_files(cache_home, ente, monkeypatch) -> None:
    first = reload([ente])
    assert len(entries(cache_home)) == 1
    monkeypatch.setattr("capitolato.library.load.load_folder", lambda *_: pytest.fail("files read on a hit"))
    second = reload([ente])
    assert second.clauses == first.clauses
    assert second.get("penali").path == ente / "penali.yaml"
    assert [r.clause_id for r in second.replacements] == ["penali"]


def test_a_changed_clause_file_misses(cache_home, ente) -> None:
    reload([ente])
    path = ente / "penali.yaml"
    text = path.read_text(encoding="utf-8")
    assert "\ntitolo: " in text
    path.write_text(text.replace("\ntitolo: ", "\ntitolo: Penali dell'ente — ", 1), encoding="utf-8")
    changed = reload([ente])
    assert len(entries(cache_home)) == 2
    assert changed.get("penali").title.startswith("Penali dell'ente — ")


def test_a_new_clause_file_misses(cache_home, ente) -> None:
    reload([ente])
    text = (ente / "penali.yaml").read_text(encoding="utf-8").replace("id: penali\n", "id: penali-ente\n", 1)
    (ente / "penali-ente.yaml").write_text(text, encoding="utf-8")
    assert reload([ente]).get("penali-ente") is not None


@pytest.mark.parametrize("content", [b"", b"\x80\x05 truncated", b"not a pickle at all"])
def test_a_corrupted_entry_falls_back_to_the_files_and_is_rewritten(cache_home, ente, content) -> None:
    expected = reload([ente])
    [entry] = entries(cache_home)
    entry.write_bytes(content)
    assert reload([ente]).clauses == expected.clauses
    assert entry.read_bytes() != content


def test_an_entry_of_another_type_is_ignored(cache_home, ente) -> None:
    import pickle

    expected = reload([ente])
    [entry] = entries(cache_home)
    entry.write_bytes(pickle.dumps({"not": "a library"}))
    assert reload([ente]).clauses == expected.clauses


def test_an_invalid_library_is_never_cached(cache_home, ente) -> None:
    (ente / "rotta.yaml").write_text("id: rotta\ntitolo: [\n", encoding="utf-8")
    with pytest.raises(LibraryError):
        reload([ente])
    assert entries(cache_home) == []


def test_turned_off_nothing_is_written(cache_home, ente, monkeypatch) -> None:
    monkeypatch.setenv(cache.DISABLE, "1")
    assert len(reload([ente])) > 1
    assert not cache_home.exists()


def test_an_unwritable_cache_directory_is_not_an_error(cache_home, ente, tmp_path, monkeypatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert len(reload([ente])) > 1


def test_no_temporary_file_is_left_behind(cache_home, ente) -> None:
    reload([ente])
    assert [p.name for p in cache_home.rglob("*") if p.is_file() and p.suffix not in (".pickle", ".code")] == []


TEXT = "Importo di {{ importo }} euro{% if ribasso %}, ribassato{% endif %}.\n"


def compiled(source: str, markdown: bool = False):
    from capitolato.templating import _compile

    _compile.cache_clear()
    return _compile(source, markdown)


def code_entries(home: Path) -> list[Path]:
    return sorted((home / "modelli").glob("*.code"))


def test_a_compiled_template_is_reused_across_runs_with_the_same_output(cache_home, monkeypatch) -> None:
    from capitolato.templating import ENVIRONMENT

    first = compiled(TEXT).render(importo="1.000", ribasso=True)
    assert len(code_entries(cache_home)) == 1
    monkeypatch.setattr(ENVIRONMENT, "compile", lambda *_: pytest.fail("compiled again on a hit"))
    assert compiled(TEXT).render(importo="1.000", ribasso=True) == first == "Importo di 1.000 euro, ribassato.\n"


def test_another_text_or_environment_is_another_entry(cache_home) -> None:
    compiled(TEXT)
    compiled(TEXT.replace("euro", "EUR"))
    compiled(TEXT, markdown=True)
    assert len(code_entries(cache_home)) == 3


@pytest.mark.parametrize("content", [b"", b"\xe3 truncated", b"not marshal"])
def test_a_corrupted_compiled_template_is_compiled_again(cache_home, content) -> None:
    compiled(TEXT)
    [entry] = code_entries(cache_home)
    entry.write_bytes(content)
    assert compiled(TEXT).render(importo="5", ribasso=False) == "Importo di 5 euro.\n"
    assert entry.read_bytes() != content


def test_a_template_that_does_not_compile_is_never_stored(cache_home) -> None:
    from jinja2 import TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError):
        compiled("{% if %}")
    assert code_entries(cache_home) == []


def test_turned_off_no_template_is_stored(cache_home, monkeypatch) -> None:
    monkeypatch.setenv(cache.DISABLE, "1")
    compiled(TEXT)
    assert not cache_home.exists()


def test_a_template_error_keeps_its_line_when_the_code_comes_from_the_cache(cache_home) -> None:
    from capitolato.templating import TemplateFailure, _compile, render_source

    source = "riga uno\n{{ manca }}\n"
    for _ in range(2):
        _compile.cache_clear()
        with pytest.raises(TemplateFailure) as failure:
            render_source(source, {})
        assert failure.value.line == 2 and "manca" in failure.value.reason
    assert len(code_entries(cache_home)) == 1


def data(name: str):
    from capitolato.resources import package_data

    package_data.cache_clear()
    return package_data(name)


def data_entries(home: Path) -> list[Path]:
    return sorted((home / "dati").glob("*.pickle"))


def test_a_shipped_table_is_read_from_the_cache_without_parsing(cache_home, monkeypatch) -> None:
    first = data("procedure.yaml")
    assert len(data_entries(cache_home)) == 1
    monkeypatch.setattr("capitolato.resources.YAML", lambda **_: pytest.fail("parsed again on a hit"))
    assert data("procedure.yaml") == first and first


def test_a_changed_shipped_table_misses(cache_home, monkeypatch) -> None:
    from importlib import resources

    first = data("procedure.yaml")
    original = resources.files("capitolato").joinpath("data", "procedure.yaml").read_bytes()
    changed = original + b"\naggiunta: true\n"

    class Changed:
        def joinpath(self, *_):
            return self

        def read_bytes(self):
            return changed

    monkeypatch.setattr("capitolato.resources.resources.files", lambda _: Changed())
    assert data("procedure.yaml") == {**first, "aggiunta": True}
    assert len(data_entries(cache_home)) == 2


@pytest.mark.parametrize("content", [b"", b"\x80\x05 truncated", b"not a pickle at all"])
def test_a_corrupted_table_entry_is_parsed_again_and_rewritten(cache_home, content) -> None:
    expected = data("procedure.yaml")
    [entry] = data_entries(cache_home)
    entry.write_bytes(content)
    assert data("procedure.yaml") == expected
    assert entry.read_bytes() != content


def test_turned_off_no_table_is_stored(cache_home, monkeypatch) -> None:
    monkeypatch.setenv(cache.DISABLE, "1")
    assert data("procedure.yaml")
    assert not cache_home.exists()
