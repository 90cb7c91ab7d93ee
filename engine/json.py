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
    """Bytes of the UTF-8 encoding of `value` as compact JSON."""
    return len(_compact(value).encode("utf-8"))


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
