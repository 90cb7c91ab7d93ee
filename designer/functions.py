"""Local Python functions that Task states call by name, standing in for Lambda.

Register with the decorator, in a module named by STATECRAFT_FUNCTION_MODULES (or imported by
one), so web processes and every worker know the same functions:

    from designer import functions

    @functions.register()
    def double(event):
        return event["n"] * 2

A Task with `"Resource": "arn:aws:states:::lambda:invoke"` and `"FunctionName": "double"` (or
`"Resource": "arn:aws:lambda:us-east-1:123456789012:function:double"`) then calls it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from typing import Any

from engine.integrations import FunctionRegistry

registry = FunctionRegistry()


def register(name: str | None = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator: register a function under `name`, or under its own name."""
    return registry.function(name)


def load_modules(names: Iterable[str]) -> None:
    for name in names:
        importlib.import_module(name)
