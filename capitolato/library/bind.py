"""Checks the clauses a spec chooses against the library, fills parameter defaults and reads the bound facts."""

from __future__ import annotations

import datetime as dt
import difflib
import math
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from capitolato.errors import Location, Problem
from capitolato.italian import NumberFormatError, parse_amount, parse_percent
from capitolato.library.fact import UNKNOWN, SpecFacts
from capitolato.library.load import Library
from capitolato.library.model import Clause, Parameter, ParameterType
from capitolato.model.tender import MAX_MONEY, ClauseUse, Spec
from capitolato.spec.yamlsource import YamlDocument

Locate = Callable[..., Location]


class ParameterValueError(ValueError):
    """A parameter value of the wrong type or out of range; the message is Italian."""


def bind_clauses(spec: Spec, library: Library) -> list[Problem]:
    """Validate every chosen clause and replace its parameters with the complete, typed values."""
    return bind_uses(list(enumerate(spec.clauses)), library, spec.source, SpecFacts.of(spec))


def bind_uses(uses: Sequence[tuple[int, ClauseUse]], library: Library, document: YamlDocument | None,
              facts: SpecFacts) -> list[Problem]:
    """Bind each (position in `clausole`, use); also runs on the readable entries of a spec that did not validate."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, use in uses:
        base = ("clausole", index)
        clause = library.get(use.id)
        if clause is None:
            problems.append(Problem(_locate(document, (*base, "id")), _unknown_clause(library, use.id)))
            continue
        if use.id in seen:
            problems.append(Problem(_locate(document, (*base, "id")), f"la clausola «{use.id}» è già inclusa"))
        seen.add(use.id)
        bound, found = bind_parameters(clause, use.parameters,
                                       lambda path, key=False, base=base: _locate(document, (*base, *path), key),
                                       facts)
        problems += found
        use.parameters = bound
    return problems


def _locate(document: YamlDocument | None, path: tuple, key: bool = False) -> Location:
    if document is None:
        return Location("<spec>")
    return document.locate(path, key=key)


def _unknown_clause(library: Library, clause_id: str) -> str:
    suggestion = library.suggest(clause_id)
    message = f"clausola sconosciuta «{clause_id}»"
    if suggestion:
        message += f": forse intendevi «{suggestion}»?"
    return message + " (elenco: capitolato clauses list)"


def bind_parameters(clause: Clause, given: dict[str, Any], locate: Locate,
                    facts: SpecFacts) -> tuple[dict[str, Any], list[Problem]]:
    """Given values checked and typed, facts read from the spec, defaults filled; `locate(path, key)` places each
    problem in the spec."""
    problems: list[Problem] = []
    bound: dict[str, Any] = {}
    for name in given:
        if name not in clause.parameters:
            problems.append(Problem(locate(("parametri", name), True), _unknown_parameter(clause, name)))
    for name, parameter in clause.parameters.items():
        if parameter.fact is not None:
            bound[name], found = _bind_fact(clause, name, parameter, given, locate, facts)
        else:
            bound[name], found = _bind_value(clause, name, parameter, given, locate)
        problems += found
    return bound, problems


def _bind_value(clause: Clause, name: str, parameter: Parameter, given: dict[str, Any],
                locate: Locate) -> tuple[Any, list[Problem]]:
    if name in given:
        try:
            return coerce(parameter, given[name]), []
        except ParameterValueError as exc:
            return None, [Problem(locate(("parametri", name)), f"parametro «{name}» della clausola «{clause.id}»: {exc}")]
    if parameter.required:
        return None, [Problem(locate(("parametri",), True) if given else locate(("id",)),
                              f"manca il parametro obbligatorio «{name}» della clausola «{clause.id}» "
                              f"({parameter.description})")]
    return _default(clause, name, parameter, locate)


def _default(clause: Clause, name: str, parameter: Parameter, locate: Locate) -> tuple[Any, list[Problem]]:
    try:
        return default_value(parameter), []
    except ParameterValueError as exc:
        return None, [Problem(locate(()), f"default non valido del parametro «{name}» nella clausola "
                                          f"«{clause.id}» ({clause.path}): {exc}")]


def _bind_fact(clause: Clause, name: str, parameter: Parameter, given: dict[str, Any], locate: Locate,
               facts: SpecFacts) -> tuple[Any, list[Problem]]:
    """The spec's value; a clause use that restates it differently, or instead of the spec, is an error."""
    path = parameter.fact
    assert path is not None
    fact = facts.get(path)
    if fact is UNKNOWN:
        return None, []
    stated, problems = _fact_value(clause, name, parameter, fact, facts)
    if problems and not facts.complete:
        return None, []  # a spec that did not validate: its own error already points at the value
    if name in given:
        return stated, problems + _restated(clause, name, parameter, given[name], stated, locate, facts)
    if stated is not None:
        return stated, problems
    if parameter.required:
        return None, problems + [Problem(facts.locate(path), f"manca {path}, che la clausola «{clause.id}» legge "
                                                             f"dallo spec ({parameter.description})")]
    value, found = _default(clause, name, parameter, locate)
    return value, problems + found


def _fact_value(clause: Clause, name: str, parameter: Parameter, fact: Any,
                facts: SpecFacts) -> tuple[Any, list[Problem]]:
    if fact is None:
        return None, []
    try:
        return coerce(parameter, fact), []
    except ParameterValueError as exc:
        return None, [Problem(facts.locate(parameter.fact or ""),
                              f"{parameter.fact}: valore non accettato dalla clausola «{clause.id}» "
                              f"(parametro «{name}»): {exc}")]


