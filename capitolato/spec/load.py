"""`load_spec`: from a path to a validated Spec, or a SpecError listing every located problem."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from capitolato.errors import CapitolatoError, Problem, ProblemList, SpecError, single, warn
from capitolato.fsutil import project_root
from capitolato.library.bind import bind_uses
from capitolato.library.fact import SpecFacts
from capitolato.library.load import load_library
from capitolato.model.tender import Award, AwardMethod, ClauseUse, Criterion, Spec
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
    source = spec.source.path if spec.source is not None else None
    folders = _library_folders(spec.library, source, extra)
    if folders and isinstance(spec.library, str) and spec.library and spec.source is not None:
        _warn_if_outside(spec, folders[0])
    return folders


def _warn_if_outside(spec: Spec, folder: Path) -> None:
    """A library is a folder the officer names on purpose: one outside the project is said out loud."""
    root = project_root(spec.source.path)
    if not folder.is_relative_to(root):
        warn(spec.source.locate(("libreria",)), f"la libreria «{spec.library}» è fuori dal progetto ({root}): "
                                                 "le sue clausole entrano nei documenti",
             "usarla solo se è la libreria dell'ente scelta di proposito")


def _library_folders(library: object, spec_path: Path | None, extra: Sequence[Path | str]) -> list[Path]:
    folders = [(spec_path.parent / library).resolve()] if isinstance(library, str) and library and spec_path else []
    return folders + [Path(f) for f in extra]


def validate_document(document: YamlDocument, libraries: Sequence[Path | str] = ()) -> Spec:
    """Structure, consistency, clause ids and clause values, all reported in one pass.

    When the structure is wrong the clauses are still checked, from the entries of `clausole` that can be read.
    """
    if not isinstance(document.data, dict):
        raise single(SpecError, document.path, "il file deve contenere una sezione di chiavi (chiave: valore)", 1, 1)
    problems = ProblemList()
    try:
        spec: Spec | None = Spec.model_validate(document.data)
    except ValidationError as exc:
        spec = None
        problems.problems.extend(translate(exc, document, Spec))
    if spec is not None:
        spec._source = document
        _check_consistency(spec, document, problems)
        uses, facts, folders = list(enumerate(spec.clauses)), SpecFacts.of(spec), spec_libraries(spec, libraries)
    else:
        uses, facts = _readable_uses(document.data.get("clausole")), SpecFacts.raw(document)
        folders = _library_folders(document.data.get("libreria"), document.path, libraries)
    if uses:
        problems.problems.extend(_bound(uses, folders, document, facts, tolerant=spec is None))
    problems.raise_if_any(SpecError)
    assert spec is not None
    return spec


def _readable_uses(entries: object) -> list[tuple[int, ClauseUse]]:
    """The entries of `clausole` that are well formed on their own (the others already have their problem)."""
    if not isinstance(entries, list):
        return []
    uses = []
    for index, entry in enumerate(entries):
        try:
            uses.append((index, ClauseUse.model_validate(entry)))
        except ValidationError:
            continue
    return uses


def _bound(uses: list[tuple[int, ClauseUse]], folders: list[Path], document: YamlDocument, facts: SpecFacts,
           tolerant: bool) -> list[Problem]:
    """Clause problems; with a spec that did not validate, a library that cannot be read is one more problem."""
    try:
        library = load_library(folders)
    except CapitolatoError as exc:
        if not tolerant:
            raise
        return list(exc.problems)
    return bind_uses(uses, library, document, facts)


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
        _fixed_price_amount(spec.award, document, problems)
        _unique_criteria(spec.award.criteria, ("aggiudicazione", "criteri"), document, problems, {})


def _fixed_price_amount(award: Award, document: YamlDocument, problems: ProblemList) -> None:
    """The price every bidder accepts must be stated: documents print it, and there is no other place for it."""
    if award.method is AwardMethod.FIXED_PRICE and award.fixed_amount is None:
        problems.add(document.locate(("aggiudicazione", "criterio")),
                     "con il criterio prezzo-fisso manca l'importo fisso",
                     hint="indicare aggiudicazione.importo_fisso (importo IVA esclusa)")


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
