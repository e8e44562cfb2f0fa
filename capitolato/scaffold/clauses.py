"""Plans the clause entry `aggiungi-clausola` and `check --fix` write: which values, from where, what to review."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from capitolato.errors import Location, Problem
from capitolato.library.bind import ParameterValueError, coerce
from capitolato.library.fact import SpecFacts
from capitolato.library.load import Library
from capitolato.library.model import Clause, Parameter, ParameterType
from capitolato.model.tender import Spec
from capitolato.scaffold.editor import TO_FILL, ClauseEntry, EditError

TEXT_KINDS = (ParameterType.TEXT, ParameterType.LIST)
TRUE_WORDS, FALSE_WORDS = {"sì", "si", "vero"}, {"no", "falso"}

# Values a clause parameter repeats from the spec without a `fatto` binding yet: copying them is not a decision,
# so a fix may write them. Bound parameters (`fatto`) are never written: the clause reads the spec.
SPEC_VALUES: dict[tuple[str, str], Callable[[Spec], Any]] = {
    ("convenzione-381", "oggetto"): lambda s: s.procedure.subject,
    ("convenzione-381", "corrispettivo"): lambda s: s.amounts.base_amount,
}


def find_clause(library: Library, clause_id: str, file: str) -> Clause:
    clause = library.get(clause_id)
    if clause is None:
        suggestion = library.suggest(clause_id)
        hint = f"forse intendevi «{suggestion}»?" if suggestion else "elenco: capitolato clauses list"
        raise EditError([Problem(Location(file), f"clausola sconosciuta «{clause_id}»", hint)])
    return clause


def plan_entry(spec: Spec, library: Library, clause_id: str, given: Mapping[str, str], *, origin: str,
               file: str, placeholders: bool = True) -> ClauseEntry:
    """The entry to write, or EditError listing every reason it cannot be added as asked.

    Required values come from `given`, else from the spec (SPEC_VALUES); with `placeholders`, texts and lists
    left empty get a visible «DA COMPLETARE» value. Numbers, dates and choices are never invented. Parameters
    bound to a spec fact are not written: the fact must be in the spec.
    """
    clause = find_clause(library, clause_id, file)
    problems = _conflicts(spec, clause, file)
    values: dict[str, Any] = {}
    notes: dict[str, str] = {}
    for name in given:
        if name not in clause.parameters:
            close = difflib.get_close_matches(name, list(clause.parameters), n=1, cutoff=0.6)
            known = ", ".join(clause.parameters) or "nessuno"
            hint = f"forse intendevi «{close[0]}»?" if close else f"parametri: {known}"
            problems.append(Problem(Location(file), f"la clausola «{clause.id}» non ha il parametro «{name}»", hint))
    facts = SpecFacts.of(spec)
    for name, parameter in clause.parameters.items():
        if parameter.fact is not None:
            problems += _fact_problems(clause, name, parameter, given, facts, file)
            continue
        if name in given:
            try:
                values[name] = parse_value(parameter, given[name])
            except ParameterValueError as exc:
                problems.append(Problem(Location(file), f"parametro «{name}»: {exc}"))
            continue
        derived = SPEC_VALUES.get((clause.id, name), lambda _: None)(spec)
        if derived is not None:
            values[name] = yaml_ready(derived)
        elif not parameter.required:
            continue
        elif placeholders and parameter.kind in TEXT_KINDS:
            values[name] = [TO_FILL] if parameter.kind is ParameterType.LIST else TO_FILL
            notes[name] = parameter.description
        else:
            problems.append(Problem(Location(file), f"serve un valore per «{name}» ({parameter.description}; "
                                                    f"tipo {parameter.kind.value})", f"--set {name}=…"))
    if problems:
        raise EditError(problems)
    return ClauseEntry(clause.id, values, notes, origin)


def _fact_problems(clause: Clause, name: str, parameter: Parameter, given: Mapping[str, str], facts: SpecFacts,
                   file: str) -> list[Problem]:
    """A bound parameter is never written: a value for it goes in the spec, and a required fact must be there."""
    path = parameter.fact
    if name in given:
        return [Problem(Location(file), f"parametro rimosso: il valore si indica in {path}, non nel parametro «{name}» "
                                        f"della clausola «{clause.id}»", f"scrivere {path} nello spec")]
    if parameter.required and facts.get(path or "") is None:
        return [Problem(facts.locate(path or ""), f"la clausola «{clause.id}» legge {path}, che lo spec non indica "
                                                  f"({parameter.description})", f"indicare {path}")]
    return []


def _conflicts(spec: Spec, clause: Clause, file: str) -> list[Problem]:
    present = {use.id for use in spec.clauses}
    problems = []
    if clause.id in present:
        problems.append(Problem(Location(file), f"la clausola «{clause.id}» è già nello spec"))
    kinds = {kind.value for kind in clause.applicability.procedures}
    if kinds and spec.procedure.kind.value not in kinds:
        problems.append(Problem(Location(file), f"la clausola «{clause.id}» non si applica alla procedura "
                                                f"«{spec.procedure.kind.value}»",
                                f"procedure ammesse: {', '.join(sorted(kinds))}"))
    clashes = sorted(set(clause.applicability.excludes) & present)
    if clashes:
        problems.append(Problem(Location(file), f"la clausola «{clause.id}» è incompatibile con "
                                                f"{', '.join(f'«{c}»' for c in clashes)}"))
    return problems


def missing_requirements(spec: Spec, clause: Clause) -> list[str]:
    """Clauses this one needs (`richiede`) that the spec does not have yet."""
    present = {use.id for use in spec.clauses}
    return [required for required in clause.applicability.requires if required not in present]


def parse_value(parameter: Parameter, raw: str) -> Any:
    """A command-line value typed by the parameter's kind, checked by the library's own rules."""
    value = _typed(parameter, raw)
    coerce(parameter, value)
    return value


def _typed(parameter: Parameter, raw: str) -> Any:
    text = raw.strip()
    if parameter.kind is ParameterType.TEXT:
        return text
    if parameter.kind is ParameterType.BOOLEAN and text.lower() in TRUE_WORDS | FALSE_WORDS:
        return text.lower() in TRUE_WORDS
    if parameter.kind in (ParameterType.DECIMAL, ParameterType.PERCENT, ParameterType.MONEY) and "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        value = YAML(typ="safe").load(text) if text else None
    except YAMLError:
        raise ParameterValueError(f"valore «{raw}» non leggibile") from None
    if parameter.kind is ParameterType.LIST and isinstance(value, str):
        return [value]
    if parameter.kind is ParameterType.CHOICE and value not in parameter.choices:
        return text
    return value


def yaml_ready(value: Any) -> Any:
    """Spec values in a form the YAML writer can dump: Decimal as int or float, dates as dates."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (list, tuple)):
        return [yaml_ready(item) for item in value]
    if isinstance(value, (str, int, float, bool, dt.date)):
        return value
    return str(value)