def _restated(clause: Clause, name: str, parameter: Parameter, value: Any, stated: Any, locate: Locate,
              facts: SpecFacts) -> list[Problem]:
    """Same value: only redundant (rule FAT001 says so). Otherwise an error showing both places."""
    path = parameter.fact
    where = locate(("parametri", name))
    try:
        mine = coerce(parameter, value)
    except ParameterValueError:
        mine = value
    if stated is None:
        return [Problem(where, f"parametro rimosso: il valore si indica in {path}, non nel parametro «{name}» "
                               f"della clausola «{clause.id}»", hint=f"scrivere {path}: {show(mine)} e togliere il parametro")]
    if mine == stated:
        return []
    return [Problem(where, f"il parametro «{name}» della clausola «{clause.id}» vale {show(mine)}, ma {path} vale "
                           f"{show(stated)} ({facts.locate(path)}): il valore si indica una sola volta, in {path}",
                    hint="togliere il parametro dalla clausola")]


def show(value: Any) -> str:
    """A value as the user wrote it, for messages."""
    if isinstance(value, list):
        return "[" + ", ".join(show(item) for item in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"«{value}»"
    return str(value)


def default_value(parameter: Parameter) -> Any:
    """The typed default; an empty default means "not given" (None), which texts test with `{% if %}`."""
    if parameter.default is None or parameter.default == "":
        return None
    return coerce(parameter, parameter.default)


def _unknown_parameter(clause: Clause, name: str) -> str:
    message = f"la clausola «{clause.id}» non ha il parametro «{name}»"
    suggestion = difflib.get_close_matches(name, list(clause.parameters), n=1, cutoff=0.6)
    if suggestion:
        return message + f": forse intendevi «{suggestion[0]}»?"
    return message + f" (parametri: {', '.join(clause.parameters) or 'nessuno'})"


def coerce(parameter: Parameter, value: Any) -> Any:
    """The typed value of a parameter, or ParameterValueError with an Italian reason."""
    converter = _CONVERTERS[parameter.kind]
    result = converter(parameter, value)
    _check_range(parameter, result)
    return result


def _text(_: Parameter, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ParameterValueError("atteso un testo non vuoto")
    return value.strip()


def _integer(_: Parameter, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ParameterValueError(f"atteso un numero intero, trovato «{value}»")
    return value


def _decimal(_: Parameter, value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise ParameterValueError(f"atteso un numero, trovato «{value}»")
    if isinstance(value, float) and not math.isfinite(value):
        raise ParameterValueError("atteso un numero finito")
    return Decimal(str(value))


def _italian(parse: Callable[[Any], Decimal], value: Any) -> Decimal:
    """Numbers written the Italian way («1.350.000,00», «12,5») read by the one shared parser."""
    try:
        number = parse(value)
    except NumberFormatError as exc:
        raise ParameterValueError(str(exc)) from None
    if not number.is_finite():
        raise ParameterValueError("atteso un numero finito")
    return number


def _percent(parameter: Parameter, value: Any) -> Decimal:
    number = _italian(parse_percent, value)
    if not Decimal(0) <= number <= Decimal(100):
        raise ParameterValueError(f"una percentuale va da 0 a 100, trovato {value}")
    return number


def _money(parameter: Parameter, value: Any) -> Decimal:
    """Rounded to the cent; the ceiling is the spec's own, and keeps rounding within the decimal precision."""
    number = _italian(parse_amount, value)
    if number < 0:
        raise ParameterValueError("un importo non può essere negativo")
    if number > MAX_MONEY:
        raise ParameterValueError(f"importo fuori misura: il massimo è {MAX_MONEY:,.0f}".replace(",", "."))
    return number.quantize(Decimal("0.01"))


def _date(_: Parameter, value: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    raise ParameterValueError(f"attesa una data (AAAA-MM-GG), trovato «{value}»")


def _list(_: Parameter, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise ParameterValueError("atteso un elenco di testi")
    return [item.strip() for item in value]


def _choice(parameter: Parameter, value: Any) -> Any:
    if isinstance(value, bool) or value not in parameter.choices:
        names = [str(choice) for choice in parameter.choices]
        suggestion = difflib.get_close_matches(str(value), names, n=1, cutoff=0.6)
        hint = f" forse intendevi «{suggestion[0]}»?" if suggestion else ""
        raise ParameterValueError(f"valore «{value}» non ammesso;{hint} valori ammessi: {', '.join(names)}")
    return value


def _boolean(_: Parameter, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ParameterValueError(f"atteso vero o falso (true/false), trovato «{value}»")
    return value


_CONVERTERS = {
    ParameterType.TEXT: _text, ParameterType.INTEGER: _integer, ParameterType.DECIMAL: _decimal,
    ParameterType.PERCENT: _percent, ParameterType.MONEY: _money, ParameterType.DATE: _date,
    ParameterType.LIST: _list, ParameterType.CHOICE: _choice, ParameterType.BOOLEAN: _boolean,
}


def _check_range(parameter: Parameter, value: Any) -> None:
    if not isinstance(value, (int, Decimal)) or isinstance(value, bool):
        return
    if parameter.minimum is not None and value < Decimal(str(parameter.minimum)):
        raise ParameterValueError(f"il valore {value} è sotto il minimo ammesso ({_fmt(parameter.minimum)})")
    if parameter.maximum is not None and value > Decimal(str(parameter.maximum)):
        raise ParameterValueError(f"il valore {value} supera il massimo ammesso ({_fmt(parameter.maximum)})")


def _fmt(number: float) -> str:
    return f"{number:g}".replace(".", ",")
