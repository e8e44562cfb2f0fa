"""The one Jinja environment for clause texts and document templates: sandboxed, strict, bounded."""

from __future__ import annotations

import time
from functools import lru_cache
from collections.abc import Mapping
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from capitolato.italian import FILTERS

MAX_OUTPUT_CHARS = 2_000_000
MAX_SECONDS = 5.0


class TemplateFailure(Exception):
    """A template could not be rendered; `reason` is Italian and names the missing value when there is one."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        self.reason = reason
        self.line = line
        super().__init__(reason)


def make_environment() -> ImmutableSandboxedEnvironment:
    """Sandboxed (no Python internals, no mutation) and strict (no silent empty strings)."""
    env = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True,
                                        trim_blocks=True, lstrip_blocks=True)
    env.filters.update(FILTERS)
    return env


ENVIRONMENT = make_environment()


def render_source(source: str, context: Mapping[str, Any], *, name: str = "<testo>") -> str:
    """Compile and render a template string within the output and time bounds."""
    try:
        template = _compile(source)
    except TemplateError as exc:
        raise TemplateFailure(f"sintassi del modello non valida: {exc.message}", getattr(exc, "lineno", None)) from None
    return _bounded(template.generate(**context), name)


@lru_cache(maxsize=512)
def _compile(source: str) -> Template:
    """Compiled once per process: check and build render the same clause texts."""
    return ENVIRONMENT.from_string(source)


def _bounded(chunks: Any, name: str) -> str:
    started = time.monotonic()
    parts: list[str] = []
    size = 0
    try:
        for chunk in chunks:
            size += len(chunk)
            parts.append(chunk)
            if size > MAX_OUTPUT_CHARS:
                raise TemplateFailure(f"il testo generato supera {MAX_OUTPUT_CHARS} caratteri")
            if time.monotonic() - started > MAX_SECONDS:
                raise TemplateFailure(f"la generazione del testo supera {MAX_SECONDS:g} secondi")
    except UndefinedError as exc:
        raise TemplateFailure(_undefined_message(exc), _template_line(exc)) from None
    except SecurityError as exc:
        raise TemplateFailure(f"operazione non consentita nel modello ({exc})", _template_line(exc)) from None
    except RecursionError:
        raise TemplateFailure("ricorsione infinita nel modello") from None
    except (TemplateError, TypeError, ValueError, ArithmeticError, LookupError) as exc:
        raise TemplateFailure(f"errore nel modello: {exc}", _template_line(exc)) from None
    return "".join(parts)


def _undefined_message(exc: UndefinedError) -> str:
    text = str(exc.message or exc)
    if "is undefined" in text:
        name = text.split("'")[1] if "'" in text else text
        return f"manca il valore «{name}»"
    if "has no attribute" in text:
        parts = text.split("'")
        attribute = parts[3] if len(parts) > 3 else text
        return f"manca il valore «{attribute}»"
    return f"valore mancante ({text})"


def _template_line(exc: BaseException) -> int | None:
    """The template line where the error happened, read from the traceback Jinja rewrites."""
    tb = exc.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
