"""The JSON type, AWS's size and nesting limits, and canonical dumps."""

from __future__ import annotations

import json
from typing import Any, TypeAlias

JSON: TypeAlias = Any  # None | bool | int | float | str | list["JSON"] | dict[str, "JSON"]
"""A JSON value. Values are shared between states, never mutated in place: copy on write."""

MAX_PAYLOAD_BYTES = 256 * 1024  # AWS's limit on a state's input, output and task result
MAX_HISTORY_EVENTS = 25_000  # AWS's limit on events in one execution's history
MAX_NESTING_DEPTH = 200  # bound on nested Parallel/Map scopes and JSON depth we accept


class Missing:
    """The value a path yields where nothing is (distinct from JSON null)."""

    _instance: Missing | None = None

    def __new__(cls) -> Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING = Missing()

_compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


def dumps(value: JSON) -> str:
    """Compact JSON as AWS prints it in history and causes: no spaces, unicode kept."""
    return _compact(value)


def loads(text: str | bytes) -> JSON:
    return json.loads(text)


def size_of(value: JSON) -> int:
    """Bytes of the UTF-8 encoding of `value` as compact JSON.

    Values are shared between states and never mutated, so the size of a container is
    remembered: a new object that wraps a big shared payload costs only its own few keys.
    """
    kind = type(value)
    if kind is dict or kind is list:
        known = _sizes.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        if len(value) > 16:
            size = len(_compact(value).encode("utf-8"))
        else:
            size = _dict_size(value) if kind is dict else _list_size(value)
        if len(_sizes) > 50_000:
            _sizes.clear()  # the ids of dropped values may be reused: forget them all
        _sizes[id(value)] = (value, size)
        return size
    if kind is str:
        return _string_size(value)
    if kind is int:
        return len(str(value))
    if value is None or value is True:
        return 4
    if value is False:
        return 5
    return len(_compact(value))


# Scalars are sized inline below: a state's output is mostly a small object of scalars, and
# the size check runs on every output.


def _dict_size(value: dict[str, Any]) -> int:
    total = 1 + 2 * len(value) if value else 2  # braces, colons and commas
    for key, item in value.items():
        key_size = _key_sizes.get(key)
        if key_size is None:
            key_size = _key_size(key)
        kind = type(item)
        if kind is str:
            total += key_size + (len(_encode_string(item)) if item.isascii() else _string_size(item))
        elif kind is int:
            total += key_size + len(str(item))
        else:
            total += key_size + size_of(item)
    return total


def _list_size(value: list[Any]) -> int:
    total = 1 + len(value) if value else 2
    for item in value:
        kind = type(item)
        if kind is str:
            total += len(_encode_string(item)) if item.isascii() else _string_size(item)
        elif kind is int:
            total += len(str(item))
        else:
            total += size_of(item)
    return total


_sizes: dict[int, tuple[Any, int]] = {}
_key_sizes: dict[str, int] = {}  # object keys repeat from state to state: their sizes are kept
_encode_string = json.encoder.encode_basestring


def remember_set(new: dict[str, Any], old: JSON, key: str, value: JSON) -> None:
    """Remember the size of `new`, a copy of the object `old` with `key` set to `value`, from
    old's remembered size: a ResultPath write then costs its key and value, not the whole
    object. Nothing is remembered when old's size is not known (size_of works it out)."""
    known = _sizes.get(id(old))
    if known is None or known[0] is not old:
        return
    size = known[1] + size_of(value)
    previous = old.get(key, MISSING)
    if previous is MISSING:
        key_size = _key_sizes.get(key)
        size += (_key_size(key) if key_size is None else key_size) + (2 if old else 1)  # colon, comma
    else:
        size -= size_of(previous)
    if len(_sizes) > 50_000:
        _sizes.clear()
    _sizes[id(new)] = (new, size)


def _string_size(text: str) -> int:
    if text.isascii():
        return len(_encode_string(text))
    return len(_encode_string(text).encode("utf-8"))


def _key_size(key: str) -> int:
    if len(_key_sizes) > 10_000:
        _key_sizes.clear()  # keys made from data (ids as keys) would grow it without bound
    size = _key_sizes[key] = _string_size(key)
    return size


def depth_of(value: JSON, limit: int = MAX_NESTING_DEPTH) -> int:
    """Nesting depth of `value`, counted up to `limit + 1` (so deep input stays cheap)."""
    deepest = 0
    stack: list[tuple[JSON, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > deepest:
            deepest = depth
            if deepest > limit:
                return deepest
        if isinstance(node, dict):
            stack.extend((child, depth + 1) for child in node.values())
        elif isinstance(node, list):
            stack.extend((child, depth + 1) for child in node)
    return deepest
