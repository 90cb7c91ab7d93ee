"""JSONPath for ASL: Paths, Reference Paths and ResultPath writes.

Simple paths (`$.a.b[0]['c d']`), which are nearly all paths in real definitions, compile to a
tuple of keys walked in a loop. Everything else (wildcards, filters, slices, unions, `..`) goes
to jsonpath-ng and yields a list, as AWS's JSONPath does for indefinite paths.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from jsonpath_ng.exceptions import JsonPathLexerError, JsonPathParserError
from jsonpath_ng.ext.parser import parse as parse_jsonpath

from engine.errors import ErrorName, StatesError
from engine.json import JSON, MISSING

Key = str | int


class PathSyntaxError(ValueError):
    """A path that AWS would reject when the state machine is created."""


@dataclass(frozen=True, slots=True)
class Path:
    """A compiled Path. `root` says where it starts: "$" (the input), "$$" (the context object)
    or the name of a variable (`$order.id` reads the variable `order`).

    `find(doc)` is the value at this path below `doc` (the root already chosen), or MISSING;
    an indefinite path yields the list of its matches, empty when nothing matches.
    """

    text: str
    root: str
    keys: tuple[Key, ...] | None  # None when the path is indefinite
    find: Callable[[JSON], JSON] = field(compare=False, repr=False)

    @property
    def definite(self) -> bool:
        return self.keys is not None


def _finder(keys: tuple[Key, ...]) -> Callable[[JSON], JSON]:
    """A walk down `keys`; one- and two-name paths (`$.a`, `$.a.b`), nearly every path in
    real definitions, get a walk without the loop."""
    if not keys:
        return lambda doc: doc
    if len(keys) == 1 and type(keys[0]) is str:
        name = keys[0]
        return lambda doc: doc.get(name, MISSING) if type(doc) is dict else MISSING
    if len(keys) == 2 and type(keys[0]) is str and type(keys[1]) is str:
        first, second = keys

        def find_two(doc: JSON) -> JSON:
            if type(doc) is not dict:
                return MISSING
            doc = doc.get(first, MISSING)
            return doc.get(second, MISSING) if type(doc) is dict else MISSING

        return find_two

    def find(doc: JSON) -> JSON:
        for key in keys:
            if type(key) is str:
                if type(doc) is not dict:
                    return MISSING
                doc = doc.get(key, MISSING)
                if doc is MISSING:
                    return MISSING
            else:
                if type(doc) is not list or not -len(doc) <= key < len(doc):  # type: ignore[operator]
                    return MISSING
                doc = doc[key]  # type: ignore[index]
        return doc

    return find


@dataclass(frozen=True, slots=True)
class ReferencePath:
    """A path that names one node (ResultPath, Choice Variable): only `.name`, `['name']`, `[n]`."""

    text: str
    root: str
    keys: tuple[Key, ...]

    def write(self, doc: JSON, value: JSON) -> JSON:
        """`doc` with `value` placed at this path; `doc` itself is never changed.

        Missing objects on the way are created; a non-object on the way is
        States.ResultPathMatchFailure, as in AWS.
        """
        if not self.keys:
            return value
        return _write(doc, self.keys, 0, value, self.text)


_SIMPLE_NAME = re.compile(r"[^.\[\]'\"*?@:,()\s$][^.\[\]'\"*?@:,()\s]*")
_VARIABLE_ROOT = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_BRACKETED = re.compile(r"\[\s*(?:'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"|(-?\d+))\s*\]")


@lru_cache(maxsize=4096)
def compile_path(text: str) -> Path:
    """Compile a Path (InputPath, OutputPath, ItemsPath, a `.$` value, an intrinsic argument)."""
    if not isinstance(text, str) or not text.startswith("$"):
        raise PathSyntaxError(f"{text!r} is not a JSONPath: a path starts with '$'.")
    root, rest = _split_root(text)
    keys = _simple_keys(rest)
    if keys is not None:
        return Path(text, root, keys, _finder(keys))
    try:
        expression = parse_jsonpath("$" + rest)
    except (JsonPathLexerError, JsonPathParserError, Exception) as error:  # the parser raises bare Exceptions
        raise PathSyntaxError(f"{text!r} is not a valid JSONPath: {error}") from None

    def find_all(doc: JSON) -> list[JSON]:
        return [match.value for match in expression.find(doc)]

    return Path(text, root, None, find_all)


@lru_cache(maxsize=4096)
def compile_reference_path(text: str) -> ReferencePath:
    """Compile a Reference Path: a path that names exactly one node (no wildcards or filters)."""
    if not isinstance(text, str) or not text.startswith("$"):
        raise PathSyntaxError(f"{text!r} is not a reference path: it must start with '$'.")
    root, rest = _split_root(text)
    keys = _simple_keys(rest)
    if keys is None:
        raise PathSyntaxError(
            f"{text!r} is not a valid reference path: use only '.name', \"['name']\" and '[index]' "
            "steps (no wildcards, filters, slices or '..')."
        )
    return ReferencePath(text, root, keys)


def _split_root(text: str) -> tuple[str, str]:
    if text.startswith("$$"):
        return "$$", text[2:]
    variable = _VARIABLE_ROOT.match(text)
    if variable is not None:
        return variable.group(1), text[variable.end() :]
    return "$", text[1:]


def _simple_keys(rest: str) -> tuple[Key, ...] | None:
    """The keys of a path made only of `.name`, `['name']` and `[n]` steps, else None."""
    keys: list[Key] = []
    at, end = 0, len(rest)
    while at < end:
        char = rest[at]
        if char == ".":
            name = _SIMPLE_NAME.match(rest, at + 1)
            if name is None:
                return None
            keys.append(name.group())
            at = name.end()
        elif char == "[":
            step = _BRACKETED.match(rest, at)
            if step is None:
                return None
            quoted = step.group(1) if step.group(1) is not None else step.group(2)
            if quoted is not None:
                # Only an escaped quote is an escape; other backslashes are part of the name (AWS).
                keys.append(quoted.replace("\\'", "'") if step.group(1) is not None else quoted)
            else:
                keys.append(int(step.group(3)))
            at = step.end()
        else:
            return None
    return tuple(keys)


def _write(doc: JSON, keys: tuple[Key, ...], at: int, value: JSON, text: str) -> JSON:
    key = keys[at]
    last = at == len(keys) - 1
    if isinstance(key, str):
        if doc is MISSING or (doc is None and at > 0):
            doc = {}
        if not isinstance(doc, dict):
            raise _match_failure(text, doc)
        updated = dict(doc)
        updated[key] = value if last else _write(doc.get(key, MISSING), keys, at + 1, value, text)
        return updated
    if not isinstance(doc, list) or not -len(doc) <= key < len(doc):
        raise _match_failure(text, doc)
    items = list(doc)
    items[key] = value if last else _write(doc[key], keys, at + 1, value, text)
    return items


def _match_failure(text: str, doc: JSON) -> StatesError:
    from engine.json import dumps

    shown = "null" if doc is MISSING else dumps(doc)
    return StatesError(
        ErrorName.RESULT_PATH_MATCH_FAILURE, f'Unable to apply ResultPath "{text}" to input "{shown}"'
    )
