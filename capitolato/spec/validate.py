"""Turns pydantic's errors into Italian messages located at the user's line and column."""

from __future__ import annotations

import difflib
import types
import typing
from enum import Enum
from typing import Any

from pydantic import BaseModel, ValidationError

from capitolato.errors import Problem
from capitolato.spec.yamlsource import NodePath, YamlDocument

_TYPE_NAMES = {
    "string": "un testo", "int": "un numero intero", "float": "un numero", "decimal": "un numero",
    "bool": "vero o falso (true/false)", "date": "una data (AAAA-MM-GG)", "list": "un elenco",
    "dict": "una sezione (chiave: valore)", "model": "una sezione (chiave: valore)",
}

_MESSAGES: dict[str, str] = {
    "missing": "manca la chiave obbligatoria «{key}»",
    "greater_than_equal": "il valore deve essere maggiore o uguale a {ge}",
    "greater_than": "il valore deve essere maggiore di {gt}",
    "less_than_equal": "il valore deve essere minore o uguale a {le}",
    "less_than": "il valore deve essere minore di {lt}",
    "finite_number": "il valore deve essere un numero finito (non NaN né infinito)",
    "string_too_short": "il testo non può essere vuoto",
    "string_too_long": "testo troppo lungo (massimo {max_length} caratteri)",
    "too_short": "l'elenco deve avere almeno {min_length} elementi",
    "too_long": "l'elenco può avere al massimo {max_length} elementi",
    "decimal_max_places": "troppi decimali (massimo {decimal_places})",
    "date_from_datetime_inexact": "indicare solo la data, senza l'ora",
    "literal_error": "valore non ammesso: valori ammessi {expected}",
    "value_error": "{error}",
    "int_from_float": "il valore deve essere un numero intero",
    "union_tag_invalid": "valore non ammesso",
}

_PATTERN_MESSAGES = {
    "cpv": "codice CPV non valido: otto cifre, facoltativamente seguite da «-» e dalla cifra di controllo (es. 85310000-5)",
    "cig": "CIG non valido: 10 caratteri, cifre e lettere maiuscole (es. 9A1B2C3D4E)",
    "cup": "CUP non valido: 15 caratteri, lettera, 2 cifre, lettera, 11 cifre (es. E89F18000510007)",
    "regola": "codice di regola non valido: tre lettere maiuscole e tre cifre (es. AWD003) o una famiglia (es. AWD)",
    "seleziona": "codice di regola non valido: tre lettere maiuscole e tre cifre (es. AWD003) o una famiglia (es. AWD)",
    "ignora": "codice di regola non valido: tre lettere maiuscole e tre cifre (es. AWD003) o una famiglia (es. AWD)",
    "fatto": "percorso non valido: chiavi dello spec separate da punti (es. importi.manodopera)",
    "id": "id di clausola non valido: lettere minuscole, cifre e trattini (es. clausola-sociale-riassorbimento)",
}


def translate(error: ValidationError, document: YamlDocument, root: type[BaseModel]) -> list[Problem]:
    """One located Italian problem per pydantic error, deduplicated."""
    problems: dict[tuple[NodePath, str], Problem] = {}
    for item in error.errors(include_url=False):
        loc = tuple(part for part in item["loc"] if not _is_union_tag(part))
        problem = _problem(item, loc, document, root)
        problems.setdefault((loc, problem.message), problem)
    return list(problems.values())


def _is_union_tag(part: Any) -> bool:
    return isinstance(part, str) and (part in {"str", "decimal", "function-after"} or part.startswith("constrained-"))


def _problem(item: dict[str, Any], loc: NodePath, document: YamlDocument, root: type[BaseModel]) -> Problem:
    kind = item["type"]
    ctx = item.get("ctx") or {}
    if kind == "extra_forbidden":
        return _unknown_key(loc, document, root)
    if kind == "missing":
        key = str(loc[-1]) if loc else ""
        return Problem(document.locate(loc[:-1]), _MESSAGES["missing"].format(key=key))
    return Problem(document.locate(loc), _message(kind, ctx, loc, item, root))


