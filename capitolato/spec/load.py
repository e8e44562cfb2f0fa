"""`load_spec`: from a path to a validated Spec, or a SpecError listing every located problem."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from capitolato.errors import ProblemList, SpecError, single
from capitolato.library.bind import bind_clauses
from capitolato.library.load import load_library
from capitolato.model.tender import Criterion, Spec
from capitolato.spec.validate import translate
from capitolato.spec.yamlsource import NodePath, YamlDocument, load_yaml

SPEC_FILE_NAME = "capitolato.yaml"


def resolve_spec_path(path: Path | str) -> Path:
    """A spec file, or the capitolato.yaml inside a folder."""
    candidate = Path(path)
    if candidate.is_dir():
        inside = candidate / SPEC_FILE_NAME
        if not inside.is_file():
            raise single(SpecError, candidate, f"la cartella non contiene {SPEC_FILE_NAME}")
        return inside
    return candidate


def load_spec(path: Path | str, *, libraries: Sequence[Path | str] = ()) -> Spec:
    """Load and validate a tender spec and its clauses; all problems are reported at once.

    `libraries` are an ente's clause folders, added after the shipped library and the spec's own `libreria`.
    """
    document = load_yaml(resolve_spec_path(path))
    return validate_document(document, libraries)


def spec_libraries(spec: Spec, extra: Sequence[Path | str] = ()) -> list[Path]:
    """The ente's clause folders: the spec's `libreria` (relative to the spec) then the command line's."""
    folders = []
    if spec.library and spec.source is not None:
        folders.append((spec.source.path.parent / spec.library).resolve())
    return folders + [Path(f) for f in extra]


def validate_document(document: YamlDocument, libraries: Sequence[Path | str] = ()) -> Spec:
    if not isinstance(document.data, dict):
        raise single(SpecError, document.path, "il file deve contenere una sezione di chiavi (chiave: valore)", 1, 1)
    try:
        spec = Spec.model_validate(document.data)
    except ValidationError as exc:
        raise SpecError(sorted(translate(exc, document, Spec), key=lambda p: p.location)) from None
    spec._source = document
    problems = ProblemList()
    _check_consistency(spec, document, problems)
    if spec.clauses:
        library = load_library(spec_libraries(spec, libraries))
        problems.problems.extend(bind_clauses(spec, library))
    problems.raise_if_any(SpecError)
    return spec


def _check_consistency(spec: Spec, document: YamlDocument, problems: ProblemList) -> None:
    """Cross-field facts a schema cannot say; each is a located problem."""
    amounts = spec.amounts
    labour, safety = amounts.labour_cost or 0, amounts.safety_costs or 0
    if labour + safety > amounts.base_amount:
        problems.add(document.locate(("importi", "manodopera")),
                     "costi della manodopera e oneri della sicurezza superano l'importo a base di gara")
    _unique_codes(document, problems, "strategie", [s.code for s in spec.strategies])
    if spec.impact:
        _unique_codes(document, problems, ("valutazione_impatto", "indicatori"),
                      [i.code for i in spec.impact.indicators])
        _indicator_links(spec, document, problems)
    if spec.award:
        _unique_criteria(spec.award.criteria, ("aggiudicazione", "criteri"), document, problems, {})


def _unique_codes(document: YamlDocument, problems: ProblemList, section: str | NodePath, codes: list[str]) -> None:
    base = (section,) if isinstance(section, str) else section
    seen: set[str] = set()
    for index, code in enumerate(codes):
        if code in seen:
            problems.add(document.locate((*base, index, "codice")), f"codice «{code}» ripetuto: i codici devono essere unici")
        seen.add(code)


def _indicator_links(spec: Spec, document: YamlDocument, problems: ProblemList) -> None:
    targets = {"obiettivo", *(s.code for s in spec.strategies)}
    assert spec.impact is not None
    for index, indicator in enumerate(spec.impact.indicators):
        for position, ref in enumerate(indicator.measures):
            if ref not in targets:
                problems.add(document.locate(("valutazione_impatto", "indicatori", index, "misura_di", position)),
                             f"«{ref}» non è «obiettivo» né il codice di una strategia "
                             f"(ammessi: {', '.join(sorted(targets))})")


def _unique_criteria(criteria: list[Criterion], base: NodePath, document: YamlDocument, problems: ProblemList,
                     seen: dict[str, NodePath]) -> None:
    """Criterion codes are unique across the whole tree (positions are looked up only for a repeat)."""
    for index, criterion in enumerate(criteria):
        node = (*base, index, "codice")
        if criterion.code in seen:
            problems.add(document.locate(node), f"codice di criterio «{criterion.code}» ripetuto "
                                                f"(già usato in {document.locate(seen[criterion.code])})")
        seen.setdefault(criterion.code, node)
        _unique_criteria(criterion.subcriteria, (*base, index, "sottocriteri"), document, problems, seen)
