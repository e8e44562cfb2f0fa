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
    assert [p.name for p in cache_home.iterdir() if not p.name.endswith(".pickle")] == []
