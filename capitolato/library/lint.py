"""`clauses lint`: what makes a library trustworthy before an officer relies on it."""

from __future__ import annotations

from pathlib import Path

from jinja2 import TemplateSyntaxError, meta

from capitolato.errors import Location, Problem, ProblemList
from capitolato.library.bind import ParameterValueError, default_value
from capitolato.library.fact import fact_path_problem
from capitolato.library.load import load_folder
from capitolato.library.model import Clause, ParameterType, documents
from capitolato.library.render import CONTEXT_NAMES
from capitolato.model import law
from capitolato.templating import ENVIRONMENT


def lint_folder(folder: Path, known_ids: frozenset[str] = frozenset()) -> list[Problem]:
    """Every problem of a library folder; `known_ids` are ids of other libraries it may point at."""
    problems = ProblemList()
    clauses = load_folder(folder, problems)
    ids = known_ids | {clause.id for clause in clauses}
    for clause in clauses:
        problems.problems.extend(lint_clause(clause, ids))
    return sorted(problems.problems, key=lambda p: p.location)


def lint_clause(clause: Clause, ids: frozenset[str] | set[str]) -> list[Problem]:
    return [*_placement(clause), *_references(clause, ids), *_parameters(clause), *_law_values(clause),
            *_template(clause), *_satisfied_rules(clause)]


def _satisfied_rules(clause: Clause) -> list[Problem]:
    """Every `soddisfa` code must be a rule of `capitolato check`, or the link is a typo."""
    from capitolato.rules.registry import all_rules

    known = all_rules()
    return [Problem(_at(clause, "soddisfa", index), f"«soddisfa» indica una regola inesistente: «{code}» "
                                                    "(elenco: capitolato rules list)")
            for index, code in enumerate(clause.satisfies) if code not in known]


def _at(clause: Clause, *path: str | int, key: bool = False) -> Location:
    if clause.source is None:
        return Location(str(clause.path or clause.id))
    return clause.source.locate(path, key=key)


def _placement(clause: Clause) -> list[Problem]:
    document = clause.placement.document.value
    sections = documents()[document]["sezioni"]
    if clause.placement.section in sections:
        return []
    return [Problem(_at(clause, "collocazione", "sezione"),
                    f"sezione «{clause.placement.section}» inesistente nel documento «{document}» "
                    f"(sezioni: {', '.join(sections)})")]


def _references(clause: Clause, ids: frozenset[str] | set[str]) -> list[Problem]:
    problems = []
    for relation in ("richiede", "esclude"):
        targets = getattr(clause.applicability, "requires" if relation == "richiede" else "excludes")
        for index, target in enumerate(targets):
            if target == clause.id or target not in ids:
                reason = "la clausola stessa" if target == clause.id else "una clausola inesistente"
                problems.append(Problem(_at(clause, "applicabilita", relation, index),
                                        f"«{relation}» indica {reason}: «{target}»"))
    return problems


def _parameters(clause: Clause) -> list[Problem]:
    problems = []
    for name, parameter in clause.parameters.items():
        reason = fact_path_problem(parameter.fact) if parameter.fact else None
        if reason:
            problems.append(Problem(_at(clause, "parametri", name, "fatto"), f"il parametro «{name}» è legato a {reason}"))
        if parameter.kind is ParameterType.CHOICE and not parameter.choices:
            problems.append(Problem(_at(clause, "parametri", name, "tipo"),
                                    f"il parametro «{name}» è una scelta senza «scelte»"))
        if parameter.law and parameter.law not in law.keys():
            problems.append(Problem(_at(clause, "parametri", name, "legge"),
                                    f"il parametro «{name}» rinvia a un valore di legge sconosciuto «{parameter.law}»"))
        if parameter.required:
            continue
        try:
            default_value(parameter)
        except ParameterValueError as exc:
            problems.append(Problem(_at(clause, "parametri", name, "default"),
                                    f"default del parametro «{name}» non valido: {exc}"))
    return problems


def _law_values(clause: Clause) -> list[Problem]:
    return [Problem(_at(clause, "valori_legge", index), f"valore di legge sconosciuto «{key}»")
            for index, key in enumerate(clause.law_values) if key not in law.keys()]


def _template(clause: Clause) -> list[Problem]:
    try:
        tree = ENVIRONMENT.parse(clause.text)
    except TemplateSyntaxError as exc:
        start = _at(clause, "testo")
        return [Problem(Location(start.file, start.line + (exc.lineno or 0), 1),
                        f"sintassi Jinja non valida nel testo: {exc.message}")]
    used = meta.find_undeclared_variables(tree)
    declared = set(clause.parameters)
    problems = [Problem(_at(clause, "testo"),
                        f"il testo usa «{name}», che non è un parametro dichiarato né un dato dello spec "
                        f"({', '.join(sorted(CONTEXT_NAMES))})")
                for name in sorted(used - declared - CONTEXT_NAMES)]
    bound = {name for name, parameter in clause.parameters.items() if parameter.fact}
    problems += [Problem(_at(clause, "parametri", name, key=True), f"il parametro «{name}» non è usato nel testo")
                 for name in declared - used - bound]
    return problems

