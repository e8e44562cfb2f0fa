"""Locate data files both in an installed wheel and in a source checkout."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

_REPO_ROOT = Path(__file__).resolve().parent.parent


def data_path(*parts: str) -> Path:
    """Return the path of a shipped data file such as ``("templates", "riferimento.docx")``.

    A wheel ships the files under ``capitolato/_data/``; a checkout keeps them
    at the repository root. The packaged copy wins when both exist.
    """
    packaged = resources.files("capitolato") / "_data"
    for part in parts:
        packaged = packaged / part
    if isinstance(packaged, Path) and packaged.exists():
        return packaged
    try:
        with resources.as_file(packaged) as concrete:
            if concrete.exists():
                return Path(concrete)
    except (FileNotFoundError, NotADirectoryError):
        pass
    return _REPO_ROOT.joinpath(*parts)


@cache
def package_data(name: str) -> Any:
    """A YAML file of `capitolato/data/` (legal thresholds, documents, code lists), parsed once per process.

    The parsed data is kept in the disk cache under a digest of the file's bytes: parsing the tables a `check` reads
    costs ~20 ms of every fresh process, reading their stored copies ~5 ms.
    """
    from capitolato.library.cache import cached, data_key

    content = resources.files("capitolato").joinpath("data", name).read_bytes()
    return cached(lambda: data_key(name, content), object, lambda: YAML(typ="safe").load(content.decode("utf-8")),
                  folder="dati")
