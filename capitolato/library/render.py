"""Renders a clause text with its parameters and the spec, in the sandbox, never leaving a blank."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from capitolato.errors import Location, Problem, RenderError
from capitolato.library.model import Clause, documents
from capitolato.library.phrases import Phrases
from capitolato.model.facts import derive
from capitolato.model.tender import Spec
from capitolato.templating import TemplateFailure, render_source

SPEC_SECTIONS = tuple(field.alias or name for name, field in Spec.model_fields.items())
SPEC_NAMESPACES = (*SPEC_SECTIONS, "derivati", "frasi")
CONTEXT_NAMES = frozenset({*SPEC_NAMESPACES, "rif"})


def spec_context(spec: Spec) -> dict[str, Any]:
    """The spec as clause texts see it: every top-level section under its Italian key, plus the derived facts.

    The sections come from the model, so a section added to `Spec` reaches the clause texts without a change here.
    """
    data = spec.model_dump(by_alias=True, mode="python")
    context: dict[str, Any] = {**{key: data.get(key) for key in SPEC_SECTIONS},
                               "derivati": derive(spec).as_template_context()}
    context["frasi"] = Phrases(context)
    return context


def section_title_reference(document: str) -> Callable[..., str]:
    """`rif()` outside a numbered document: the article is named by its title."""
    catalogue = documents()
    sections = catalogue.get(document, {}).get("sezioni", {})

    def refer(section: str, document: str | None = None) -> str:
        if document is not None:
            entry = catalogue.get(document, {})
            if section not in entry.get("sezioni", {}):
                raise ValueError(f"sezione «{section}» inesistente in «{document}»")
            return f"l'articolo «{entry['sezioni'][section]}» {entry['rinvio']}"
        title = sections.get(section)
        if title is not None:
            return f"l'articolo «{title}»"
        for other, entry in catalogue.items():
            if section in entry.get("sezioni", {}):
                return f"l'articolo «{entry['sezioni'][section]}» {entry['rinvio']}"
        raise ValueError(f"sezione «{section}» inesistente")

    return refer


def render_clause(clause: Clause, params: dict[str, Any], spec: Spec, refer: Callable[..., str] | None = None,
                  context: dict[str, Any] | None = None, *, markdown: bool = False) -> str:
    """The clause's text (with `markdown`, Markdown whose printed values are literal); a missing value is a
    RenderError naming the clause and the value."""
    values = {**(context if context is not None else spec_context(spec)), **params}
    values["rif"] = refer or section_title_reference(clause.placement.document.value)
    try:
        return render_source(clause.text, values, name=clause.id, markdown=markdown).strip() + "\n"
    except TemplateFailure as exc:
        raise RenderError([Problem(_where(clause, exc.line), f"clausola «{clause.id}»: {exc.reason}")]) from None


def _where(clause: Clause, template_line: int | None) -> Location:
    """The clause file line: the `testo` key's line plus the template's own line."""
    path = str(clause.path) if clause.path else clause.id
    if clause.source is None:
        return Location(path)
    start = clause.source.locate(("testo",))
    offset = template_line if template_line else 0
    return Location(path, start.line + offset, 1 if offset else start.column)
