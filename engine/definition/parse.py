"""Definition text (JSON or YAML) → JSON document plus diagnostics. Never raises on user input.

The document is checked against the bounds every later pass relies on: at most
MAX_DEFINITION_CHARS of text, MAX_NESTING_DEPTH levels, MAX_NODES values, and nothing JSON
cannot hold (YAML timestamps, binary, NaN, non-string keys). Duplicate keys are reported,
the last one winning as in most JSON parsers.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterator
from typing import Any

import yaml

from engine.definition.diagnostics import Code, Diagnostic, error, join, pointer, quote, schema_error
from engine.json import JSON, MAX_NESTING_DEPTH

MAX_DEFINITION_CHARS = 1_048_576  # AWS's limit on a definition's length
MAX_NODES = 1_000_000  # values in one document; a YAML alias bomb stops here

Duplicates = dict[int, list[str]]  # id(object) -> keys it had more than once


def load_document(text: str | bytes, *, filename: str | None = None) -> tuple[JSON | None, list[Diagnostic]]:
    """Parse a definition. The document is None when the text cannot be used at all.

    JSON, or YAML when `filename` ends .yaml/.yml or the text is not JSON but is a YAML
    mapping. Diagnostics about duplicate keys come with a usable document.
    """
    try:
        return _load(text, filename)
    except Exception as exc:  # the parsers' own failures are caught below; this is the backstop
        return None, [error(Code.INVALID_JSON_DESCRIPTION, f"The definition could not be read: {exc}.", "")]


def check_bounds(document: JSON) -> list[Diagnostic]:
    """Why `document` is too deep, too big or not JSON, if it is; empty when it is within bounds."""
    fatal, _ = _scan(document, {})
    return fatal


def _load(text: str | bytes, filename: str | None) -> tuple[JSON | None, list[Diagnostic]]:
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            message = f"The definition is not UTF-8 text (byte {exc.start}). Save it as UTF-8."
            return None, [error(Code.INVALID_JSON_DESCRIPTION, message, "")]
    if not isinstance(text, str):
        return None, [error(Code.INVALID_JSON_DESCRIPTION, "The definition must be text.", "")]
    text = text.removeprefix("\ufeff")
    if len(text) > MAX_DEFINITION_CHARS:
        message = f"The definition has {len(text)} characters; at most {MAX_DEFINITION_CHARS} are allowed."
        return None, [error(Code.DEFINITION_TOO_LARGE, message, "")]
    if text.strip() == "":
        return None, [error(Code.MISSING_DESCRIPTION, "The definition is empty. Write a JSON object.", "")]
    document, duplicates, problem = _parse(text, filename)
    if problem is not None:
        return None, [problem]
    if document is None:
        return None, [error(Code.MISSING_DESCRIPTION, "The definition is null. Write a JSON object.", "")]
    fatal, found = _scan(document, duplicates)
    if fatal:
        return None, fatal
    return document, found


def _parse(text: str, filename: str | None) -> tuple[JSON, Duplicates, Diagnostic | None]:
    name = (filename or "").lower()
    if name.endswith((".yaml", ".yml")):
        return _parse_yaml(text)
    document, duplicates, problem = _parse_json(text)
    if problem is None or text.lstrip()[:1] in ("{", "["):
        return document, duplicates, problem
    yaml_document, yaml_duplicates, yaml_problem = _parse_yaml(text)
    if yaml_problem is None and isinstance(yaml_document, dict):
        return yaml_document, yaml_duplicates, None
    return document, duplicates, problem  # neither: the JSON error is the more useful one


def _parse_json(text: str) -> tuple[JSON, Duplicates, Diagnostic | None]:
    duplicates: Duplicates = {}

    def keep_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            duplicates[id(obj)] = sorted(k for k, n in Counter(k for k, _ in pairs).items() if n > 1)
        return obj

    try:
        document = json.loads(
            text, object_pairs_hook=keep_pairs, parse_constant=_no_constant, parse_float=_finite_float
        )
    except json.JSONDecodeError as exc:
        message = f"The definition is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
        return None, {}, error(Code.INVALID_JSON_DESCRIPTION, message + " Fix the syntax there.", "")
    except RecursionError:
        return None, {}, _too_deep("")
    except ValueError as exc:
        return None, {}, error(Code.INVALID_JSON_DESCRIPTION, f"The definition is not valid JSON: {exc}.", "")
    return document, duplicates, None


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(literal: str) -> float:
    value = float(literal)
    if math.isinf(value):
        raise ValueError(f"the number {literal[:40]} is too large")
    return value


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps timestamps as strings (ASL compares them itself) and notes duplicate keys."""

    duplicates: Duplicates


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Iterator[dict[Any, Any]]:
    data: dict[Any, Any] = {}
    yield data
    keys = [key.value for key, _ in node.value if isinstance(key, yaml.ScalarNode) and key.value != "<<"]
    repeated = sorted(str(k) for k, n in Counter(keys).items() if n > 1)
    data.update(loader.construct_mapping(node))
    if repeated:
        loader.duplicates[id(data)] = repeated


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def _parse_yaml(text: str) -> tuple[JSON, Duplicates, Diagnostic | None]:
    loader = _Loader(text)
    loader.duplicates = {}
    try:
        document = loader.get_single_data()
    except RecursionError:
        return None, {}, _too_deep("")
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        message = f"The definition is not valid YAML: {exc.problem}{where}. Fix the syntax there."
        return None, {}, error(Code.INVALID_JSON_DESCRIPTION, message, "")
    except yaml.YAMLError as exc:
        return None, {}, error(Code.INVALID_JSON_DESCRIPTION, f"The definition is not valid YAML: {exc}.", "")
    finally:
        loader.dispose()
    return document, loader.duplicates, None


