"""JSONata mode: the "{% %}" expressions of Arguments, Output, Assign, Condition, Items and friends.

    expression = compile_expression("{% $states.input.total * 2 %}")  # JsonataSyntaxError if invalid
    expression.evaluate({"states": {"input": ..., "context": ...}, "myVar": 3}, "Output", rng)

    template = compile_template({"id": "{% $states.input.id %}", "kind": "order"})
    template.evaluate(bindings, "Arguments", rng)  # the value with every expression replaced

jsonata-python (a port of jsonata-java) parses and evaluates; compiled expressions are cached by
text and shared between executions and threads. On top of it: AWS's functions
(jsonata_functions), AWS's causes, bounds on runaway expressions, and a fast path for plain
variable paths such as `$states.input.order.id`, by far the most common kind of expression.
"""

from __future__ import annotations

import math
import random
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from jsonata import JException, Jsonata, Utils

from engine.data import jsonata_functions
from engine.data.jsonata_functions import Call, FunctionError, calling
from engine.errors import QueryEvaluationError
from engine.json import JSON, MISSING, dumps

__all__ = [
    "Expression",
    "JsonataSyntaxError",
    "Template",
    "compile_expression",
    "compile_template",
    "expect_type",
    "is_expression",
]

JsonType = Literal["array", "object", "string", "number", "boolean", "null"]

MAX_DEPTH = 500  # nested evaluations; Python's own stack gives out a little past 1,000
MAX_STEPS = 2_000_000  # evaluation steps (some seconds of work): a runaway expression fails, never hangs
_NULL = Utils.NULL_VALUE  # the library's null; its None means undefined
_SLOW = object()  # "the fast path cannot answer this one"
_PLAIN_PATH = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z_][A-Za-z0-9_]*)*)")
_KEYWORDS = frozenset({"and", "or", "in", "true", "false", "null", "function"})
_ERROR_CODE = re.compile(r"[SDT]\d{4}")

# jsonata-python prints "Proc not found ..." to stdout when a non-function is called; stdout
# belongs to the command line's JSON answer, so its module gets a silent `print`.
sys.modules[Jsonata.__module__].print = lambda *args, **kwargs: None  # type: ignore[attr-defined]


class JsonataSyntaxError(ValueError):
    """An expression JSONata cannot parse; the message is meant for validation diagnostics."""

    def __init__(self, source: str, message: str) -> None:
        super().__init__(message)
        self.source = source


def is_expression(value: object) -> bool:
    """Whether a value is a JSONata expression: AWS wants "{%" and "%}" as the very first and last
    characters (no surrounding spaces); any other string is a literal."""
    return isinstance(value, str) and len(value) >= 4 and value.startswith("{%") and value.endswith("%}")


@lru_cache(maxsize=4096)
def compile_expression(text: str) -> Expression:
    """Parse one "{% ... %}" string; raises JsonataSyntaxError saying what is wrong."""
    if not is_expression(text):
        raise JsonataSyntaxError(str(text), "A JSONata expression must start with '{%' and end with '%}'.")
    return Expression(text[2:-2].strip())


