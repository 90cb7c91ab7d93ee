"""Payload templates: Parameters, ResultSelector, ItemSelector and Assign in JSONPath mode.

A key ending in `.$` takes its value from a path (`$.x`, `$$.Execution.Id`, `$myVar`) or an
intrinsic function call; every other value is a constant and is shared, not copied.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
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


def reads_context(value: JSON) -> bool:
    """Whether a template reads more than its input: `$$`, a variable, or an intrinsic call
    (which takes the visit's place in the execution's random sequence). Compile marks states
    whose fields read none of these, and their visits make no EvalContext."""
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and key.endswith(".$"):
                if not isinstance(item, str) or looks_like_intrinsic(item) or not reads_input_only(item):
                    return True
            elif reads_context(item):
                return True
        return False
    if isinstance(value, list):
        return any(reads_context(item) for item in value)
    return False


def reads_input_only(path: str) -> bool:
    """Whether a path reads the state's input (`$...`), not `$$` or a variable."""
    try:
        return compile_path(path).root == "$"
    except ValueError:  # validation refuses such paths first; "no" is the safe answer
        return False


def _has_dynamic(value: JSON) -> bool:
    if isinstance(value, dict):
        return any(k.endswith(".$") or _has_dynamic(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_dynamic(v) for v in value)
    return False


def _build_object(parts: list[tuple[str, Evaluate | None, JSON]]) -> Evaluate:
    def build(doc: JSON, ctx: EvalContext) -> JSON:
        built = {}  # a loop, not a comprehension: Python 3.11 calls a function for the latter
        for key, evaluate, constant in parts:
            built[key] = constant if evaluate is None else evaluate(doc, ctx)
        return built

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
    find = path.find

    def missing(doc: JSON) -> StatesRuntime:
        return StatesRuntime(
            f"The JSONPath '{path.text}' specified for the field '{field}' could not be found "
            f"in the input '{dumps(doc)}'"
        )

    if path.root == "$" and path.keys is not None and len(path.keys) == 1 and type(path.keys[0]) is str:
        name = path.keys[0]

        def read_name(doc: JSON, ctx: EvalContext) -> JSON:  # `$.name`: the most common of all
            if type(doc) is dict:
                value = doc.get(name, MISSING)
                if value is not MISSING:
                    return value
            raise missing(doc)

        return read_name

    if path.root == "$":  # the common case, without read_path's choice of root

        def read_input(doc: JSON, ctx: EvalContext) -> JSON:
            value = find(doc)
            if value is MISSING:
                raise missing(doc)
            return value

        return read_input

    def read(doc: JSON, ctx: EvalContext) -> JSON:
        value = read_path(path, doc, ctx)
        if value is MISSING:
            raise missing(doc)
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


_DRAWING = ("States.MathRandom", "States.UUID")  # the only intrinsics that use the generator


def _intrinsic_evaluator(intrinsic: Intrinsic, field: str) -> Evaluate:
    readers: dict[str, Evaluate] = {}  # the intrinsic's path arguments, compiled on first use
    draws = any(name in intrinsic.text for name in _DRAWING)

    def read(doc: JSON, ctx: EvalContext, text: str) -> JSON:
        reader = readers.get(text)
        if reader is None:
            reader = readers[text] = path_evaluator(compile_path(text), field)
        return reader(doc, ctx)

    def evaluate(doc: JSON, ctx: EvalContext) -> JSON:
        # a partial, not a closure: one object per evaluation instead of three (less for the GC)
        return intrinsic.evaluate(partial(read, doc, ctx), ctx.rng if draws else ctx.claim_rng())

    return evaluate


def constant(value: Any) -> Evaluate:
    return lambda doc, ctx: value
