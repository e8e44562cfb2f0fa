"""click's and Typer's own words (help, usage line, usage errors) in Italian, patched at their source.

Typer ships its own copy of click with the words written into the code, so the cheap way is to wrap the few
functions that produce them: the usage line, the help option, the type column, the default values and the
messages of the usage errors. Typer's help panels (`typer.rich_utils`, 60 ms to import) are translated the moment
they are imported, so a plain command pays nothing for them. The words are data: capitolato/data/cli-italiano.json.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

CATALOGUE_FILE = Path(__file__).resolve().parent.parent / "data" / "cli-italiano.json"
RICH_UTILS = "typer.rich_utils"
_RICH_CONSTANTS = ("DEPRECATED_STRING", "DEFAULT_STRING", "ENVVAR_STRING", "REQUIRED_LONG_STRING",
                   "ARGUMENTS_PANEL_TITLE", "OPTIONS_PANEL_TITLE", "COMMANDS_PANEL_TITLE", "ERRORS_PANEL_TITLE",
                   "ABORTED_TEXT", "RICH_HELP")


@functools.cache
def catalogue() -> dict[str, Any]:
    """The Italian words, read once per process and only when help or an error is shown."""
    import json

    return json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))


def word(english: str) -> str:
    """One of click's or Typer's fixed strings in Italian (unchanged when the catalogue does not know it)."""
    return catalogue()["parole"].get(english, english)


@functools.cache
def _message_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(pattern), replacement) for pattern, replacement in catalogue()["messaggi"])


def message(english: str) -> str:
    """A finished usage-error message in Italian: the catalogue's patterns applied in order."""
    text = english
    for pattern, replacement in _message_patterns():
        text = pattern.sub(replacement, text)
    return text


def usage_arguments(english: str) -> str:
    """`[OPTIONS] COMMAND [ARGS]...` → `[OPZIONI] COMANDO [ARGOMENTI]...`."""
    text = english
    for source, target in catalogue()["uso"].items():
        text = text.replace(source, target)
    return text


def type_label(english: str | None) -> str | None:
    """Typer's `<list[Path]>` → `PERCORSO…`; a flag shows no type; choices stay as they are."""
    if not english or not (english.startswith("<") and english.endswith(">")):
        return english
    inner = english[1:-1]
    many = inner.startswith("list[") and inner.endswith("]")
    if many:
        inner = inner[5:-1]
    types = catalogue()["tipi"]
    if inner in types:
        label = types[inner]
    else:
        label = inner if "|" in inner else "VALORE"
    if label is None:
        return None
    return f"{label}…" if many else label


def default_value(english: str) -> str:
    return catalogue()["predefiniti"].get(english, english)


def install() -> None:
    """Patch the running click/Typer once; idempotent."""
    from typer import _click, core

    if getattr(core, "_capitolato_italian", False):
        return
    core._capitolato_italian = True  # type: ignore[attr-defined]
    core._ = word  # type: ignore[attr-defined]
    _wrap(_click.formatting.HelpFormatter, "write_usage", _italian_usage)
    _wrap(_click.core.Command, "get_help_option", _italian_help_option)
    _wrap(core._TyperParameter, "display_type", lambda original: lambda self, ctx: type_label(original(self, ctx)))
    _wrap(core.TyperOption, "_get_number_range_help_str", _italian_range)
    _wrap(core.TyperArgument, "_get_number_range_help_str", _italian_range)
    original_default = core._get_default_string
    core._get_default_string = lambda *a, **k: default_value(original_default(*a, **k))  # type: ignore[assignment]
    for exception in _exception_classes(_click.exceptions):
        _wrap(exception, "format_message", lambda original: lambda self: message(original(self)))
    if RICH_UTILS in sys.modules:
        translate_rich_utils(sys.modules[RICH_UTILS])
    else:
        sys.meta_path.insert(0, _TranslateOnImport())


def translate_rich_utils(module: ModuleType) -> None:
    """Typer's help panels: their titles and fixed strings are module constants."""
    for name in _RICH_CONSTANTS:
        setattr(module, name, word(getattr(module, name)))
    module._ = word  # type: ignore[attr-defined]


def _wrap(owner: type, name: str, make: Callable[[Callable[..., Any]], Callable[..., Any]]) -> None:
    """Replace `owner.name` (defined there, not inherited) by `make(original)`."""
    if name in vars(owner):
        setattr(owner, name, functools.wraps(vars(owner)[name])(make(vars(owner)[name])))


def _exception_classes(module: ModuleType) -> list[type]:
    """Typer's base exception and every usage error of its click copy (each defines its own message)."""
    from typer.exceptions import TyperException

    return [TyperException, *(value for value in vars(module).values()
                               if isinstance(value, type) and issubclass(value, TyperException)
                               and value is not TyperException)]


def _italian_usage(original: Callable[..., None]) -> Callable[..., None]:
    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        original(self, prog, usage_arguments(args), word("Usage: ") if prefix is None else prefix)

    return write_usage


def _italian_help_option(original: Callable[..., Any]) -> Callable[..., Any]:
    def get_help_option(self: Any, ctx: Any) -> Any:
        option = original(self, ctx)
        if option is not None:
            option.help = word("Show this message and exit.")
        return option

    return get_help_option


def _italian_range(original: Callable[..., str | None]) -> Callable[..., str | None]:
    """`x>=1` → `≥ 1`, `1<=x<=10` → `da 1 a 10`."""

    def range_help(self: Any) -> str | None:
        text = original(self)
        if not text:
            return text
        low, high = getattr(self, "min", None), getattr(self, "max", None)
        if low is not None and high is not None:
            return f"da {low} a {high}"
        return f"≥ {low}" if low is not None else f"≤ {high}"

    return range_help


class _TranslateOnImport:
    """Translates `typer.rich_utils` right after it is first imported (for help or an error), then steps aside."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name != RICH_UTILS:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.loader is not None:
            spec.loader = _TranslatingLoader(spec.loader)
        return spec


class _TranslatingLoader:
    """The module's own loader, then the translation."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader

    def create_module(self, spec: Any) -> ModuleType | None:
        return self.loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self.loader.exec_module(module)
        translate_rich_utils(module)