# A path is a linked list (parent, key) so that each value costs one tuple, not a copy of its path.
_Path = tuple[Any, str | int] | None


def _parts(path: _Path) -> list[str | int]:
    parts: list[str | int] = []
    while path is not None:
        path, key = path
        parts.append(key)
    return parts[::-1]


def _scan(document: JSON, duplicates: Duplicates) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """One bounded pass over the document: (fatal problems, other problems)."""
    found: list[Diagnostic] = []
    stack: list[tuple[JSON, _Path, int]] = [(document, None, 1)]
    count = 0
    while stack:
        node, path, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            message = (
                f"The definition has more than {MAX_NODES} values. Split it into smaller state machines."
            )
            return [error(Code.DEFINITION_TOO_LARGE, message, "")], found
        if depth > MAX_NESTING_DEPTH:
            return [_too_deep(_state_location(_parts(path)))], found
        if isinstance(node, dict):
            if id(node) in duplicates:
                found.extend(_duplicate(_parts(path), key) for key in duplicates[id(node)])
            for key, child in node.items():
                if not isinstance(key, str):
                    return [_not_json(_parts(path), f"the key {quote(key)} is not a string")], found
                stack.append((child, (path, key), depth + 1))
        elif isinstance(node, list):
            stack.extend((child, (path, index), depth + 1) for index, child in enumerate(node))
        elif isinstance(node, float) and not math.isfinite(node):
            return [_not_json(_parts(path), f"{node} is not a JSON number")], found
        elif node is not None and not isinstance(node, str | int | float):
            return [_not_json(_parts(path), f"a {type(node).__name__} is not a JSON value")], found
    return [], found


def _state_location(parts: list[str | int]) -> str:
    """The innermost state on `parts`, where a too-deep nesting is best reported; else the whole."""
    for end in range(len(parts) - 1, 0, -1):
        if parts[end - 1] == "States":
            return pointer(*parts[: end + 1])
    return ""


def _too_deep(location: str) -> Diagnostic:
    message = (
        f"The definition nests deeper than {MAX_NESTING_DEPTH} levels here. Flatten it: move deep Parallel"
        " or Map states into a state machine of their own, and keep data templates shallower."
    )
    return error(Code.TOO_DEEPLY_NESTED, message, location)


def _not_json(parts: list[str | int], why: str) -> Diagnostic:
    message = f"The definition holds a value JSON cannot: {why}. Quote it or write it as plain JSON."
    return error(Code.INVALID_JSON_DESCRIPTION, message, pointer(*parts))


def _duplicate(parts: list[str | int], key: str) -> Diagnostic:
    location = join(pointer(*parts), key)
    if parts and parts[-1] == "States":
        message = f"The state name {quote(key)} is used more than once here. Give each state its own name."
        return error(Code.DUPLICATE_STATE_NAME, message, location)
    return schema_error(f"The field {quote(key)} appears more than once. Keep one of them.", location)