def _message(kind: str, ctx: dict[str, Any], loc: NodePath, item: dict[str, Any], root: type[BaseModel]) -> str:
    if kind == "enum":
        return _enum_message(loc, root, item.get("input"))
    if kind == "string_pattern_mismatch":
        key = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
        return _PATTERN_MESSAGES.get(key, "formato non valido")
    if kind.endswith("_type") or kind.endswith("_parsing"):
        expected = _TYPE_NAMES.get(kind.split("_")[0], "un valore di altro tipo")
        return f"tipo errato: atteso {expected}, trovato {_describe(item.get('input'))}"
    if kind == "literal_error":
        return _MESSAGES[kind].format(expected=ctx.get("expected", ""))
    template = _MESSAGES.get(kind)
    if template:
        return template.format(**{k: _number(v) for k, v in ctx.items()})
    return f"valore non valido ({item.get('msg', kind)})"


def _number(value: Any) -> Any:
    return str(value).replace(".", ",") if isinstance(value, float) else value


def _describe(value: Any) -> str:
    if value is None:
        return "un valore vuoto"
    if isinstance(value, bool):
        return "vero/falso"
    if isinstance(value, (int, float)):
        return f"il numero {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "…"
        return f"il testo «{shown}»"
    if isinstance(value, list):
        return "un elenco"
    if isinstance(value, dict):
        return "una sezione"
    return type(value).__name__


def _unknown_key(loc: NodePath, document: YamlDocument, root: type[BaseModel]) -> Problem:
    key = str(loc[-1])
    allowed = allowed_keys(root, loc[:-1])
    message = f"chiave sconosciuta «{key}»"
    suggestion = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if suggestion:
        message += f": forse intendevi «{suggestion[0]}»?"
    elif allowed:
        message += f" (chiavi ammesse: {', '.join(allowed)})"
    return Problem(document.locate(loc, key=True), message)


def _enum_message(loc: NodePath, root: type[BaseModel], given: Any) -> str:
    enum = _annotation_at(root, loc)
    values = [member.value for member in enum] if isinstance(enum, type) and issubclass(enum, Enum) else []
    message = f"valore non ammesso «{given}»"
    suggestion = difflib.get_close_matches(str(given), values, n=1, cutoff=0.6)
    if suggestion:
        message += f": forse intendevi «{suggestion[0]}»?"
    if values:
        message += f" Valori ammessi: {', '.join(values)}."
    return message


def allowed_keys(root: type[BaseModel], loc: NodePath) -> list[str]:
    """The YAML keys a mapping at `loc` accepts, for "did you mean" hints."""
    model = _annotation_at(root, loc)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return [field.alias or name for name, field in model.model_fields.items()]
    return []


def model_path_exists(root: type[BaseModel], loc: NodePath) -> bool:
    """Whether every step of `loc` (Italian keys) is a field of the model at that depth; lists are leaves."""
    current: Any = root
    for part in loc:
        current = _unwrap(current)
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return False
        current = _field_annotation(current, str(part))
        if current is None:
            return False
    return True


def _annotation_at(root: type[BaseModel], loc: NodePath) -> Any:
    current: Any = root
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            args = typing.get_args(current)
            current = args[0] if args else None
        elif isinstance(current, type) and issubclass(current, BaseModel):
            current = _field_annotation(current, part)
        else:
            return None
    return _unwrap(current)


def _field_annotation(model: type[BaseModel], key: str) -> Any:
    if not model.__pydantic_complete__:
        model.model_rebuild()  # a deferred model (defer_build) still has its later-imported names as ForwardRef
    for name, field in model.model_fields.items():
        if (field.alias or name) == key:
            return field.annotation
    return None


def _unwrap(annotation: Any) -> Any:
    """Strip Optional[...] and Annotated[...] wrappers."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(options) != 1:
                return annotation
            annotation = options[0]
        else:
            return annotation