class Expression:
    """A compiled expression: immutable, shareable between executions and threads."""

    __slots__ = ("_constant", "_path", "_program", "_root", "source")

    def __init__(self, source: str) -> None:
        self.source = source  # the inner text, as AWS quotes it in causes
        self._program = _parse(source)
        jsonata_functions.install(self._program)
        self._root = self._program.environment  # the built-ins, with ours bound over them
        match = _PLAIN_PATH.fullmatch(source)
        names = (match.group(1), *match.group(2).split(".")[1:]) if match else ()
        self._path: tuple[str, ...] | None = names if names and not _KEYWORDS & set(names) else None
        self._constant: Any = _SLOW
        if _is_literal(self._program.ast):  # its value, once
            self._constant = _plain(self._program.evaluate(None, {}))

    def __repr__(self) -> str:
        return f"Expression({self.source!r})"

    def evaluate(self, bindings: Mapping[str, JSON], field: str, rng: random.Random) -> JSON:
        """The expression's value. `bindings` maps variable names to values ("states" to
        {"input", "context", "result", "errorOutput"}); `field` says where the expression sits, for
        causes ("Output/result"). No value, a non-JSON value or a JSONata error raises
        States.QueryEvaluationError with AWS's cause."""
        if self._constant is not _SLOW:
            return self._constant
        if self._path is not None:
            value = _follow(bindings, self._path)
            if value is MISSING:
                raise self._undefined(field)
            if value is not _SLOW:
                return value
        return self._run(bindings, field, rng)

    def _run(self, bindings: Mapping[str, JSON], field: str, rng: random.Random) -> JSON:
        # Our own frame under the compile-time environment, not Jsonata.evaluate(): that one
        # reads the instance's `environment`, which another thread's evaluation briefly replaces.
        frame = Jsonata.Frame(self._root)
        frame.bindings = _library_bindings(bindings)
        budget = _Budget()
        frame.set_evaluate_entry_callback(budget.enter)
        frame.set_evaluate_exit_callback(budget.leave)
        try:
            with calling(Call(rng, _entered_time(bindings))):
                raw = self._program.eval(self._program.ast, None, frame)
        except JException as error:
            raise self._threw(field, _library_message(error)) from None
        except (FunctionError, _TooMuch) as error:
            raise self._threw(field, str(error)) from None
        except RecursionError:
            raise self._threw(field, _TooMuch.DEEP) from None
        except ArithmeticError:  # 1/0: JavaScript's Infinity, which JSON cannot hold
            raise self._threw(field, "D1001: Number out of range") from None
        except Exception as error:  # the library's own Python errors on odd data; none may escape
            raise self._threw(field, str(error) or type(error).__name__) from None
        if raw is None:
            raise self._undefined(field)
        try:
            return _plain(raw)
        except _Unsupported:
            raise self._failure(field, "returned an unsupported result type.") from None
        except _TooMuch as error:
            raise self._threw(field, str(error)) from None

    def _failure(self, field: str, what: str) -> QueryEvaluationError:
        return QueryEvaluationError(
            f"The JSONata expression '{self.source}' specified for the field '{field}' {what}"
        )

    def _undefined(self, field: str) -> QueryEvaluationError:
        return self._failure(field, "returned nothing (undefined).")

    def _threw(self, field: str, message: str) -> QueryEvaluationError:
        return self._failure(field, f"threw an error during evaluation. {message}")


def expect_type(expression: Expression, value: JSON, field: str, expected: JsonType) -> JSON:
    """`value` if it has the JSON type `expected`, else AWS's QueryEvaluationError, e.g. for a
    Map's Items: "... returned an unexpected result type. Expected 'array', but was 'boolean' for
    value: true"."""
    actual = json_type(value)
    if actual != expected:
        raise expression._failure(
            field,
            f"returned an unexpected result type. Expected '{expected}', but was '{actual}' "
            f"for value: {dumps(value)}",
        )
    return value


def json_type(value: JSON) -> JsonType:
    """JSONata's name for the type of a JSON value ($type)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def compile_template(value: JSON) -> Template:
    """Compile every "{% %}" string in a JSON value (Arguments, Output, Assign, Items, ...);
    raises JsonataSyntaxError for the first invalid one."""
    return Template(value, _compile_node(value))


class Template:
    """A JSON value with expressions in it: immutable, shareable between executions."""

    __slots__ = ("_node", "value")

    def __init__(self, value: JSON, node: _Node | None) -> None:
        self.value = value
        self._node = node  # None: no expression anywhere inside

    def evaluate(self, bindings: Mapping[str, JSON], field: str, rng: random.Random) -> JSON:
        """The value with each expression replaced by its result; `field` names the top field
        ("Arguments") and grows with each key for causes ("Arguments/FunctionName"). A template
        without expressions returns its value itself, not a copy."""
        if self._node is None:
            return self.value
        return _fill(self._node, bindings, field, rng)


@dataclass(frozen=True, slots=True)
class _Part:
    key: str | int  # the object key or array index, extending the field in causes
    node: _Node | None  # None: a constant part, kept as it is
    value: JSON


@dataclass(frozen=True, slots=True)
class _Composite:
    """An object or array with at least one expression somewhere inside."""

    is_object: bool
    parts: tuple[_Part, ...]


_Node = Expression | _Composite


def _compile_node(value: JSON) -> _Node | None:
    if isinstance(value, str):
        return compile_expression(value) if is_expression(value) else None
    if isinstance(value, dict):
        parts = tuple(_Part(key, _compile_node(item), item) for key, item in value.items())
        return _Composite(True, parts) if any(part.node is not None for part in parts) else None
    if isinstance(value, list):
        parts = tuple(_Part(index, _compile_node(item), item) for index, item in enumerate(value))
        return _Composite(False, parts) if any(part.node is not None for part in parts) else None
    return None


def _fill(node: _Node, bindings: Mapping[str, JSON], field: str, rng: random.Random) -> JSON:
    if isinstance(node, Expression):
        return node.evaluate(bindings, field, rng)
    values = [
        part.value if part.node is None else _fill(part.node, bindings, f"{field}/{part.key}", rng)
        for part in node.parts
    ]
    if node.is_object:
        return {part.key: value for part, value in zip(node.parts, values)}
    return values


def _parse(source: str) -> Any:
    try:
        program = Jsonata(source)
    except JException as error:
        raise JsonataSyntaxError(source, _syntax_message(source, error)) from None
    except Exception as error:  # the tokenizer's own Python errors, a bad regex, deep nesting
        raise JsonataSyntaxError(source, f"The JSONata expression '{source}' is not valid: {error}") from None
    if program.get_errors():
        raise JsonataSyntaxError(source, f"The JSONata expression '{source}' is not valid.")
    program.set_output_convert_nulls(False)  # keep null (NULL_VALUE) apart from undefined (None)
    return program


def _is_literal(ast: Any) -> bool:
    bare = all(getattr(ast, name, None) is None for name in ("predicate", "group", "stages"))
    return bare and getattr(ast, "type", None) in ("string", "number", "value")


def _syntax_message(source: str, error: JException) -> str:
    where = f" at position {error.location}" if error.location > 0 else ""
    return f"The JSONata expression '{source}' is not valid: {_library_message(error)}{where}."


def _library_message(error: JException) -> str:
    """JSONata's "CODE: message" (AWS: "T1006: Attempted to invoke a non-function")."""
    code = str(error.error)
    if not _ERROR_CODE.fullmatch(code):
        return code  # a few library errors carry their whole message where the code belongs
    template = JException.error_codes.get(code, "")
    text = str(error)
    if "Object" in template:  # the port renamed JSONata's "function" to "Object" in its messages
        text = text.replace("Object", "function")
    return f"{code}: {text}"


