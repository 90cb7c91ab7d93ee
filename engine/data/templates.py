"""Payload templates: Parameters, ResultSelector, ItemSelector and Assign in JSONPath mode.

A key ending in `.$` takes its value from a path (`$.x`, `$$.Execution.Id`, `$myVar`) or an
intrinsic function call; every other value is a constant and is shared, not copied.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.data.context import EvalContext
from engine.data.intrinsics import Intrinsic, looks_like_intrinsic, parse_intrinsic
from engine.data.paths import Path, compile_path
from engine.errors import StatesRuntime
from engine.json import JSON, MISSING, dumps

Evaluate = Callable[[JSON, EvalContext], JSON]


class TemplateError(ValueError):
    """A template AWS would refuse at creation (a `.$` value that is not a path or intrinsic)."""


def compile_template(value: JSON) -> Evaluate:
    """Compile once per definition; the result maps (input, context) to the built value."""
    if isinstance(value, dict):
        if not any(isinstance(k, str) and k.endswith(".$") for k in value) and not _has_dynamic(value):
            return lambda doc, ctx: value
        parts = [_compile_entry(key, item) for key, item in value.items()]
        return _build_object(parts)
    if isinstance(value, list) and _has_dynamic(value):
        items = [compile_template(item) for item in value]
        return lambda doc, ctx: [item(doc, ctx) for item in items]
    return lambda doc, ctx: value


def _has_dynamic(value: JSON) -> bool:
    if isinstance(value, dict):
        return any(k.endswith(".$") or _has_dynamic(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_dynamic(v) for v in value)
    return False


def _build_object(parts: list[tuple[str, Evaluate | None, JSON]]) -> Evaluate:
    def build(doc: JSON, ctx: EvalContext) -> JSON:
        return {
            key: constant if evaluate is None else evaluate(doc, ctx) for key, evaluate, constant in parts
        }

    return build


def _compile_entry(key: str, item: JSON) -> tuple[str, Evaluate | None, JSON]:
    if not key.endswith(".$"):
        if _has_dynamic(item):
            return key, compile_template(item), None
        return key, None, item
    if not isinstance(item, str):
        raise TemplateError(f"The value of {key!r} must be a JSONPath or an intrinsic function call.")
    return key[:-2], compile_expression(item, field=key), None


def compile_expression(text: str, field: str) -> Evaluate:
    """A `.$` value: a path or an intrinsic function call."""
    if looks_like_intrinsic(text):
        intrinsic = parse_intrinsic(text)
        return _intrinsic_evaluator(intrinsic, field)
    path = compile_path(text)
    return path_evaluator(path, field)


def path_evaluator(path: Path, field: str) -> Evaluate:
    def read(doc: JSON, ctx: EvalContext) -> JSON:
        value = read_path(path, doc, ctx)
        if value is MISSING:
            raise StatesRuntime(
                f"The JSONPath '{path.text}' specified for the field '{field}' could not be found "
                f"in the input '{dumps(doc)}'"
            )
        return value

    return read


def read_path(path: Path, doc: JSON, ctx: EvalContext) -> JSON:
    """The value of `path` for a state whose input is `doc`: MISSING when nothing is there."""
    root = path.root
    if root == "$":
        return path.find(doc)
    if root == "$$":
        return path.find(ctx.context_object())
    return path.find(ctx.variable(root))


def _intrinsic_evaluator(intrinsic: Intrinsic, field: str) -> Evaluate:
    def evaluate(doc: JSON, ctx: EvalContext) -> JSON:
        def read(text: str) -> JSON:
            return path_evaluator(compile_path(text), field)(doc, ctx)

        return intrinsic.evaluate(read, ctx.rng)

    return evaluate


def constant(value: Any) -> Evaluate:
    return lambda doc, ctx: value
