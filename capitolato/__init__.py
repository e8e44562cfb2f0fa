"""capitolato: capitolati orientati all'impatto per i servizi sociali.

The public API is imported lazily so that `capitolato --help` stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_API = {
    "load_spec": "capitolato.spec.load",
    "Spec": "capitolato.model.tender",
    "derive": "capitolato.model.facts",
    "CapitolatoError": "capitolato.errors",
    "SpecError": "capitolato.errors",
    "load_library": "capitolato.library.load",
    "render_clause": "capitolato.library.render",
    "check": "capitolato.rules",
    "build": "capitolato.document.build",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'capitolato' has no attribute {name!r}")
    return getattr(import_module(module), name)
