"""Values to show a clause before a spec fills it: defaults, and visible placeholders for required ones."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from capitolato.library.bind import coerce, default_value
from capitolato.library.fact import SpecFacts
from capitolato.library.model import Clause, Parameter, ParameterType
from capitolato.model.tender import Spec
from capitolato.resources import data_path

DEMO_SPEC = ("examples", "melzo-servizi-persona", "capitolato.yaml")


def demo_spec() -> Spec:
    """The shipped Melzo example, used to show clause texts when no spec is given."""
    from capitolato.spec.load import load_spec

    return load_spec(data_path(*DEMO_SPEC))


def sample_parameters(clause: Clause, spec: Spec) -> dict[str, Any]:
    """Facts the clause reads from the spec, then defaults, then visible placeholders."""
    facts = SpecFacts.of(spec)
    values = {}
    for name, parameter in clause.parameters.items():
        fact = facts.get(parameter.fact) if parameter.fact else None
        if fact is not None:
            values[name] = coerce(parameter, fact)
        else:
            values[name] = _placeholder(name, parameter, spec) if parameter.required else default_value(parameter)
    return values


def _placeholder(name: str, parameter: Parameter, spec: Spec) -> Any:
    kind = parameter.kind
    if kind is ParameterType.LIST:
        return [f"[{name}]"]
    if kind is ParameterType.CHOICE:
        return parameter.choices[0]
    if kind is ParameterType.BOOLEAN:
        return True
    if kind is ParameterType.DATE:
        return spec.procedure.notice_date
    if kind in (ParameterType.INTEGER,):
        return int(parameter.minimum or 1)
    if kind in (ParameterType.DECIMAL, ParameterType.PERCENT, ParameterType.MONEY):
        return Decimal(str(parameter.minimum if parameter.minimum is not None else 1))
    return f"[{name}]"
