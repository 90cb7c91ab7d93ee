"""What the intrinsic tests share: a stand-in path reader and shortcuts to run a call."""

from __future__ import annotations

import random
from typing import Any

import pytest

from engine.data.intrinsics import Read, parse_intrinsic
from engine.errors import ErrorName, StatesError, StatesRuntime
from engine.json import JSON


def reader(doc: JSON = None, context: JSON = None, variables: dict[str, JSON] | None = None) -> Read:
    """A stand-in for the engine's path reader: dotted paths only, StatesRuntime when absent."""

    def read(path: str) -> JSON:
        if path.startswith("$$"):
            value, rest = context, path[2:]
        elif path == "$" or path.startswith("$."):
            value, rest = doc, path[1:]
        else:
            name, _, rest = path[1:].partition(".")
            value = (variables or {})[name]
        for key in filter(None, rest.split(".")):
            if not isinstance(value, dict) or key not in value:
                raise StatesRuntime(f"The JSONPath '{path}' could not be found in the input")
            value = value[key]
        return value

    return read


def run(text: str, doc: JSON = None, rng: random.Random | None = None, **kwargs: Any) -> JSON:
    return parse_intrinsic(text).evaluate(reader(doc, **kwargs), rng or random.Random(0))


def failure(text: str, doc: JSON = None) -> StatesError:
    with pytest.raises(StatesError) as caught:
        run(text, doc)
    assert caught.value.error == ErrorName.INTRINSIC_FAILURE
    return caught.value
