"""Turn pydantic validation errors into ``FILE:LINE: [key] what was expected`` problems.

pydantic knows *what* is wrong and *where in the data* (``('hosts', 'cg-core1', 'ssh', 'port')``); the
:class:`~netcomply.inventory.yamlsrc.LineMap` knows where that path was written. The messages are rewritten
for people who edit YAML, not Python ("expected a whole number", not "Input should be a valid integer"), and
an unknown key gets the closest valid key as a suggestion. Values are echoed only for enumerations and names
(a level, a service kind), never for anything that might be a secret.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from netcomply.errors import InputProblem
from netcomply.inventory.yamlsrc import LineMap, Path

_EXPECTED: dict[str, str] = {
    "string_type": "expected text",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_type": "expected a number",
    "float_parsing": "expected a number",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "dict_type": "expected a mapping (key: value lines)",
    "model_type": "expected a mapping (key: value lines)",
    "model_attributes_type": "expected a mapping (key: value lines)",
    "list_type": "expected a list",
    "tuple_type": "expected a list",
    "date_type": "expected a date (YYYY-MM-DD)",
    "date_parsing": "expected a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "expected a date (YYYY-MM-DD)",
    "date_from_datetime_inexact": "expected a date (YYYY-MM-DD) without a time",
    "string_pattern_mismatch": "expected a name of letters, digits and _ . : / @ - that starts with a letter or digit",
    "string_too_short": "expected non-empty text",
}

#: Fields whose values are vocabularies (safe and useful to echo back).
_ECHO_FIELDS = {"level", "kind", "version", "auth_protocol", "priv_protocol", "phase", "[key]"}

_NAMES: dict[str, str] = {"level": "invalid level", "kind": "invalid service kind"}


def dotted(path: Sequence[Any]) -> str:
    """``('hosts', 'cg-core1', 'ssh', 'port')`` -> ``hosts.cg-core1.ssh.port`` (list items as ``[3]``)."""
    out = ""
    for part in path:
        if isinstance(part, int) and not isinstance(part, bool):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def type_name(value: Any) -> str:
    """How a YAML user would call this value's type."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def suggest(word: str, choices: Iterable[str]) -> str | None:
    """The closest of ``choices`` to ``word``, if any is reasonably close."""
    found = difflib.get_close_matches(str(word), sorted(set(choices)), n=1, cutoff=0.7)
    return found[0] if found else None


def _unwrap(annotation: Any) -> Any:
    """Strip Optional/Annotated so that we can see the model or container underneath."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def model_at(root: type[BaseModel], loc: Sequence[Any]) -> type[BaseModel] | None:
    """The pydantic model that validates the mapping at ``loc`` (relative to ``root``), if it is one."""
    annotation: Any = root
    for part in loc:
        annotation = _unwrap(annotation)
        origin = typing.get_origin(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(str(part))
            if field is None:
                return None
            annotation = field.annotation
        elif origin is dict:
            annotation = typing.get_args(annotation)[1]
        elif origin in (list, tuple):
            annotation = typing.get_args(annotation)[0]
        else:
            return None
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def unknown_key_message(key: Any, valid: Iterable[str]) -> str:
    valid = sorted(valid)
    close = suggest(str(key), valid)
    if close:
        return f"unknown key {str(key)!r}; did you mean {close!r}?"
    return f"unknown key {str(key)!r}; expected one of: {', '.join(valid)}"


def translate(
    exc: ValidationError,
    *,
    file: str,
    lines: LineMap,
    root: type[BaseModel],
    prefix: Path = (),
    skip: Iterable[Path] = (),
) -> list[InputProblem]:
    """One :class:`InputProblem` per pydantic error; errors at or below a path in ``skip`` are dropped
    (they were already reported better, e.g. as an inline secret)."""
    skipped = [tuple(s) for s in skip]
    problems: list[InputProblem] = []
    for error in exc.errors(include_url=False):
        loc: tuple[Any, ...] = tuple(error["loc"])
        full: Path = (*prefix, *loc)
        if any(full[: len(s)] == s for s in skipped):
            continue
        kind = error["type"]
        is_key = bool(loc) and loc[-1] == "[key]"
        if is_key:
            where: Path = full[:-1]
            line = lines.key_line(where)
            problems.append(InputProblem(file, line, f"bad name {where[-1]!r}: {_expected(error)}", dotted(where)))
            continue
        if kind == "extra_forbidden":
            model = model_at(root, loc[:-1])
            valid = model.model_fields if model is not None else []
            problems.append(InputProblem(file, lines.key_line(full), unknown_key_message(loc[-1], valid),
                                         dotted(full)))
            continue
        if kind == "missing":
            problems.append(InputProblem(file, lines.key_line(full[:-1]), f"missing required key {loc[-1]!r}",
                                         dotted(full)))
            continue
        field = str(loc[-1]) if loc else ""
        value = error.get("input")
        message = _expected(error)
        if field in _ECHO_FIELDS and isinstance(value, str | int) and not isinstance(value, bool):
            head = _NAMES.get(field, f"invalid {field}")
            message = f"{head} {value!r}: {message}"
        elif kind == "value_error":  # our own validators' sentences say what was wrong and expected
            message = f"{field or 'value'}: {message}"
        else:
            message = f"{field or 'value'}: {message}; got {type_name(value)}"
        problems.append(InputProblem(file, lines.value_line(full), message, dotted(full)))
    return problems


def _expected(error: Any) -> str:
    kind = error["type"]
    if kind == "literal_error":
        return f"expected one of {error['ctx']['expected']}"
    if kind in _EXPECTED:
        return _EXPECTED[kind]
    msg = str(error["msg"])
    if msg.startswith("Value error, "):
        return msg.removeprefix("Value error, ")
    if msg.startswith("Input should be "):
        return "expected a value " + msg.removeprefix("Input should be ")
    return msg
