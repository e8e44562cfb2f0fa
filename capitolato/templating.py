"""The one Jinja environment for clause texts and document templates: sandboxed, strict, bounded."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from capitolato.italian import FILTERS
from capitolato.sandbox_bounds import bounded_filters, check_method_call, check_printf

MAX_OUTPUT_CHARS = 2_000_000
MAX_SECONDS = 5.0
MAX_INTEGER_BITS = 10_000


class TemplateFailure(Exception):
    """A template could not be rendered; `reason` is Italian and names the missing value when there is one."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        self.reason = reason
        self.line = line
        super().__init__(reason)


class _TimeUp(BaseException):
    """Raised by the alarm inside a template that computes without writing; BaseException so nothing swallows it."""


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The sandbox, plus a check on what builds a huge value in one step: `'x' * 10**9`, `'%09999999d' % 1`,
    `'x'.ljust(10**9)` (capitolato.sandbox_bounds; intercepted operators are never folded at compile time)."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            _check_repetition(left, right)
        elif operator == "%":
            check_printf(left)
        else:
            _check_power(left, right)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja's signature)
        check_method_call(__obj, args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)


def _check_repetition(left: Any, right: Any) -> None:
    for sequence, count in ((left, right), (right, left)):
        repeated = isinstance(sequence, (str, list, tuple)) and isinstance(count, int)
        if repeated and len(sequence) * count > MAX_OUTPUT_CHARS:
            raise SecurityError(f"valore troppo grande: oltre {MAX_OUTPUT_CHARS} elementi")
    if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > MAX_INTEGER_BITS:
        raise SecurityError("numero troppo grande")


def _check_power(base: Any, exponent: Any) -> None:
    if isinstance(base, int) and isinstance(exponent, int) and base.bit_length() * exponent > MAX_INTEGER_BITS:
        raise SecurityError("numero troppo grande")


class Structure(str):
    """Markup the tool itself emits through an expression (a table, a cross-reference): never escaped."""


def make_environment(finalize: Callable[[Any], Any] | None = None) -> ImmutableSandboxedEnvironment:
    """Sandboxed (no Python internals, no mutation) and strict (no silent empty strings)."""
    env = BoundedSandbox(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True,
                         trim_blocks=True, lstrip_blocks=True, finalize=finalize)
    env.filters.update(FILTERS)
    bounded_filters(env.filters)
    env.globals.pop("lipsum", None)
    return env


def _literal_markdown(value: Any) -> Any:
    """Every value an expression prints becomes Markdown that reads back as exactly its text."""
    if isinstance(value, Structure) or value is None:
        return value
    from capitolato.document.values import literal

    return literal(value)


ENVIRONMENT = make_environment()
MARKDOWN_ENVIRONMENT = make_environment(_literal_markdown)


def render_source(source: str, context: Mapping[str, Any], *, name: str = "<testo>", markdown: bool = False) -> str:
    """Compile and render a template string within the output and time bounds.

    With `markdown`, the template is a Markdown document and every expression prints literal text: the values of the
    spec are data, only the template's (or the clause's) own text is markup.
    """
    try:
        template = _compile(source, markdown)
    except TemplateError as exc:
        raise TemplateFailure(f"sintassi del modello non valida: {exc.message}", getattr(exc, "lineno", None)) from None
    return _bounded(template.generate(**context), name)


@lru_cache(maxsize=1024)
def _compile(source: str, markdown: bool) -> Template:
    """Compiled once per process (check and build render the same clause texts), and across runs the compiled code
    comes from the disk cache (what `Environment.from_string` does, with the code object stored)."""
    from capitolato.library.cache import cached_code

    env = MARKDOWN_ENVIRONMENT if markdown else ENVIRONMENT
    code = cached_code(lambda: _code_key(env, source, markdown), lambda: env.compile(source))
    return env.template_class.from_code(env, code, env.make_globals(None), None)


def _code_key(env: ImmutableSandboxedEnvironment, source: str, markdown: bool) -> str:
    """Everything the compiled code depends on: the versions of the tool, Python (bytecode) and Jinja, the settings
    and names the compiler bakes in (filters and tests are checked when compiling), and the text itself."""
    import hashlib

    digest = hashlib.sha256(_settings_key(env, markdown).encode())
    digest.update(source.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


@lru_cache(maxsize=2)
def _settings_key(env: ImmutableSandboxedEnvironment, markdown: bool) -> str:
    import jinja2
    from importlib.util import MAGIC_NUMBER

    from capitolato import __version__

    settings = (markdown, env.trim_blocks, env.lstrip_blocks, env.keep_trailing_newline, env.autoescape,
                sorted(env.intercepted_binops), sorted(env.intercepted_unops), sorted(env.filters), sorted(env.tests))
    return f"{__version__}|{MAGIC_NUMBER.hex()}|{jinja2.__version__}|{settings!r}|"


def _bounded(chunks: Any, name: str) -> str:
    started = time.monotonic()
    parts: list[str] = []
    size = 0
    try:
        with _deadline(MAX_SECONDS):
            for chunk in chunks:
                size += len(chunk)
                parts.append(chunk)
                if size > MAX_OUTPUT_CHARS:
                    raise TemplateFailure(f"il testo generato supera {MAX_OUTPUT_CHARS} caratteri")
                if time.monotonic() - started > MAX_SECONDS:
                    raise _TimeUp
    except _TimeUp:
        raise TemplateFailure(f"la generazione del testo supera {MAX_SECONDS:g} secondi") from None
    except MemoryError:
        raise TemplateFailure("il testo generato non entra in memoria") from None
    except UndefinedError as exc:
        raise TemplateFailure(_undefined_message(exc), _template_line(exc)) from None
    except SecurityError as exc:
        raise TemplateFailure(f"operazione non consentita nel modello ({exc})", _template_line(exc)) from None
    except RecursionError:
        raise TemplateFailure("ricorsione infinita nel modello") from None
    except (TemplateError, TypeError, ValueError, ArithmeticError, LookupError) as exc:
        raise TemplateFailure(f"errore nel modello: {exc}", _template_line(exc)) from None
    return "".join(parts)


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Interrupt a template that loops without writing (the checks between chunks never run then).

    Only the main thread receives alarms; elsewhere the checks between chunks remain the bound. A timer already
    running (a test runner's) is put back afterwards.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    armed = True

    def expire(signum: int, frame: Any) -> None:
        if armed:
            raise _TimeUp

    previous_handler = signal.signal(signal.SIGALRM, expire)
    previous_delay, previous_interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.monotonic()
    try:
        yield
    finally:
        armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_delay:
            signal.setitimer(signal.ITIMER_REAL, max(previous_delay - (time.monotonic() - started), 0.001),
                             previous_interval)


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