def _follow(bindings: Mapping[str, JSON], path: tuple[str, ...]) -> Any:
    """A plain path through objects: the value, MISSING (undefined) or _SLOW (ask the library:
    arrays map over their items, and an unbound name may be a built-in function)."""
    value = bindings.get(path[0], MISSING)
    if value is MISSING:
        return _SLOW
    for key in path[1:]:
        if not isinstance(value, dict):
            return _SLOW
        value = value.get(key, MISSING)
        if value is MISSING:
            return MISSING
    return value


def _library_bindings(bindings: Mapping[str, JSON]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in bindings.items():
        if value is MISSING:
            continue
        if value is None:
            value = _NULL  # a variable holding null; a bare None would read as undefined
        elif name == "states" and isinstance(value, dict) and MISSING in value.values():
            value = {key: item for key, item in value.items() if item is not MISSING}
        out[name] = value
    return out


def _entered_time(bindings: Mapping[str, JSON]) -> str | None:
    states = bindings.get("states")
    context = states.get("context") if isinstance(states, dict) else None
    state = context.get("State") if isinstance(context, dict) else None
    entered = state.get("EnteredTime") if isinstance(state, dict) else None
    return entered if isinstance(entered, str) else None


class _Unsupported(Exception):
    """A result JSON cannot hold: a function, a regular expression."""


class _TooMuch(Exception):
    DEEP = "D1011: Stack overflow. Check for non-terminating recursive function."


class _Budget:
    """Counts one evaluation's steps and depth through the library's entry and exit hooks."""

    __slots__ = ("depth", "steps")

    def __init__(self) -> None:
        self.depth = 0
        self.steps = 0

    def enter(self, expr: Any, input: Any, environment: Any) -> None:
        if environment.is_parallel_call:
            return
        self.depth += 1
        self.steps += 1
        if self.depth > MAX_DEPTH:
            raise _TooMuch(_TooMuch.DEEP)
        if self.steps > MAX_STEPS:
            raise _TooMuch(f"D1012: Evaluation took more than {MAX_STEPS} steps. Check for infinite loop.")

    def leave(self, expr: Any, input: Any, environment: Any, result: Any) -> None:
        if not environment.is_parallel_call:
            self.depth -= 1


_LEAVES = frozenset({str, int, bool, type(None)})  # a None inside a container holds null


def _plain(value: Any) -> JSON:
    """The library's result as plain JSON, sharing every part that needs no change. Results often
    hold whole inputs, so leaves are skipped inline: one call per container, not per value."""
    kind = type(value)
    if isinstance(value, dict):
        changed = {
            key: new
            for key, item in value.items()
            if type(item) not in _LEAVES and (new := _plain(item)) is not item
        }
        return {**value, **changed} if changed else value
    if isinstance(value, list):
        items = [item if type(item) in _LEAVES else _plain(item) for item in value]
        if kind is list and all(new is old for new, old in zip(items, value)):
            return value
        return items  # a JSONata sequence becomes a plain array
    if kind in _LEAVES:
        return value
    if kind is float:
        if math.isfinite(value):
            return value
        raise _TooMuch(f"D1001: Number out of range: {value}")  # 1e308 * 10
    if value is _NULL:
        return None
    raise _Unsupported
