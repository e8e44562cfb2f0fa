"""Bounds on the few Jinja operations that build a huge string in one step from a tiny template.

Jinja folds constant expressions at compile time (`'%0999999999d'|format(1)` runs while compiling, before any
limit on the output can look at it) and a method call such as `'x'.ljust(10**9)` allocates its result at once.
So the size is checked on the arguments, before the work: a field width, a padding, a repetition. Used by the
sandbox in capitolato.templating for filters, `%` and method calls alike; a refusal is a SecurityError, which the
compile-time folding turns into a runtime error the render reports in Italian.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, MutableMapping
from typing import Any

from jinja2.sandbox import SecurityError

MAX_FIELD_WIDTH = 10_000
MAX_RESULT_CHARS = 2_000_000
_PRINTF_FIELD = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?[a-zA-Z%]")
_DIGITS = re.compile(r"\d+")
_PADDING_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})
_FORMAT_METHODS = frozenset({"format", "format_map"})


def _too_wide(number: int) -> SecurityError:
    return SecurityError(f"larghezza di campo troppo grande ({number}; massimo {MAX_FIELD_WIDTH})")


def check_printf(template: Any) -> None:
    """`'%09999d' % x` and `|format`: every width and precision is a literal no larger than MAX_FIELD_WIDTH."""
    if not isinstance(template, str):
        return
    for match in _PRINTF_FIELD.finditer(template):
        for part in match.groups():
            if part == "*":
                raise SecurityError("larghezza di campo variabile («*») non consentita")
            if part is not None and int(part) > MAX_FIELD_WIDTH:
                raise _too_wide(int(part))


def check_format_string(template: str) -> None:
    """`'{:>99999}'.format(x)`: the same bound on every format specification, nested fields refused."""
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError:
        return
    for _, _, spec, _ in fields:
        if not spec:
            continue
        if "{" in spec:
            raise SecurityError("larghezza di campo variabile non consentita")
        for digits in _DIGITS.findall(spec):
            if int(digits) > MAX_FIELD_WIDTH:
                raise _too_wide(int(digits))


def check_width(width: Any) -> None:
    if isinstance(width, int) and not isinstance(width, bool) and width > MAX_FIELD_WIDTH:
        raise _too_wide(width)
    if isinstance(width, str) and len(width) > MAX_FIELD_WIDTH:
        raise _too_wide(len(width))


def check_replace(value: Any, old: Any, new: Any, count: Any = -1) -> None:
    """`replace` can multiply a text: the result's size is known from the arguments."""
    if not all(isinstance(item, str) for item in (value, old, new)):
        return
    occurrences = value.count(old) if old else len(value) + 1
    if isinstance(count, int) and count >= 0:
        occurrences = min(occurrences, count)
    if len(value) + occurrences * (len(new) - len(old)) > MAX_RESULT_CHARS:
        raise SecurityError(f"testo risultante troppo grande (oltre {MAX_RESULT_CHARS} caratteri)")


def check_method_call(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Method calls on strings that pad, expand or format are bounded like the matching filters."""
    obj = getattr(obj, "__wrapped__", obj)
    owner = getattr(obj, "__self__", None)
    name = getattr(obj, "__name__", "")
    if not isinstance(owner, str):
        return
    if name in _PADDING_METHODS:
        for width in (*args, *kwargs.values()):
            check_width(width)
    elif name in _FORMAT_METHODS:
        check_format_string(owner)
    elif name == "replace":
        check_replace(owner, *args[:3])


def bounded_filters(filters: MutableMapping[str, Callable[..., Any]]) -> None:
    """Replace, in place, the built-in filters that pad or format with versions that check their arguments first."""
    for name, check in (("format", _format_args), ("center", _width_args), ("indent", _width_args),
                        ("replace", _replace_args)):
        original = filters.get(name)
        if original is not None:
            filters[name] = _checked(original, check)


def _checked(original: Callable[..., Any], check: Callable[..., None]) -> Callable[..., Any]:
    def bounded(*args: Any, **kwargs: Any) -> Any:
        check(*args, **kwargs)
        return original(*args, **kwargs)

    for attribute in ("jinja_pass_arg",):
        if hasattr(original, attribute):
            setattr(bounded, attribute, getattr(original, attribute))
    bounded.__name__ = getattr(original, "__name__", "filtro")
    bounded.__doc__ = original.__doc__
    return bounded


def _format_args(value: Any, *args: Any, **kwargs: Any) -> None:
    check_printf(value)


def _width_args(*args: Any, **kwargs: Any) -> None:
    values = [item for item in args if not hasattr(item, "environment")]
    for width in (*values[1:], kwargs.get("width", 0)):
        check_width(width)


def _replace_args(*args: Any, **kwargs: Any) -> None:
    values = [item for item in args if not hasattr(item, "environment")]
    if len(values) >= 3:
        check_replace(*values[:4])
